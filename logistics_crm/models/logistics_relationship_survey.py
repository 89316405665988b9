from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import plaintext2html, split_every

from .ir_qweb import COMPILE_MEMO
from .logistics_kpi import DETRACTOR_SCORE

SURVEY = "logistics_crm.survey_relationship"
FOLLOW_UP_ACTIVITY = "logistics_crm.mail_activity_type_detractor_follow_up"
# A service dimension scored this low (out of 5) asks for a call as a
# detractor does.
LOW_DIMENSION_SCORE = 2
INVITE_TEMPLATE = "survey.mail_template_user_input_invite"
# An invitation stays open a month; an unopened one is recalled once, after
# a week.
ANSWER_DAYS = 30
REMINDER_DAYS = 7
# Invitations mailed between two plannings of the mail queue's checks.
MAIL_CHUNK = 1000


class LogisticsRelationshipSurvey(models.AbstractModel):
    """Invitations to the relationship survey by tier cadence, through
    Odoo's survey (its answers and their access tokens, its invitation
    e-mail): every survey contact of a customer whose tier surveys at an
    interval, once per interval, never an opted-out contact. Each run is one
    search, one grouped read, one batch of answers and one batch of queued
    e-mails (the mail queue sends them), whatever the number of contacts."""

    _name = "logistics.relationship.survey"
    _description = "Relationship Survey Invitations"

    @api.model
    def _cron_invite(self):
        self._invite()
        self._remind()

    @api.model
    def _cron_follow_up(self):
        self._follow_up()
        self._close_follow_ups()

    @api.model
    def _invite(self, now=None):
        """The invitations due at ``now``, created and mailed."""
        now = now or fields.Datetime.now()
        survey = self.env.ref(SURVEY)
        Answer = self.env["survey.user_input"]
        contacts = self.env["res.partner"].search(
            [
                ("logistics_survey_contact", "=", True),
                ("logistics_survey_opt_out", "=", False),
                ("email", "!=", False),
                ("commercial_partner_id.tier_id.survey_interval_months", ">", 0),
            ]
        )
        if not contacts:
            return Answer
        last = dict(
            Answer._read_group(
                [
                    ("survey_id", "=", survey.id),
                    ("partner_id", "in", contacts.ids),
                    ("logistics_invited_on", "!=", False),
                ],
                ["partner_id"],
                ["logistics_invited_on:max"],
            )
        )
        due = contacts.filtered(
            lambda contact: contact not in last
            or last[contact]
            <= now
            - relativedelta(
                months=contact.commercial_partner_id.tier_id.survey_interval_months
            )
        )
        # One batch: survey's create would look the questions up per answer,
        # and mail's would subscribe and log per answer (no chatter needed).
        questions = [(6, 0, survey._prepare_user_input_predefined_questions().ids)]
        answers = Answer.with_context(tracking_disable=True).create(
            [
                {
                    "survey_id": survey.id,
                    "predefined_question_ids": questions,
                    "partner_id": contact.id,
                    "email": contact.email,
                    "nickname": contact.name,
                    "deadline": now + timedelta(days=ANSWER_DAYS),
                    "logistics_invited_on": now,
                }
                for contact in due
            ]
        )
        self._mail(answers)
        return answers

    @api.model
    def _remind(self, now=None):
        """The invitations a week old and still unopened, mailed once more."""
        now = now or fields.Datetime.now()
        answers = self.env["survey.user_input"].search(
            [
                ("survey_id", "=", self.env.ref(SURVEY).id),
                ("state", "=", "new"),
                ("logistics_reminded", "=", False),
                ("logistics_invited_on", "<=", now - timedelta(days=REMINDER_DAYS)),
                ("deadline", ">", now),
            ]
        )
        self._mail(answers)
        answers.write({"logistics_reminded": True})
        return answers

    @api.model
    def _mail(self, answers):
        template = self.env.ref(INVITE_TEMPLATE).with_context(**{COMPILE_MEMO: {}})
        for chunk in split_every(MAIL_CHUNK, answers.ids):
            template.send_mail_batch(chunk)
            # PostgreSQL plans a foreign-key check once per connection and
            # keeps the plan: made while the mail queue was nearly empty, it
            # scans the whole queue for every recipient written, which made
            # a cycle of 100,000 invitations quadratic. Dropped after each
            # chunk, the checks are planned again for the queue as it is.
            self.env.cr.execute("DISCARD PLANS")

    # Detractor follow-up ------------------------------------------------------

    @api.model
    def _follow_up(self, now=None):
        """Completed answers of a detractor (0 to 6) or with a service scored
        2 or less: an activity on the answer for the customer's account
        manager, with its scores and comment, and, where the tier asks for
        it, a proactive complaint ticket for a detractor. Run hourly, so
        within the hour. Returns the answers followed up."""
        now = now or fields.Datetime.now()
        answers = self.env["survey.user_input"].search(
            [
                ("survey_id", "=", self.env.ref(SURVEY).id),
                ("state", "=", "done"),
                ("logistics_follow_up_state", "=", False),
                ("logistics_customer_id", "!=", False),
            ]
        )
        if not answers:
            return answers
        scores = self._scores(answers)
        alarming = answers.filtered(
            lambda answer: self._is_detractor(scores[answer])
            or any(
                score <= LOW_DIMENSION_SCORE
                for code, score in scores[answer].items()
                if code != "nps"
            )
        )
        res_model_id = self.env["ir.model"]._get_id("survey.user_input")
        activity_type = self.env.ref(FOLLOW_UP_ACTIVITY)
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": res_model_id,
                    "res_id": answer.id,
                    "activity_type_id": activity_type.id,
                    "user_id": (
                        answer.logistics_customer_id.account_manager_id
                        or answer.logistics_customer_id.user_id
                        or self.env.user
                    ).id,
                    "summary": self.env._(
                        "%(customer)s: likelihood to recommend %(score)s",
                        customer=answer.logistics_customer_id.name,
                        score=scores[answer].get("nps", "-"),
                    ),
                    "note": self._answer_note(answer, scores[answer]),
                    "date_deadline": fields.Date.context_today(self),
                }
                for answer in alarming
            ]
        )
        ticketed = alarming.filtered(
            lambda answer: self._is_detractor(scores[answer])
            and answer.logistics_customer_id.tier_id.survey_detractor_complaint
        )
        Complaint = self.env["logistics.complaint"].sudo()
        category = Complaint._default_category()
        tickets = Complaint.create(
            [
                {
                    "subject": self.env._(
                        "Survey detractor: %(contact)s scored %(score)s",
                        contact=answer.partner_id.name,
                        score=scores[answer]["nps"],
                    ),
                    "description": self._answer_note(answer, scores[answer]),
                    "partner_id": answer.logistics_customer_id.id,
                    "contact_id": answer.partner_id.id,
                    "channel": "proactive",
                    "category_id": category.id,
                }
                for answer in ticketed
            ]
        )
        # create() returns the tickets in the order of their values.
        for answer, ticket in zip(ticketed, tickets, strict=True):
            answer.logistics_complaint_id = ticket
        alarming.write(
            {"logistics_follow_up_state": "to_follow", "logistics_follow_up_date": now}
        )
        return alarming

    @api.model
    def _close_follow_ups(self, now=None):
        """Follow-ups whose activity is done: the date it was done and the
        working days it took, in the customer's tier calendar."""
        now = now or fields.Datetime.now()
        answers = self.env["survey.user_input"].search(
            [("logistics_follow_up_state", "=", "to_follow")]
        )
        activity_type = self.env.ref(FOLLOW_UP_ACTIVITY)
        open_ones = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "survey.user_input"),
                    ("res_id", "in", answers.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        done = answers.filtered(lambda answer: answer.id not in open_ones)
        # The done activity's message dates the follow-up.
        dates = dict(
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", "survey.user_input"),
                    ("res_id", "in", done.ids),
                    ("mail_activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
                ["date:max"],
            )
        )
        for calendar, group in done.grouped(
            lambda answer: answer.logistics_customer_id.tier_id.resource_calendar_id
            or self.env.company.resource_calendar_id
        ).items():
            closed = [dates.get(answer.id) or now for answer in group]
            hours = calendar._logistics_work_hours(
                [
                    (answer.logistics_follow_up_date or moment, moment)
                    for answer, moment in zip(group, closed, strict=True)
                ]
            )
            day_hours = calendar.hours_per_day or 8.0
            for answer, moment, spent in zip(group, closed, hours, strict=True):
                answer.write(
                    {
                        "logistics_follow_up_state": "done",
                        "logistics_followed_up_date": moment,
                        "logistics_follow_up_days": spent / day_hours,
                    }
                )
        return done

    @api.model
    def _scores(self, answers):
        """{answer: {dimension code: score}} of the scale questions."""
        scores = {answer: {} for answer in answers}
        for line in self.env["survey.user_input.line"].search(
            [
                ("user_input_id", "in", answers.ids),
                ("answer_type", "=", "scale"),
                ("question_id.logistics_dimension", "!=", False),
            ]
        ):
            scores[line.user_input_id][line.question_id.logistics_dimension] = (
                line.value_scale
            )
        return scores

    @api.model
    def _is_detractor(self, scores):
        return "nps" in scores and scores["nps"] <= DETRACTOR_SCORE

    @api.model
    def _answer_note(self, answer, scores):
        labels = dict(
            self.env["survey.question"]
            ._fields["logistics_dimension"]
            ._description_selection(self.env)
        )
        comment = answer.user_input_line_ids.filtered(
            lambda line: line.question_id.logistics_dimension == "comment"
        ).value_text_box
        lines = [f"{labels[code]}: {score}" for code, score in sorted(scores.items())]
        if comment:
            lines.append(comment)
        # Escaped: the comment is the customer's text.
        return plaintext2html("\n".join(lines))
