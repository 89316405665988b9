from odoo import api, fields, models
from odoo.tools.misc import hmac

from .logistics_naming import name_after_parent
from .logistics_selections import NOTIFICATION_EVENTS, NOTIFICATION_LEVEL_EVENTS


class LogisticsNotificationSubscription(models.Model):
    """Which shipment events a customer's contact hears about, how and when."""

    _name = "logistics.notification.subscription"
    _description = "Shipment Notification Subscription"
    _order = "customer_id, partner_id, event_code"
    _rec_names_search = ["partner_id"]

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        required=True,
        index=True,
        ondelete="cascade",
    )
    customer_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer",
        store=True,
        index=True,
    )
    event_code = fields.Selection(
        selection=NOTIFICATION_EVENTS, string="Event", required=True
    )
    channel = fields.Selection(
        selection="_selection_channel", required=True, default="email"
    )
    mode = fields.Selection(
        selection=[("immediate", "Immediately"), ("digest", "Daily Digest")],
        required=True,
        default="immediate",
    )
    active = fields.Boolean(default=True)

    _subscription_unique = models.UniqueIndex(
        "(partner_id, event_code, channel)",
        "A contact subscribes once to an event on a channel.",
    )

    @api.depends("partner_id.display_name", "event_code")
    def _compute_display_name(self):
        name_after_parent(self, "partner_id", "event_code")

    @api.model
    def _selection_channel(self):
        """Channels a notification can go out on. Another channel (SMS...)
        adds itself here and a ``_send_<channel>`` method on
        ``logistics.notification.log``."""
        return [("email", self.env._("Email"))]

    @api.model
    def _subscribe_tier_defaults(self, partners):
        """Subscribe new contacts of customer companies (and the companies
        themselves) to the events their customer's tier notifies by default."""
        own = set(
            self.env["res.company"]
            .sudo()
            .search_fetch([], ["partner_id"])
            .partner_id.ids
        )
        # The companies' own people are not customers to notify.
        # Nor are carriers: they get no shipment notifications.
        targets = partners.filtered(
            lambda partner: partner.commercial_partner_id.is_company
            and not partner.commercial_partner_id.logistics_carrier_type
            and partner.commercial_partner_id.id not in own
        )
        values = []
        for partner in targets:
            level = partner._logistics_service_level()["notification_level"]
            values += [
                {"partner_id": partner.id, "event_code": code}
                for code in NOTIFICATION_LEVEL_EVENTS.get(level, [])
            ]
        self.sudo().create(values)

    @api.model
    def _unsubscribe_token(self, partner):
        return hmac(self.env(su=True), "logistics-unsubscribe", partner.id)

    @api.model
    def _unsubscribe_url(self, partner):
        """The one-click link of a contact's mails that stops them all."""
        token = self._unsubscribe_token(partner)
        return (
            f"{partner.get_base_url()}/logistics/notifications/unsubscribe/"
            f"{partner.id}/{token}"
        )
