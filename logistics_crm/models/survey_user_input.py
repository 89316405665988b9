from odoo import fields, models

from .logistics_selections import FOLLOW_UP_STATES, INTERNAL_GROUP


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    # An invitation cycle creates its answers by the thousand: these stored
    # computes go into the INSERT rather than into one UPDATE per hundred
    # answers afterwards, which PostgreSQL plans as a scan of every answer
    # created so far in the transaction (it cannot count them yet): the
    # first cycle of 100,000 contacts grew quadratically.
    logistics_customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        related="partner_id.commercial_partner_id",
        store=True,
        precompute=True,
        index="btree_not_null",
    )
    scoring_percentage = fields.Float(
        compute="_compute_scoring_values", store=True, precompute=True
    )
    scoring_total = fields.Float(
        compute="_compute_scoring_values", store=True, precompute=True
    )
    scoring_success = fields.Boolean(
        compute="_compute_scoring_success", store=True, precompute=True
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
        groups=INTERNAL_GROUP,
        string="Reminded",
        readonly=True,
        copy=False,
        help="The one reminder of a relationship survey invitation was sent.",
    )
    logistics_follow_up_state = fields.Selection(
        groups=INTERNAL_GROUP,
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
        groups=INTERNAL_GROUP, string="Follow-up Asked On", readonly=True, copy=False
    )
    logistics_followed_up_date = fields.Datetime(
        groups=INTERNAL_GROUP,
        string="Followed Up On",
        readonly=True,
        copy=False,
        tracking=True,
    )
    logistics_follow_up_days = fields.Float(
        groups=INTERNAL_GROUP,
        string="Working Days to Follow Up",
        readonly=True,
        copy=False,
        help="Working days of the customer's tier calendar from the follow-up "
        "asked to its activity done.",
    )
    logistics_complaint_id = fields.Many2one(
        groups=INTERNAL_GROUP,
        comodel_name="logistics.complaint",
        string="Complaint Ticket",
        readonly=True,
        copy=False,
    )
    logistics_theme_ids = fields.Many2many(
        groups=INTERNAL_GROUP,
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
