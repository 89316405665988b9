from . import logistics_kpi_export
from . import logistics_quote_accept
from . import commission_make_settle
from . import logistics_rate_card_import
from . import logistics_cross_sell
from . import logistics_market_tip
from . import logistics_calendar_import
