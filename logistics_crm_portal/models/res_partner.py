from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _logistics_portal_save_subscriptions(self, modes, opt_out):
        """Save a contact's choices from the portal's notification page.

        ``modes`` maps each event code to ``"immediate"``, ``"digest"`` or a
        false value (not notified). Existing subscriptions are reactivated or
        archived rather than deleted, so the back office keeps their history;
        writes are grouped by outcome, not issued per event.
        """
        self.ensure_one()
        Subscription = self.env["logistics.notification.subscription"]
        existing = {
            subscription.event_code: subscription
            for subscription in Subscription.with_context(active_test=False).search(
                [("partner_id", "=", self.id), ("channel", "=", "email")]
            )
        }
        by_outcome = {}
        to_create = []
        for code, mode in modes.items():
            subscription = existing.get(code)
            if subscription:
                outcome = (bool(mode), mode or subscription.mode)
                by_outcome.setdefault(outcome, Subscription)
                by_outcome[outcome] |= subscription
            elif mode:
                to_create.append(
                    {"partner_id": self.id, "event_code": code, "mode": mode}
                )
        for (active, mode), subscriptions in by_outcome.items():
            subscriptions.write({"active": active, "mode": mode})
        Subscription.create(to_create)
        if self.logistics_notify_opt_out != bool(opt_out):
            self.logistics_notify_opt_out = bool(opt_out)
        return True
