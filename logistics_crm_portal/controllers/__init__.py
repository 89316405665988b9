from . import portal_document_access
from . import portal_base
from . import portal_shipment
from . import portal_complaint
from . import portal_quote
from . import portal_service
from . import portal_notification
from . import portal_statement
