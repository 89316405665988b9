from odoo import fields, models
from odoo.tools import SQL

from ..models import logistics_kpi as kpi
from ..models.logistics_kpi import kpi_help
from ..models.logistics_selections import TRANSPORT_MODES


class LogisticsSalesForecast(models.Model):
    """The open pipeline and its weighted forecast, by expected closing month,
    mode, lane, stage, team, salesperson, source and campaign.

    One row per lane of each open opportunity (one row for an opportunity
    without lanes), carrying the lane's share of the opportunity's expected
    and prorated revenue, so the totals of any grouping are the
    opportunities' own and an opportunity selling sea and air shows under
    both modes in proportion. Won and lost ones are the win-rate report's.
    """

    _name = "logistics.sales.forecast"
    _inherit = ["logistics.sales.report.dimensions"]
    _description = "Sales Forecast and Pipeline"
    _auto = False
    _rec_name = "lead_id"
    _order = "date, id"
    # A stage change or a new probability must be read fresh.
    _depends = {
        "crm.lead": [
            "active",
            "company_id",
            "date_deadline",
            "expected_revenue",
            "partner_id",
            "probability",
            "prorated_revenue",
            "stage_id",
            "team_id",
            "type",
            "user_id",
            "won_status",
            "campaign_id",
            "source_id",
        ],
        "logistics.lane": ["active", "expected_revenue", "lead_id", "mode"],
    }

    lead_id = fields.Many2one(
        comodel_name="crm.lead", string="Opportunity", readonly=True
    )
    date = fields.Datetime(string="Expected Closing", readonly=True)
    stage_id = fields.Many2one(comodel_name="crm.stage", string="Stage", readonly=True)
    source_id = fields.Many2one(
        comodel_name="utm.source", string="Source", readonly=True
    )
    campaign_id = fields.Many2one(
        comodel_name="utm.campaign", string="Campaign", readonly=True
    )
    lane_id = fields.Many2one(comodel_name="logistics.lane", readonly=True)
    mode = fields.Selection(selection=TRANSPORT_MODES, readonly=True)
    origin_country_id = fields.Many2one(
        comodel_name="res.country", string="Origin Country", readonly=True
    )
    destination_country_id = fields.Many2one(
        comodel_name="res.country", string="Destination Country", readonly=True
    )
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    probability = fields.Float(
        string="Probability (%)", aggregator="avg", readonly=True
    )
    opportunity_share = fields.Float(
        string="Opportunities",
        readonly=True,
        help="The opportunities counted, a lane counting its share of its opportunity.",
    )
    expected_revenue = fields.Monetary(string="Pipeline", readonly=True)
    forecast_revenue = fields.Monetary(
        string="Weighted Forecast",
        readonly=True,
        help=kpi_help("weighted_forecast"),
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH lane AS (
                SELECT lane.id,
                       lane.lead_id,
                       lane.mode,
                       lane.origin_country_id,
                       lane.destination_country_id,
                       coalesce(lane.expected_revenue, 0) AS revenue,
                       sum(coalesce(lane.expected_revenue, 0))
                           OVER (PARTITION BY lane.lead_id) AS lead_revenue,
                       count(*) OVER (PARTITION BY lane.lead_id) AS lane_count
                  FROM logistics_lane lane
                 WHERE lane.lead_id IS NOT NULL AND lane.active
            ), part AS (
                SELECT lead.id AS lead_id,
                       lane.id AS lane_id,
                       lane.mode,
                       lane.origin_country_id,
                       lane.destination_country_id,
                       CASE WHEN lane.id IS NULL THEN 1.0
                            WHEN lane.lead_revenue > 0
                            THEN lane.revenue / lane.lead_revenue
                            ELSE 1.0 / lane.lane_count
                       END AS share
                  FROM crm_lead lead
                  LEFT JOIN lane ON lane.lead_id = lead.id
                 WHERE lead.active
                   AND lead.type = 'opportunity'
                   AND lead.won_status = 'pending'
            )
            SELECT -- Unique per row: even ids for opportunities, odd for lanes.
                   CASE WHEN part.lane_id IS NULL THEN lead.id * 2
                        ELSE part.lane_id * 2 + 1
                   END AS id,
                   lead.id AS lead_id,
                   lead.date_deadline::timestamp AS date,
                   lead.stage_id,
                   lead.source_id,
                   lead.campaign_id,
                   lead.user_id,
                   lead.team_id,
                   lead.partner_id,
                   lead.company_id,
                   company.currency_id,
                   part.lane_id,
                   part.mode,
                   part.origin_country_id,
                   part.destination_country_id,
                   lead.probability,
                   part.share AS opportunity_share,
                   coalesce(lead.expected_revenue, 0) * part.share
                       AS expected_revenue,
                   %(forecast)s AS forecast_revenue
              FROM part
              JOIN crm_lead lead ON lead.id = part.lead_id
              LEFT JOIN res_company company ON company.id = lead.company_id
            """,
            forecast=kpi.weighted_forecast_value("lead", SQL("part.share")),
        )
