from . import logistics_report_dimensions
from . import logistics_quote_analysis
from . import logistics_shipment_report
from . import logistics_complaint_report
from . import logistics_complaint_analysis
from . import logistics_customer_discovery
from . import logistics_kpi_workbook
from . import logistics_statement_workbook
