from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _logistics_portal_save_subscriptions(self, modes, opt_out, sms_codes=None):
        """Save a contact's choices from the portal's notification page.

        ``modes`` maps each event code to ``"immediate"``, ``"digest"`` or a
        false value (not e-mailed). ``sms_codes`` is the set of events the
        contact wants texted (SMS is immediate only); ``None`` leaves the SMS
        subscriptions untouched, for a page that did not offer them. Existing
        subscriptions are reactivated or archived rather than deleted, so the
        back office keeps their history; writes are grouped by outcome, not
        issued per event.
        """
        self.ensure_one()
        wanted = {("email", code): mode for code, mode in modes.items()}
        if sms_codes is not None:
            wanted.update(
                {("sms", code): code in sms_codes and "immediate" for code in modes}
            )
        Subscription = self.env["logistics.notification.subscription"]
        existing = {
            (subscription.channel, subscription.event_code): subscription
            for subscription in Subscription.with_context(active_test=False).search(
                [
                    ("partner_id", "=", self.id),
                    ("channel", "in", list({channel for channel, _code in wanted})),
                ]
            )
        }
        by_outcome = {}
        to_create = []
        for (channel, code), mode in wanted.items():
            subscription = existing.get((channel, code))
            if subscription:
                outcome = (bool(mode), mode or subscription.mode)
                by_outcome.setdefault(outcome, Subscription)
                by_outcome[outcome] |= subscription
            elif mode:
                to_create.append(
                    {
                        "partner_id": self.id,
                        "event_code": code,
                        "channel": channel,
                        "mode": mode,
                    }
                )
        for (active, mode), subscriptions in by_outcome.items():
            subscriptions.write({"active": active, "mode": mode})
        Subscription.create(to_create)
        if self.logistics_notify_opt_out != bool(opt_out):
            self.logistics_notify_opt_out = bool(opt_out)
        return True
