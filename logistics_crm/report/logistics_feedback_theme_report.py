from odoo import fields, models
from odoo.tools import SQL


class LogisticsFeedbackThemeReport(models.Model):
    """Survey comments by theme beside complaints by root cause: one row per
    theme tagged on a completed answer, and one per complaint with a root
    cause, each carrying the root cause (a theme's own), so grouped by root
    cause a recurring theme shows beside the recurring cause, and grouped by
    month the trend of each."""

    _name = "logistics.feedback.theme.report"
    _description = "Feedback Themes and Root Causes"
    _auto = False
    _rec_name = "root_cause_id"
    _order = "date desc, id desc"
    _depends = {
        "survey.user_input": ["state", "end_datetime", "logistics_theme_ids"],
        "logistics.feedback.theme": ["root_cause_id"],
        "logistics.complaint": ["root_cause_id", "partner_id"],
    }

    date = fields.Datetime(readonly=True)
    theme_id = fields.Many2one(
        comodel_name="logistics.feedback.theme", string="Theme", readonly=True
    )
    root_cause_id = fields.Many2one(
        comodel_name="logistics.complaint.root.cause",
        string="Root Cause",
        readonly=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    mention_count = fields.Integer(string="Survey Mentions", readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)

    @property
    def _table_query(self):
        # Even ids for the mentions, odd ones for the complaints.
        return SQL(
            """
            SELECT row_number() OVER (ORDER BY rel.answer_id, rel.theme_id) * 2 AS id,
                   coalesce(answer.end_datetime, answer.write_date) AS date,
                   theme.id AS theme_id,
                   theme.root_cause_id,
                   answer.logistics_customer_id AS partner_id,
                   customer.company_id,
                   1 AS mention_count,
                   0 AS complaint_count
              FROM logistics_feedback_theme_answer_rel rel
              JOIN survey_user_input answer ON answer.id = rel.answer_id
              JOIN logistics_feedback_theme theme ON theme.id = rel.theme_id
              LEFT JOIN res_partner customer
                     ON customer.id = answer.logistics_customer_id
             WHERE answer.state = 'done'
             UNION ALL
            SELECT complaint.id * 2 + 1,
                   complaint.create_date,
                   NULL,
                   complaint.root_cause_id,
                   complaint.partner_id,
                   complaint.company_id,
                   0,
                   1
              FROM logistics_complaint complaint
             WHERE complaint.root_cause_id IS NOT NULL AND complaint.active
            """
        )
