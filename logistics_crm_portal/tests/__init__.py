from . import test_portal_login
