from odoo import api, fields, models

PROFILE_REVIEW_ACTIVITY = "logistics_crm.mail_activity_type_profile_review"


class LogisticsAccountFollowup(models.AbstractModel):
    """What the account managers are asked to do about their customers:
    activities created in one batch for many customers (profile reviews, tier
    changes, churn alerts), rather than one ``activity_schedule`` each."""

    _name = "logistics.account.followup"
    _description = "Account Manager Follow-up"

    @api.model
    def _create_account_manager_activities(self, activity_type, entries, **values):
        """One activity per (partner, summary) for the partner's account
        manager."""
        if not entries:
            return
        res_model_id = self.env["ir.model"]._get_id("res.partner")
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": res_model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "user_id": partner.account_manager_id.id,
                    "summary": summary,
                    **values,
                }
                for partner, summary in entries
            ]
        )

    @api.model
    def _schedule_profile_reviews(self):
        """Give each overdue profile one review activity for its account manager.

        A profile that already has an open review activity gets no second one.
        """
        today = fields.Date.context_today(self)
        overdue = self.env["res.partner"].search(
            [
                ("is_company", "=", True),
                ("account_manager_id", "!=", False),
                ("profile_review_due_date", "<=", today),
            ]
        )
        if not overdue:
            return
        activity_type = self.env.ref(PROFILE_REVIEW_ACTIVITY)
        already_open = {
            res_id
            for [res_id] in self.env["mail.activity"]._read_group(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", overdue.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
            )
        }
        summary = self.env._("Review the logistics profile")
        self._create_account_manager_activities(
            activity_type,
            [
                (partner, summary)
                for partner in overdue
                if partner.id not in already_open
            ],
            date_deadline=today,
        )

    @api.model
    def _mark_profile_reviewed(self, customers):
        """Record the review and close the open review activities it answers."""
        customers.write(
            {
                "profile_reviewed_date": fields.Date.context_today(self),
                "profile_reviewed_by_id": self.env.uid,
            }
        )
        activity_type = self.env.ref(PROFILE_REVIEW_ACTIVITY)
        customers.activity_ids.filtered(
            lambda act: act.activity_type_id == activity_type
        ).action_done()
