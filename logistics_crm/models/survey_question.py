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

    # One answer is one row of the results: each dimension is asked once.
    _logistics_dimension_unique = models.UniqueIndex(
        "(survey_id, logistics_dimension) WHERE logistics_dimension IS NOT NULL",
        "A survey asks each relationship dimension once.",
    )
