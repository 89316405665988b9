from . import logistics_kpi_export
