from odoo import http
from odoo.http import request

from .portal_base import LogisticsPortalBase

NOTIFICATION_MODES = ("immediate", "digest")


class NotificationPortal(LogisticsPortalBase):
    """The contact's shipment notification preferences."""

    @http.route(
        ["/my/notifications"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_my_notifications(self, **kw):
        contact = request.env.user.partner_id
        Subscription = request.env["logistics.notification.subscription"]
        events = Subscription._fields["event_code"]._description_selection(request.env)
        saved = False
        # A login on a company's own partner reads the page but subscribes
        # nothing: subscriptions belong to the company's contacts.
        is_company = contact.is_company
        # SMS is offered to a contact with a number to text; without one the
        # page leaves their SMS rows (set in the back office) as they are.
        sms_number = contact._logistics_sms_number()
        if request.httprequest.method == "POST" and not is_company:
            modes = {}
            for code, _label in events:
                mode = kw.get(f"mode_{code}")
                modes[code] = mode if mode in NOTIFICATION_MODES else False
            sms_codes = (
                {code for code, _label in events if kw.get(f"sms_{code}")}
                if sms_number
                else None
            )
            # The contact edits only their own subscriptions: sudo because
            # portal users have no write right on the model, scoped here.
            contact.sudo()._logistics_portal_save_subscriptions(
                modes, bool(kw.get("opt_out")), sms_codes=sms_codes
            )
            saved = True
        subscriptions = {}
        sms_subscribed = set()
        for subscription in Subscription.search([("partner_id", "=", contact.id)]):
            if subscription.channel == "email":
                subscriptions[subscription.event_code] = subscription
            elif subscription.channel == "sms":
                sms_subscribed.add(subscription.event_code)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_notifications",
                "events": events,
                "subscriptions": subscriptions,
                "sms_number": sms_number,
                "sms_subscribed": sms_subscribed,
                "opt_out": contact.sudo().logistics_notify_opt_out,
                "saved": saved,
                "is_company": is_company,
            }
        )
        return request.render("logistics_crm_portal.portal_my_notifications", values)
