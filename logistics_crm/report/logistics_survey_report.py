from odoo import fields, models
from odoo.tools import SQL

from ..models import logistics_kpi as kpi
from ..models.logistics_kpi import kpi_help
from ..models.logistics_selections import FOLLOW_UP_STATES, INTERNAL_GROUP
from ..models.logistics_selections import SURVEY_SCORE_DIMENSIONS as DIMENSIONS

# Working days within which a detractor is to be called back, unless set.
DEFAULT_FOLLOW_UP_DAYS = 2
FOLLOW_UP_DAYS_PARAM = "logistics_crm.survey_follow_up_days"


class LogisticsSurveyReport(models.Model):
    """The relationship survey's completed answers: the likelihood to
    recommend (0-10) with its promoter, passive or detractor class and NPS
    value, and each service dimension's score (1-5), by customer, tier,
    account manager, industry, country and month answered.

    One row per completed answer that has a likelihood-to-recommend score:
    the NPS of any grouping is the mean of its NPS values, a dimension's
    score the mean of its answers (empty when unanswered)."""

    _name = "logistics.survey.report"
    _description = "Relationship Survey Results"
    _auto = False
    _rec_name = "answer_id"
    _order = "date desc, id desc"
    _depends = {
        "survey.user_input": [
            "state",
            "end_datetime",
            "logistics_customer_id",
            "logistics_follow_up_state",
            "logistics_follow_up_days",
        ],
        "survey.user_input.line": ["value_scale", "question_id", "user_input_id"],
        "survey.question": ["logistics_dimension"],
        "res.partner": ["tier_id", "account_manager_id", "industry_id", "country_id"],
    }

    answer_id = fields.Many2one(
        comodel_name="survey.user_input", string="Answer", readonly=True
    )
    date = fields.Datetime(string="Answered On", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    contact_id = fields.Many2one(
        comodel_name="res.partner", string="Contact", readonly=True
    )
    tier_id = fields.Many2one(
        comodel_name="logistics.service.tier", string="Service Tier", readonly=True
    )
    account_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Account Manager",
        readonly=True,
        groups=INTERNAL_GROUP,
    )
    industry_id = fields.Many2one(comodel_name="res.partner.industry", readonly=True)
    country_id = fields.Many2one(comodel_name="res.country", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    answer_count = fields.Integer(string="Answers", readonly=True)
    recommend_score = fields.Float(
        string="Likelihood to Recommend (0-10)", aggregator="avg", readonly=True
    )
    nps_class = fields.Selection(
        selection=[
            ("promoter", "Promoter"),
            ("passive", "Passive"),
            ("detractor", "Detractor"),
        ],
        string="NPS Class",
        readonly=True,
    )
    promoter_count = fields.Integer(string="Promoters", readonly=True)
    passive_count = fields.Integer(string="Passives", readonly=True)
    detractor_count = fields.Integer(string="Detractors", readonly=True)
    nps = fields.Float(
        string="NPS", aggregator="avg", readonly=True, help=kpi_help("nps")
    )
    timeliness = fields.Float(
        string="Timeliness (1-5)", aggregator="avg", readonly=True
    )
    tracking = fields.Float(
        string="Tracking Information (1-5)", aggregator="avg", readonly=True
    )
    exceptions = fields.Float(
        string="Exception Handling (1-5)", aggregator="avg", readonly=True
    )
    communication = fields.Float(
        string="Communication (1-5)", aggregator="avg", readonly=True
    )
    billing = fields.Float(
        string="Billing Accuracy (1-5)", aggregator="avg", readonly=True
    )
    value = fields.Float(
        string="Value for Money (1-5)", aggregator="avg", readonly=True
    )
    # How the account team handled an answer is not the customer's to read.
    follow_up_state = fields.Selection(
        selection=FOLLOW_UP_STATES,
        string="Follow-up",
        readonly=True,
        groups=INTERNAL_GROUP,
    )
    follow_up_days = fields.Float(
        string="Working Days to Follow Up",
        aggregator="avg",
        readonly=True,
        groups=INTERNAL_GROUP,
    )
    follow_up_in_time = fields.Float(
        string="Followed Up in Time (%)",
        aggregator="avg",
        readonly=True,
        groups=INTERNAL_GROUP,
        help=kpi_help("detractor_follow_up"),
    )

    def _customer_results(self, customer):
        """The customer's results over all its answers, read with the
        caller's rights (a portal contact reads its own customer's only):
        answers, NPS and each scored dimension's (label, mean)."""
        [(answers, nps, *means)] = self._read_group(
            [("partner_id", "=", customer.id)],
            [],
            ["answer_count:sum", "nps:avg"] + [f"{d}:avg" for d in DIMENSIONS],
        )
        if not answers:
            return {}
        return {
            "answers": answers,
            "nps": nps,
            "dimensions": [
                (self._fields[name].get_description(self.env)["string"], mean)
                for name, mean in zip(DIMENSIONS, means, strict=True)
                if mean is not False
            ],
        }

    def _follow_up_days(self):
        days = self.env["ir.config_parameter"].sudo().get_param(FOLLOW_UP_DAYS_PARAM)
        return float(days) if days else DEFAULT_FOLLOW_UP_DAYS

    @property
    def _table_query(self):
        # The likelihood to recommend is joined as its own line, as a query
        # for the NPS alone would read it; the dimensions are one grouped
        # read of the other lines, left out by PostgreSQL when no dimension
        # is asked for (the NPS by tier and month reads no other line).
        score = SQL("recommend.value_scale")
        # The likelihood-to-recommend questions by id, not joined by their
        # dimension: PostgreSQL then knows how many lines they have (500 000
        # among 3.5 M at large) instead of guessing 1 in 200, which made it
        # look customers up one answer at a time (1.7x raw SQL).
        self.env.cr.execute(
            SQL(
                "SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM survey_question"
                " WHERE logistics_dimension = 'nps'"
            )
        )
        recommend_questions = self.env.cr.fetchone()[0]
        return SQL(
            """
            SELECT answer.id,
                   answer.id AS answer_id,
                   coalesce(answer.end_datetime, answer.write_date) AS date,
                   answer.logistics_customer_id AS partner_id,
                   answer.partner_id AS contact_id,
                   customer.tier_id,
                   customer.account_manager_id,
                   customer.industry_id,
                   customer.country_id,
                   customer.company_id,
                   1 AS answer_count,
                   %(score)s AS recommend_score,
                   CASE WHEN %(score)s >= %(promoter)s THEN 'promoter'
                        WHEN %(score)s <= %(detractor)s THEN 'detractor'
                        ELSE 'passive' END AS nps_class,
                   CASE WHEN %(score)s >= %(promoter)s THEN 1 ELSE 0 END
                       AS promoter_count,
                   CASE WHEN %(score)s > %(detractor)s AND %(score)s < %(promoter)s
                        THEN 1 ELSE 0 END AS passive_count,
                   CASE WHEN %(score)s <= %(detractor)s THEN 1 ELSE 0 END
                       AS detractor_count,
                   %(nps)s AS nps,
                   answer.logistics_follow_up_state AS follow_up_state,
                   answer.logistics_follow_up_days AS follow_up_days,
                   %(in_time)s AS follow_up_in_time,
                   %(dimensions)s
              FROM survey_user_input answer
              JOIN survey_user_input_line recommend
                ON recommend.user_input_id = answer.id
               AND recommend.answer_type = 'scale'
               AND recommend.question_id = ANY(%(recommend_questions)s)
              JOIN res_partner customer ON customer.id = answer.logistics_customer_id
         LEFT JOIN (
                    SELECT line.user_input_id, %(aggregates)s
                      FROM survey_user_input_line line
                      JOIN survey_question question ON question.id = line.question_id
                     WHERE line.answer_type = 'scale'
                       AND question.logistics_dimension != 'nps'
                     GROUP BY line.user_input_id
              ) scores ON scores.user_input_id = answer.id
             WHERE answer.state = 'done'
            """,
            score=score,
            recommend_questions=recommend_questions,
            promoter=kpi.PROMOTER_SCORE,
            detractor=kpi.DETRACTOR_SCORE,
            nps=kpi.nps_value(score),
            in_time=kpi.follow_up_in_time_value("answer", self._follow_up_days()),
            dimensions=SQL(", ").join(
                SQL("scores.%(d)s AS %(d)s", d=SQL.identifier(name))
                for name in DIMENSIONS
            ),
            aggregates=SQL(", ").join(
                SQL(
                    "max(line.value_scale) FILTER "
                    "(WHERE question.logistics_dimension = %(code)s) AS %(d)s",
                    code=name,
                    d=SQL.identifier(name),
                )
                for name in DIMENSIONS
            ),
        )
