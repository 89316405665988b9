from . import logistics_complaint
from . import logistics_quote
from . import logistics_shipment
from . import res_partner
from . import logistics_statement
from . import logistics_quote_request
