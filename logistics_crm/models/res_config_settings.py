from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_on_time_tolerance_hours = fields.Float(
        related="company_id.logistics_on_time_tolerance_hours",
        readonly=False,
    )
    logistics_eta_threshold_hours = fields.Float(
        related="company_id.logistics_eta_threshold_hours",
        readonly=False,
    )
    logistics_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Logistics Company Currency"
    )
    logistics_strategic_revenue = fields.Monetary(
        related="company_id.logistics_strategic_revenue",
        currency_field="logistics_company_currency_id",
        readonly=False,
    )
    logistics_senior_team_id = fields.Many2one(
        related="company_id.logistics_senior_team_id",
        readonly=False,
    )
    logistics_sla_warning_share = fields.Float(
        string="SLA Warning At (%)",
        config_parameter="logistics_crm.sla_warning_share",
        default=80.0,
        help="Share of an SLA target after which the assignee is warned.",
    )
    logistics_churn_alert_threshold = fields.Float(
        string="Churn Alert At",
        config_parameter="logistics_crm.churn_alert_threshold",
        default=60.0,
        help="Churn risk (0-100) from which the account manager is alerted.",
    )
    logistics_survey_follow_up_days = fields.Float(
        string="Follow Up Detractors Within (working days)",
        config_parameter="logistics_crm.survey_follow_up_days",
        default=2.0,
        help="A detractor's call-back counts as in time within this many working "
        "days of the customer's tier calendar.",
    )
