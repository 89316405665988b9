from odoo import api, fields, models
from odoo.tools import SQL

from ..models.logistics_kpi import growth, kpi_help
from ..models.logistics_selections import TRANSPORT_MODES

# A mode counts as usual in an industry when this share of its active
# customers ship on it.
PEER_SHARE = 0.5


class LogisticsCustomerDiscovery(models.Model):
    """Customers worth more attention: close to the next tier, growing
    fastest, or not shipping on modes most of their industry peers use."""

    _name = "logistics.customer.discovery"
    _description = "Key-Customer Discovery"
    _auto = False
    _rec_name = "partner_id"
    _order = "revenue_growth desc nulls last, points_to_next_tier"

    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    industry_id = fields.Many2one(comodel_name="res.partner.industry", readonly=True)
    account_manager_id = fields.Many2one(
        comodel_name="res.users", string="Account Manager", readonly=True
    )
    tier_id = fields.Many2one(
        comodel_name="logistics.service.tier", string="Service Tier", readonly=True
    )
    tier_score = fields.Float(string="Score", readonly=True)
    next_tier_id = fields.Many2one(
        comodel_name="logistics.service.tier", string="Next Tier", readonly=True
    )
    points_to_next_tier = fields.Float(
        readonly=True,
        help="Score points the customer lacks to reach the next tier's minimum.",
    )
    revenue_12m = fields.Float(string="Revenue, Last 12 Months", readonly=True)
    revenue_growth = fields.Float(
        string="Revenue Growth (%)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("revenue_growth"),
    )
    missing_modes = fields.Char(readonly=True)
    cross_sell_hint = fields.Char(
        compute="_compute_cross_sell_hint",
        help="Transport modes most customers of the same industry use and this "
        "customer does not.",
    )

    @api.depends("missing_modes")
    def _compute_cross_sell_hint(self):
        labels = dict(TRANSPORT_MODES)
        labels.update(
            self.env["logistics.shipment"]
            ._fields["mode"]
            ._description_selection(self.env)
        )
        for row in self:
            codes = (row.missing_modes or "").split(",")
            row.cross_sell_hint = ", ".join(
                labels.get(code, code) for code in codes if code
            )

    def action_cross_sell(self):
        """Opportunities for the selected customers (a wizard)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Create Cross-Sell Opportunities"),
            "res_model": "logistics.cross.sell",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_ids": self.partner_id.ids},
        }

    @property
    def _table_query(self):
        return SQL(
            """
            WITH shipped AS (
                 SELECT s.partner_id, s.mode,
                        sum(s.revenue) FILTER (
                            WHERE s.promised_date >= now() - interval '365 days'
                        ) AS recent,
                        sum(s.revenue) FILTER (
                            WHERE s.promised_date < now() - interval '365 days'
                        ) AS before
                   FROM logistics_shipment s
                  WHERE s.active AND s.state != 'cancelled'
                    AND s.promised_date >= now() - interval '730 days'
                    AND s.promised_date < now()
                  GROUP BY s.partner_id, s.mode
            ), customer AS (
                 SELECT partner_id,
                        coalesce(sum(recent), 0) AS recent,
                        coalesce(sum(before), 0) AS before,
                        array_agg(mode) FILTER (WHERE recent > 0) AS modes
                   FROM shipped
                  GROUP BY partner_id
            ), peers AS (
                 SELECT p.industry_id, count(*) AS customers
                   FROM customer c JOIN res_partner p ON p.id = c.partner_id
                  WHERE p.industry_id IS NOT NULL AND c.recent > 0
                  GROUP BY p.industry_id
            -- Computed once: inlined, it would be re-run for every customer.
            ), usual_modes AS MATERIALIZED (
                 SELECT p.industry_id, s.mode
                   FROM shipped s JOIN res_partner p ON p.id = s.partner_id
                   JOIN peers ON peers.industry_id = p.industry_id
                  WHERE s.recent > 0
                  GROUP BY p.industry_id, s.mode, peers.customers
                 HAVING count(*) >= %(share)s * peers.customers
            )
            SELECT partner.id,
                   partner.id AS partner_id,
                   partner.industry_id,
                   partner.account_manager_id,
                   partner.tier_id,
                   coalesce(score.tier_score, 0) AS tier_score,
                   next_tier.id AS next_tier_id,
                   next_tier.min_score - coalesce(score.tier_score, 0)
                       AS points_to_next_tier,
                   customer.recent AS revenue_12m,
                   %(revenue_growth)s AS revenue_growth,
                   (SELECT string_agg(usual.mode, ',' ORDER BY usual.mode)
                      FROM usual_modes usual
                     WHERE usual.industry_id = partner.industry_id
                       AND NOT usual.mode = ANY(coalesce(customer.modes, '{}'))
                   ) AS missing_modes
              FROM customer
              JOIN res_partner partner ON partner.id = customer.partner_id
         LEFT JOIN logistics_customer_score score ON score.partner_id = partner.id
         LEFT JOIN logistics_service_tier tier ON tier.id = partner.tier_id
         LEFT JOIN LATERAL (
                   SELECT t.id, t.min_score FROM logistics_service_tier t
                    WHERE t.active AND t.min_score > coalesce(tier.min_score, -1)
                    ORDER BY t.min_score
                    LIMIT 1
                   ) next_tier ON TRUE
            """,
            share=PEER_SHARE,
            revenue_growth=growth(SQL("customer.recent"), SQL("customer.before")),
        )
