from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

SURVEY = "logistics_crm.survey_relationship"
INVITE_TEMPLATE = "survey.mail_template_user_input_invite"
# An invitation stays open a month; an unopened one is recalled once, after
# a week.
ANSWER_DAYS = 30
REMINDER_DAYS = 7


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
        if answers:
            self.env.ref(INVITE_TEMPLATE).send_mail_batch(answers.ids)
