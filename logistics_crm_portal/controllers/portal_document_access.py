"""The access check of every portal route, hardened.

``CustomerPortal._document_check_access`` is what every portal route of
every installed addon (sale, purchase, this one...) calls before it reads a
document with sudo. This override is merged into Odoo's one portal
controller, so it applies to all of them: a crafted link is refused the way
a wrong one is, never answered with a server error.
"""

from odoo.exceptions import MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

# PostgreSQL's integer: a larger id names no record (and would fail in SQL).
RECORD_ID_MAX = 2**31


class PortalDocumentAccess(CustomerPortal):
    def _document_check_access(self, model_name, document_id, access_token=None):
        # Odoo's constant-time comparison raises TypeError on a non-ASCII
        # token and ids beyond PostgreSQL's integer reach no record: both
        # are refused here, for every portal route, instead of answering a
        # crafted link with a server error.
        if not 0 < document_id < RECORD_ID_MAX:
            raise MissingError(request.env._("This document does not exist."))
        if not isinstance(access_token, str) or not access_token.isascii():
            access_token = None
        return super()._document_check_access(
            model_name, document_id, access_token=access_token
        )
