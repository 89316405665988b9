from itertools import product

from odoo import api, fields, models
from odoo.exceptions import ValidationError
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
        """Channels a notification can go out on. Another channel adds itself
        here and, on ``logistics.notification.log``, a
        ``_reachable_sql_<channel>`` condition (who can get it) and a
        ``_send_<channel>`` method."""
        return [("email", self.env._("Email")), ("sms", self.env._("SMS"))]

    @api.constrains("channel", "mode")
    def _check_sms_is_immediate(self):
        # A text message is read at once and has no room for a day's list:
        # an SMS digest would be a count and a link to a page that needs a
        # login, so the digest stays an e-mail.
        if self.filtered(lambda row: row.channel == "sms" and row.mode != "immediate"):
            raise ValidationError(
                self.env._(
                    "SMS notifications are sent immediately: the daily digest "
                    "is sent by e-mail only."
                )
            )

    @api.onchange("channel")
    def _onchange_channel_sms_is_immediate(self):
        if self.channel == "sms":
            self.mode = "immediate"

    @api.constrains("partner_id")
    def _check_partner_is_a_contact(self):
        # A company has no mailbox of its own to read notifications in: what
        # it held went to its generic address, and its contacts' portal page
        # showed none of it. Its contacts hold the subscriptions instead.
        companies = self.partner_id.filtered("is_company")
        if companies:
            raise ValidationError(
                self.env._(
                    "Shipment notifications are subscribed by a company's "
                    "contacts, not by the company itself: %s.",
                    ", ".join(companies.mapped("display_name")),
                )
            )

    @api.model
    def _notifiable_contacts(self, partners):
        """The people among ``partners`` who hold subscriptions: contacts of
        customer companies (not the companies, not addresses, not the
        companies' own employees)."""
        own = set(
            self.env["res.company"]
            .sudo()
            .search_fetch([], ["partner_id"])
            .partner_id.ids
        )
        # The companies' own people are not customers to notify, nor are
        # carriers' people: carriers get no shipment notifications.
        return partners.filtered(
            lambda partner: not partner.is_company
            and partner.active
            and partner.type == "contact"
            and partner.commercial_partner_id.is_company
            and not partner.commercial_partner_id.logistics_carrier_type
            and partner.commercial_partner_id.id not in own
        )

    @api.model
    def _subscribe_tier_defaults(self, partners):
        """Give the contacts among ``partners`` that hold no subscription yet
        (archived ones count: they are a choice) their company's defaults,
        the events its tier notifies. Called when a contact is created and
        when it joins a company; the company itself holds nothing."""
        contacts = self._notifiable_contacts(partners)
        if not contacts:
            return self.browse()
        holding = {
            partner.id
            for [partner] in self.sudo()
            .with_context(active_test=False)
            ._read_group([("partner_id", "in", contacts.ids)], ["partner_id"])
        }
        contacts = contacts.filtered(lambda contact: contact.id not in holding)
        by_customer = contacts.grouped("commercial_partner_id")
        values = []
        # Iterating the recordset (not the dict's keys) reads the customers'
        # tiers in one go.
        for customer in contacts.commercial_partner_id:
            level = customer._logistics_service_level()["notification_level"]
            values += [
                {"partner_id": contact.id, "event_code": code}
                for contact in by_customer[customer]
                for code in NOTIFICATION_LEVEL_EVENTS.get(level, [])
            ]
        return self.sudo().create(values)

    @api.model
    def _follow_partners(self, partners, vals):
        """A contact that joins a customer company (a portal user is created
        first, then attached) inherits its defaults like one created there,
        unless it already holds subscriptions."""
        if {"parent_id", "is_company", "type", "active"} & set(vals):
            self._subscribe_tier_defaults(partners)

    @api.model
    def _move_company_subscriptions_to_contacts(self):
        """Hand the subscriptions held by companies to their contacts, then
        drop the companies' rows.

        The contacts who log in (portal or back office) take them if the
        company has any, otherwise all its contacts do; a contact keeps its
        own row for an event and channel it already holds. A company without
        contacts loses its rows: nobody was reading that address as a person,
        and notifying nobody is the rule for such a company.
        """
        Subscription = self.sudo().with_context(active_test=False)
        held = Subscription.search([("partner_id.is_company", "=", True)])
        if not held:
            return 0
        companies = held.partner_id
        contacts = self._notifiable_contacts(
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", companies.ids),
                    ("is_company", "=", False),
                ]
            )
        )
        taken = {
            (row.partner_id.id, row.event_code, row.channel)
            for row in Subscription.search([("partner_id", "in", contacts.ids)])
        }
        by_company = contacts.grouped("commercial_partner_id")
        values = []
        for company, rows in held.grouped("partner_id").items():
            members = by_company.get(company, contacts.browse())
            members = members.filtered("user_ids") or members
            for contact, row in product(members, rows):
                key = (contact.id, row.event_code, row.channel)
                if key in taken:
                    continue
                taken.add(key)
                values.append(
                    {
                        "partner_id": contact.id,
                        "event_code": row.event_code,
                        "channel": row.channel,
                        "mode": row.mode,
                        "active": row.active,
                    }
                )
        held.unlink()
        Subscription.create(values)
        return len(held)

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
