from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request
from odoo.tools import consteq

UNSUBSCRIBE_URL = "/logistics/notifications/unsubscribe/<int:partner_id>/<string:token>"
PUBLIC_PAGE = {"type": "http", "auth": "public", "website": True}


class LogisticsNotificationController(http.Controller):
    """The unsubscribe link of every shipment notification.

    The link carries an HMAC of the contact's id, so it works without login
    and cannot be forged for another contact. GET only shows a confirmation:
    mail scanners that follow links must not unsubscribe anybody.
    """

    def _contact_from_token(self, partner_id, token):
        partner = request.env["res.partner"].sudo().browse(partner_id).exists()
        Subscription = request.env["logistics.notification.subscription"]
        if not partner or not consteq(
            Subscription._unsubscribe_token(partner), token or ""
        ):
            raise NotFound()
        return partner

    def _unsubscribe_page(self, partner, token, done):
        return request.render(
            "logistics_crm.notification_unsubscribe_page",
            {"partner": partner, "token": token, "done": done},
        )

    @http.route(UNSUBSCRIBE_URL, methods=["GET"], readonly=True, **PUBLIC_PAGE)
    def unsubscribe_page(self, partner_id, token):
        partner = self._contact_from_token(partner_id, token)
        return self._unsubscribe_page(partner, token, done=False)

    @http.route(UNSUBSCRIBE_URL, methods=["POST"], **PUBLIC_PAGE)
    def unsubscribe(self, partner_id, token):
        partner = self._contact_from_token(partner_id, token)
        partner.write({"logistics_notify_opt_out": True})
        return self._unsubscribe_page(partner, token, done=True)
