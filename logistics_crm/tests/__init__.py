from . import test_foundation
from . import test_ingest_api
from . import test_lane
from . import test_partner_profile
from . import test_shipment_access
from . import test_shipment_events
from . import test_tours
from . import test_service_tier
