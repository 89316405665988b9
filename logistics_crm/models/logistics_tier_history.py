from odoo import api, fields, models

from .bulk_write import insert_rows
from .logistics_naming import name_after_parent


class LogisticsTierHistory(models.Model):
    """A change of a customer's service tier, written only when it changes."""

    _name = "logistics.tier.history"
    _description = "Service Tier History"
    _order = "date desc, id desc"
    # When and by whom are the record's own fields (date, user_id): the audit
    # columns would repeat them and cost two foreign-key checks per row of a
    # first assignment (50 000 rows).
    _log_access = False
    _rec_names_search = ["partner_id"]

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    old_tier_id = fields.Many2one(comodel_name="logistics.service.tier", string="From")
    new_tier_id = fields.Many2one(
        comodel_name="logistics.service.tier", string="To", required=True
    )
    score = fields.Float(digits=(16, 1))
    origin = fields.Selection(
        selection=[("computed", "Computed"), ("override", "Manual Override")],
        required=True,
        default="computed",
    )
    reason = fields.Text()
    user_id = fields.Many2one(
        comodel_name="res.users", string="By", default=lambda self: self.env.user
    )

    @api.depends("partner_id.display_name", "new_tier_id")
    def _compute_display_name(self):
        name_after_parent(self, "partner_id", "new_tier_id")

    @api.model
    def _insert_changes(self, changes, date):
        """Append the tier changes of a recomputation batch in one INSERT.

        ``changes``: (partner_id, old_tier_id, new_tier_id, score, origin,
        reason) tuples. The history is append-only, with no computed field nor
        rule to apply: the ORM's per-row create bookkeeping made writing the
        first tiers of 50 000 customers cost more than scoring them. The
        engine writes it, not the user who started the run (users only read
        the history).
        """
        fnames = (
            "partner_id",
            "old_tier_id",
            "new_tier_id",
            "score",
            "origin",
            "reason",
        )
        insert_rows(
            self.sudo(),
            [
                dict(zip(fnames, change, strict=True), date=date, user_id=self.env.uid)
                for change in changes
            ],
        )
