from odoo import api, fields, models
from odoo.tools import SQL

from .bulk_write import insert_rows, write_columns


class LogisticsCustomerScore(models.Model):
    """The scoring engines' latest output for one customer: the tier and churn
    scores with their breakdowns, the computed tier and the churn alert.

    Kept off ``res_partner`` on purpose: every run rewrites every customer's
    scores, and a partner row has 37 indexes to maintain; on this narrow
    table a run updates two, and the partner row is written only when the
    tier itself moves (a run of 50 000 customers otherwise left 400 000 dead
    partner rows and slowed every later run)."""

    _name = "logistics.customer.score"
    _description = "Customer Score"
    _rec_name = "partner_id"
    # The engines write every row at every run: the audit columns would cost
    # two foreign-key checks a row and say no more than tier_computed_date.
    _log_access = False

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    tier_score = fields.Float(digits=(16, 1), readonly=True)
    tier_breakdown = fields.Json(readonly=True)
    tier_computed_id = fields.Many2one(
        comodel_name="logistics.service.tier", string="Computed Tier", readonly=True
    )
    tier_computed_date = fields.Datetime(string="Tier Computed On", readonly=True)
    churn_score = fields.Float(
        string="Churn Risk",
        digits=(16, 1),
        readonly=True,
        help="0-100: the weighted churn-risk rules on the customer's recent "
        "volumes, complaints, ratings, SLA breaches, exceptions, contacts and "
        "contract end.",
    )
    churn_breakdown = fields.Json(readonly=True)
    churn_alert = fields.Boolean(
        string="At Risk",
        readonly=True,
        index=True,
        help="The churn risk was at or above the alert threshold at the last run.",
    )

    _partner_unique = models.UniqueIndex(
        "(partner_id)", "A customer has one score record."
    )

    @api.model
    def _store_scores(self, partners, columns, rows, score_of=None):
        """Store engine output for the partners: ``columns`` maps field names
        to their SQL types (as for ``write_columns``), ``rows`` holds one
        tuple of values per partner, in the partners' order; ``score_of``,
        when the caller has read them, the partners' current links
        ({partner id: score id or None}).

        A partner's score record is updated, or created with the values when
        it has none. Returns ({partner id: score id}, the ids of the partners
        whose record was created now): their link is for the caller to store
        with whatever else it writes on them, so that no partner row is
        written twice. The partners show these fields under the same names:
        their cached values, and what is computed from them, go too."""
        if score_of is None:
            partners.flush_recordset(["logistics_score_id"])
            self.env.cr.execute(
                SQL(
                    "SELECT id, logistics_score_id FROM res_partner WHERE id = ANY(%s)",
                    partners.ids,
                )
            )
            score_of = dict(self.env.cr.fetchall())
        updated, new = [], []
        for partner_id, row in zip(partners.ids, rows, strict=True):
            if score_of[partner_id]:
                updated.append((score_of[partner_id], *row))
            else:
                new.append((partner_id, row))
        fnames = list(columns)
        created = insert_rows(
            self.sudo(),
            [
                {"partner_id": partner_id, **dict(zip(fnames, row, strict=True))}
                for partner_id, row in new
            ],
        )
        write_columns(self.browse(row[0] for row in updated), columns, updated)
        partners.invalidate_recordset(fnames)
        partners.modified(fnames)
        created_for = [partner_id for partner_id, _row in new]
        score_of.update(zip(created_for, created.ids, strict=True))
        return score_of, set(created_for)
