from odoo import fields, models

from .logistics_selections import SURVEY_DIMENSIONS


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    logistics_dimension = fields.Selection(
        selection=SURVEY_DIMENSIONS,
        string="Relationship Dimension",
        help="What this question of the relationship survey measures, for the "
        "NPS and the dimension scores of the customer's results.",
    )
