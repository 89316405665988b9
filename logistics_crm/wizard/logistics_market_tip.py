from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.logistics_selections import MARKET_NEWS_KINDS


class LogisticsMarketTip(models.TransientModel):
    """A prospect spotted in the news (a merger, an expansion, a new product
    line), captured as a lead in one screen: the company, what happened, the
    article, and who follows it up. The lead's source says it came from
    market intelligence, so the campaign and source reports count it."""

    _name = "logistics.market.tip"
    _description = "Capture a Market Intelligence Tip"

    company_name = fields.Char(string="Company", required=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Existing Customer",
        help="When the news is about a customer we already serve.",
    )
    news_kind = fields.Selection(selection=MARKET_NEWS_KINDS, required=True)
    article_url = fields.Char(string="Article Link", required=True)
    note = fields.Text(string="What It Means for Us")
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Follow-Up By",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(comodel_name="crm.team", string="Sales Team")

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id:
            self.company_name = self.partner_id.commercial_partner_id.name

    def action_create_lead(self):
        self.ensure_one()
        url = (self.article_url or "").strip()
        if not url.lower().startswith(("http://", "https://")):
            raise UserError(
                self.env._(
                    "The article link must be a web address (http:// or https://)."
                )
            )
        kinds = dict(self._fields["news_kind"]._description_selection(self.env))
        lead = self.env["crm.lead"].create(
            {
                "type": "lead",
                "name": self.env._(
                    "%(company)s: %(news)s",
                    company=self.company_name,
                    news=kinds[self.news_kind],
                ),
                "partner_name": self.company_name,
                "partner_id": self.partner_id.commercial_partner_id.id,
                "user_id": self.user_id.id,
                "team_id": self.team_id.id,
                "logistics_source": "market",
                "logistics_news_kind": self.news_kind,
                "logistics_source_url": url,
                "source_id": self.env.ref(
                    "logistics_crm.utm_source_market_intelligence"
                ).id,
                "description": self.note,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "views": [(False, "form")],
        }
