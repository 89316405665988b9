from . import test_portal_login
from . import test_portal_pages
from . import test_portal_actions
from . import test_portal_performance
from . import test_portal_routes
from . import test_portal_tours
from . import test_portal_mail_links
from . import test_portal_quote_report
