from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain

from ..models.logistics_kpi import kpi_help

# The salesperson's results look back a year, the forecast a quarter ahead.
RESULTS_MONTHS = 12
FORECAST_MONTHS = 3


class LogisticsSalesFigures(models.TransientModel):
    """A salesperson's own figures on one screen: the open pipeline and its
    weighted forecast, won and lost, win rate and sales cycle, quotes sent
    and their conversion, bookings. Each figure is read from the report a
    manager reads (same formulas, same record rules), so the salesperson and
    the manager see the same number."""

    _name = "logistics.sales.figures"
    _description = "My Sales Figures"

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        default=lambda self: self.env.user,
        required=True,
        readonly=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency", default=lambda self: self.env.company.currency_id
    )
    pipeline_count = fields.Integer(
        string="Open Opportunities", compute="_compute_figures"
    )
    pipeline_revenue = fields.Monetary(string="Pipeline", compute="_compute_figures")
    forecast_month = fields.Monetary(
        string="Forecast This Month",
        compute="_compute_figures",
        help=kpi_help("weighted_forecast"),
    )
    forecast_quarter = fields.Monetary(
        string="Forecast, This and Next 2 Months",
        compute="_compute_figures",
        help=kpi_help("weighted_forecast"),
    )
    won_count = fields.Integer(string="Won (12 months)", compute="_compute_figures")
    lost_count = fields.Integer(string="Lost (12 months)", compute="_compute_figures")
    win_rate = fields.Float(
        string="Win Rate (%)", compute="_compute_figures", help=kpi_help("win_rate")
    )
    cycle_days = fields.Float(
        string="Sales Cycle (days)",
        compute="_compute_figures",
        help=kpi_help("sales_cycle_days"),
    )
    quote_count = fields.Integer(
        string="Quotes Sent (12 months)", compute="_compute_figures"
    )
    quote_conversion = fields.Float(
        string="Quote Conversion (%)",
        compute="_compute_figures",
        help=kpi_help("quote_conversion"),
    )
    booked_revenue = fields.Monetary(
        string="Booked (12 months)", compute="_compute_figures"
    )

    @api.depends("user_id")
    def _compute_figures(self):
        # The report views read what the ORM may still hold in memory.
        self.env.flush_all()
        for figures in self:
            figures.update(figures._figures())

    def _figures(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        month_start = today.replace(day=1)
        year_ago = fields.Datetime.to_datetime(
            month_start - relativedelta(months=RESULTS_MONTHS - 1)
        )
        mine = Domain("user_id", "=", self.user_id.id)
        [(count, pipeline)] = self.env["logistics.sales.forecast"]._read_group(
            mine, [], ["lead_id:count_distinct", "expected_revenue:sum"]
        )
        forecast = self._forecast(mine, month_start)
        won, lost, win_rate, cycle = self._outcome(mine, year_ago)
        [(quotes, conversion)] = self.env["logistics.quote.conversion"]._read_group(
            mine & Domain("date_sent", ">=", year_ago),
            [],
            ["quote_count:sum", "conversion_rate:avg"],
        )
        [(booked,)] = self.env["logistics.sales.report"]._read_group(
            mine & Domain("state", "=", "sale") & Domain("date", ">=", year_ago),
            [],
            ["amount_booked:sum"],
        )
        return {
            "pipeline_count": count or 0,
            "pipeline_revenue": pipeline or 0.0,
            "forecast_month": forecast[0],
            "forecast_quarter": forecast[1],
            "won_count": won or 0,
            "lost_count": lost or 0,
            "win_rate": win_rate or 0.0,
            "cycle_days": cycle or 0.0,
            "quote_count": quotes or 0,
            "quote_conversion": conversion or 0.0,
            "booked_revenue": booked or 0.0,
        }

    def _forecast(self, mine, month_start):
        """The weighted forecast closing this month, and in the next
        ``FORECAST_MONTHS`` months from this one."""
        ends = [month_start + relativedelta(months=n) for n in (1, FORECAST_MONTHS)]
        groups = dict(
            self.env["logistics.sales.forecast"]._read_group(
                mine
                & Domain("date", ">=", fields.Datetime.to_datetime(month_start))
                & Domain("date", "<", fields.Datetime.to_datetime(ends[1])),
                ["date:month"],
                ["forecast_revenue:sum"],
            )
        )
        this_month = fields.Datetime.to_datetime(month_start)
        return (
            sum(v or 0.0 for month, v in groups.items() if month == this_month),
            sum(v or 0.0 for v in groups.values()),
        )

    def _outcome(self, mine, since):
        [(won, lost, win_rate, cycle)] = self.env[
            "logistics.sales.outcome"
        ]._read_group(
            mine & Domain("date", ">=", since),
            [],
            ["won_count:sum", "lost_count:sum", "win_rate:avg", "cycle_days:avg"],
        )
        return won, lost, win_rate, cycle

    def action_view_forecast(self):
        self.ensure_one()
        return self._my_report("logistics_crm.logistics_sales_forecast_action")

    def action_view_outcome(self):
        self.ensure_one()
        return self._my_report("logistics_crm.logistics_sales_outcome_action")

    def _my_report(self, xmlid):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("user_id", "=", self.user_id.id)]
        action["context"] = {}
        return action

    @api.model
    def open_for_current_user(self):
        """The screen of the current user's figures."""
        figures = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("My Sales Figures"),
            "res_model": self._name,
            "res_id": figures.id,
            "view_mode": "form",
            "target": "current",
        }
