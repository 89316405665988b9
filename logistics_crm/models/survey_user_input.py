from odoo import api, fields, models

from .logistics_kpi import DETRACTOR_SCORE, PROMOTER_SCORE
from .logistics_selections import FOLLOW_UP_STATES, SURVEY_SCORE_DIMENSIONS


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    logistics_customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        related="partner_id.commercial_partner_id",
        store=True,
        index="btree_not_null",
    )
    logistics_start_url = fields.Char(
        string="Answer Link",
        compute="_compute_logistics_start_url",
        help="The survey page with this answer's own token.",
    )
    logistics_invited_on = fields.Datetime(
        string="Invited On",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the relationship survey invited the contact: its cycle "
        "starts there.",
    )
    logistics_reminded = fields.Boolean(
        groups="base.group_user",
        string="Reminded",
        readonly=True,
        copy=False,
        help="The one reminder of a relationship survey invitation was sent.",
    )
    logistics_follow_up_state = fields.Selection(
        groups="base.group_user",
        selection=FOLLOW_UP_STATES,
        string="Follow-up",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="A detractor answer or a low score asks the account manager to "
        "call the customer back; done once that activity is.",
    )
    logistics_follow_up_date = fields.Datetime(
        groups="base.group_user", string="Follow-up Asked On", readonly=True, copy=False
    )
    logistics_followed_up_date = fields.Datetime(
        groups="base.group_user",
        string="Followed Up On",
        readonly=True,
        copy=False,
        tracking=True,
    )
    logistics_follow_up_days = fields.Float(
        groups="base.group_user",
        string="Working Days to Follow Up",
        readonly=True,
        copy=False,
        help="Working days of the customer's tier calendar from the follow-up "
        "asked to its activity done.",
    )
    logistics_complaint_id = fields.Many2one(
        groups="base.group_user",
        comodel_name="logistics.complaint",
        string="Complaint Ticket",
        readonly=True,
        copy=False,
    )
    logistics_theme_ids = fields.Many2many(
        groups="base.group_user",
        comodel_name="logistics.feedback.theme",
        relation="logistics_feedback_theme_answer_rel",
        column1="answer_id",
        column2="theme_id",
        string="Feedback Themes",
        help="What the answer's comment is about, tagged by the account team.",
    )

    def _compute_logistics_start_url(self):
        # The survey's token is not the contact's to read; whoever may read
        # the answer may follow its link.
        for answer in self:
            answer.logistics_start_url = (
                answer.sudo().get_start_url() if answer.survey_id else False
            )

    @api.model
    def _logistics_customer_results(self, customer):
        """The customer's relationship-survey results over its completed
        answers, read with the caller's rights (a portal contact reads its
        own customer's only): answers, NPS, and each dimension's mean."""
        answers = self.search(
            [("logistics_customer_id", "=", customer.id), ("state", "=", "done")]
        )
        scores = {code: [] for code in ("nps", *SURVEY_SCORE_DIMENSIONS)}
        lines = answers.user_input_line_ids
        # The questions are the survey's configuration, not the customer's
        # data: what each measures is read whatever the caller may read.
        dimension_of = {
            question.id: question.logistics_dimension
            for question in lines.question_id.sudo()
        }
        for line in lines:
            code = dimension_of.get(line.question_id.id)
            if line.answer_type == "scale" and code in scores:
                scores[code].append(line.value_scale)
        recommend = scores.pop("nps")
        if not recommend:
            return {}
        promoters = sum(score >= PROMOTER_SCORE for score in recommend)
        detractors = sum(score <= DETRACTOR_SCORE for score in recommend)
        labels = dict(
            self.env["survey.question"]
            ._fields["logistics_dimension"]
            ._description_selection(self.env)
        )
        return {
            "answers": len(recommend),
            "nps": 100.0 * (promoters - detractors) / len(recommend),
            "dimensions": [
                (labels[code], sum(values) / len(values))
                for code, values in scores.items()
                if values
            ],
        }
