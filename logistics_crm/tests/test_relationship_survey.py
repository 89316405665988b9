from datetime import date, datetime
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import LogisticsCrmCase

T0 = datetime(2027, 1, 4, 2, 0)


class RelationshipSurveyCase(LogisticsCrmCase):
    """A strategic, a key and a regular customer with their contacts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref("logistics_crm.survey_relationship")
        cls.Invitations = cls.env["logistics.relationship.survey"]
        tiers = {
            code: cls.env.ref(f"logistics_crm.service_tier_{code}")
            for code in ("strategic", "key", "regular")
        }
        tiers["strategic"].write(
            {"survey_interval_months": 3, "survey_detractor_complaint": True}
        )
        tiers["key"].write(
            {"survey_interval_months": 6, "survey_detractor_complaint": False}
        )
        tiers["regular"].survey_interval_months = 0
        Partner = cls.env["res.partner"]
        # Only this fixture's contacts are surveyed (not the demo's).
        Partner.search([("logistics_survey_contact", "=", True)]).write(
            {"logistics_survey_contact": False}
        )
        cls.companies = {
            code: Partner.create(
                {"name": f"{code.title()} Shipper", "is_company": True}
            )
            for code in tiers
        }
        for code, company in cls.companies.items():
            company.write(
                {"tier_override_id": tiers[code].id, "tier_override_reason": "Test"}
            )
        cls.decision_maker = cls._contact("strategic", "Li Ming", survey=True)
        cls.opted_out = cls._contact("strategic", "Zhou Hui", survey=True, opt_out=True)
        cls.not_marked = cls._contact("strategic", "Sun Li")
        cls.no_email = cls._contact("strategic", "Wu Fei", survey=True, email=False)
        cls.key_contact = cls._contact("key", "Anna Berg", survey=True)
        cls.regular_contact = cls._contact("regular", "Tom Ray", survey=True)

    @classmethod
    def _contact(cls, code, name, survey=False, opt_out=False, email=True):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "parent_id": cls.companies[code].id,
                "email": f"{name.lower().replace(' ', '.')}@example.com"
                if email
                else False,
                "logistics_survey_contact": survey,
                "logistics_survey_opt_out": opt_out,
            }
        )

    def _answered(self, contact, recommend, timeliness=None):
        answer = self.env["survey.user_input"].create(
            {"survey_id": self.survey.id, "partner_id": contact.id}
        )
        answer._save_lines(
            self.env.ref("logistics_crm.survey_relationship_question_nps"), recommend
        )
        if timeliness is not None:
            answer._save_lines(
                self.env.ref("logistics_crm.survey_relationship_question_timeliness"),
                timeliness,
            )
        answer._mark_done()
        # Answered yesterday: the daily metrics read up to today's start.
        answer.end_datetime -= relativedelta(days=1)
        return answer


@tagged("post_install", "-at_install")
class TestRelationshipSurvey(RelationshipSurveyCase):
    """Invitations by tier cadence: a strategic customer's survey contacts
    every 3 months, a key customer's every 6, a tier with no interval never;
    only the contacts marked for the survey, never one who opted out or has
    no e-mail, and nobody twice in a cycle."""

    def _invited(self, when):
        return self.Invitations._invite(now=when).partner_id

    def test_cadence_by_tier_and_nobody_twice(self):
        self.assertEqual(self.companies["strategic"].tier_id.code, "strategic")
        self.assertEqual(self._invited(T0), self.decision_maker | self.key_contact)
        self.assertFalse(self._invited(T0 + relativedelta(days=1)))
        self.assertFalse(self._invited(T0 + relativedelta(months=3, days=-1)))
        self.assertEqual(
            self._invited(T0 + relativedelta(months=3)), self.decision_maker
        )
        self.assertEqual(
            self._invited(T0 + relativedelta(months=6)),
            self.decision_maker | self.key_contact,
        )
        answers = self.env["survey.user_input"].search(
            [
                ("survey_id", "=", self.survey.id),
                ("partner_id", "=", self.key_contact.id),
            ]
        )
        self.assertEqual(len(answers), 2)
        # Each invitation has its own token: one contact's link answers as
        # that contact only.
        self.assertEqual(len(set(answers.mapped("access_token"))), 2)
        self.assertEqual(answers.logistics_customer_id, self.companies["key"])

    def test_opting_out_stops_the_next_invitation(self):
        self._invited(T0)
        self.decision_maker.logistics_survey_opt_out = True
        self.assertFalse(self._invited(T0 + relativedelta(months=3)))

    def test_invitations_are_queued_mails_with_the_contact_link(self):
        answers = self.Invitations._invite(now=T0)
        mails = self.env["mail.mail"].search(
            [("recipient_ids", "in", answers.partner_id.ids)]
        )
        self.assertEqual(len(mails), 2)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        mine = answers.filtered(lambda answer: answer.partner_id == self.decision_maker)
        mail = mails.filtered(lambda mail: self.decision_maker in mail.recipient_ids)
        self.assertIn(mine.access_token, mail.body_html)
        self.assertEqual(mine.deadline, T0 + relativedelta(days=30))

    def test_the_invitation_body_is_compiled_once_per_batch(self):
        """Odoo compiles a mail's QWeb body anew for each record; a cycle
        compiles it once, and each contact still gets its own link."""
        for number in range(5):
            self._contact("key", f"Extra Contact {number}", survey=True)
        IrQweb = type(self.env["ir.qweb"])
        compile_uncached = IrQweb._generate_code_uncached
        with patch.object(
            IrQweb,
            "_generate_code_uncached",
            side_effect=compile_uncached,
            autospec=True,
        ) as compiled:
            answers = self.Invitations._invite(now=T0)
        self.assertEqual(len(answers), 7)
        # One compilation of the invitation's body (Odoo's mail layout is a
        # cached view, compiled apart).
        self.assertEqual(compiled.call_count, 1)
        mails = self.env["mail.mail"].search(
            [("recipient_ids", "in", answers.partner_id.ids)]
        )
        for answer in answers:
            mail = mails.filtered(lambda m, a=answer: a.partner_id in m.recipient_ids)
            self.assertEqual(len(mail), 1)
            self.assertIn(answer.access_token, mail.body_html)

    def test_one_reminder_for_unopened_invitations(self):
        answers = self.Invitations._invite(now=T0)
        opened = answers.filtered(lambda answer: answer.partner_id == self.key_contact)
        opened.state = "in_progress"
        self.assertFalse(self.Invitations._remind(now=T0 + relativedelta(days=6)))
        reminded = self.Invitations._remind(now=T0 + relativedelta(days=8))
        self.assertEqual(reminded.partner_id, self.decision_maker)
        self.assertTrue(reminded.logistics_reminded)
        self.assertFalse(self.Invitations._remind(now=T0 + relativedelta(days=9)))

    def test_queries_do_not_grow_with_contacts(self):
        def measure(when):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            invited = self.Invitations._invite(now=when)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before, len(invited)

        few, few_count = measure(T0)
        for number in range(20):
            self._contact("key", f"Extra Contact {number}", survey=True)
        many, many_count = measure(T0 + relativedelta(months=6))
        self.assertEqual((few_count, many_count), (2, 22))
        self.assertLessEqual(many, few + 5, f"{few} queries for 2, {many} for 22")


@tagged("post_install", "-at_install")
class TestSurveyResults(RelationshipSurveyCase):
    """NPS on a hand-made set. Strategic answers 10, 10, 9 and 6: three
    promoters, one detractor, NPS (3 - 1) / 4 = 50. Key answers 9, 8, 7 and
    3: one promoter, two passives, one detractor, NPS 0. All eight: four
    promoters, two detractors, NPS (4 - 2) / 8 x 100 = 25. Timeliness of the
    strategic ones 5, 4, 4 and 1: 3.5."""

    def test_nps_by_tier(self):
        for recommend, timeliness in ((10, 5), (10, 4), (9, 4), (6, 1)):
            self._answered(self.decision_maker, recommend, timeliness)
        for recommend in (9, 8, 7, 3):
            self._answered(self.key_contact, recommend)
        # Not completed: no figure.
        self.env["survey.user_input"].create(
            {"survey_id": self.survey.id, "partner_id": self.key_contact.id}
        )
        self.env.flush_all()
        Report = self.env["logistics.survey.report"]
        mine = [("partner_id", "in", [c.id for c in self.companies.values()])]
        by_tier = {
            tier.code: tuple(values)
            for tier, *values in Report._read_group(
                mine,
                ["tier_id"],
                [
                    "answer_count:sum",
                    "promoter_count:sum",
                    "passive_count:sum",
                    "detractor_count:sum",
                    "nps:avg",
                    "timeliness:avg",
                ],
            )
        }
        self.assertEqual(by_tier["strategic"], (4, 3, 0, 1, 50.0, 3.5))
        self.assertEqual(by_tier["key"], (4, 1, 2, 1, 0.0, False))
        [(total, nps)] = Report._read_group(mine, [], ["answer_count:sum", "nps:avg"])
        self.assertEqual((total, nps), (8, 25.0))
        # The customer form's button: the last 12 months of its answers.
        strategic = self.companies["strategic"]
        self.assertEqual(
            (strategic.logistics_survey_answer_count, strategic.logistics_survey_nps),
            (4, 50.0),
        )
        self.assertEqual(self.decision_maker.logistics_survey_nps, 50.0)
        action = strategic.action_view_logistics_survey()
        self.assertEqual(action["domain"], [("partner_id", "=", strategic.id)])

    def test_monthly_snapshots_and_scorecard_trend(self):
        """The strategic customer answered 10 and 6 in March 2026 (timeliness
        5 and 1): NPS (1 - 1) / 2 = 0, service score 3. In April 9 and 10,
        no service scored: NPS 100, no service score. The snapshots freeze
        each month; the scorecard shows the trend, oldest first, and a dash
        where a month scored no service."""
        customer = self.companies["strategic"]
        answered = (
            (datetime(2026, 3, 10, 8, 0), 10, 5),
            (datetime(2026, 3, 31, 23, 0), 6, 1),
            (datetime(2026, 4, 1, 0, 30), 9, None),
            (datetime(2026, 4, 20, 8, 0), 10, None),
        )
        for when, recommend, timeliness in answered:
            answer = self._answered(self.decision_maker, recommend, timeliness)
            answer.end_datetime = when
        Snapshot = self.env["logistics.kpi.snapshot"]
        march, april = date(2026, 3, 1), date(2026, 4, 1)
        for month in (march, april):
            Snapshot._take(month)
        snapshots = Snapshot.search([("partner_id", "=", customer.id)])
        self.assertEqual(
            [(s.month, s.survey_answers, s.nps, s.survey_score) for s in snapshots],
            [(april, 2, 100.0, 0.0), (march, 2, 0.0, 3.0)],
        )
        trend = [
            (row["month"], row["nps"], row["survey_score"])
            for row in Snapshot._scorecard(customer)
        ]
        self.assertEqual(trend, [(march, 0.0, 3.0), (april, 100.0, None)])
        # Taking a month again replaces it.
        Snapshot._take(april)
        self.assertEqual(Snapshot.search_count([("partner_id", "=", customer.id)]), 2)
        html = str(customer.logistics_scorecard_chart)
        self.assertIn('<th class="text-end">NPS</th>', html)
        self.assertIn("100.0", html)

    def test_detractor_follow_up_activity_ticket_and_closing(self):
        self.companies["strategic"].account_manager_id = self.manager
        self.companies["key"].account_manager_id = self.user
        detractor = self._answered(self.decision_maker, 4, timeliness=3)
        comment = self.env.ref("logistics_crm.survey_relationship_question_comment")
        detractor._save_lines(comment, "Two <b>late</b> sailings")
        low_score = self._answered(self.key_contact, 8, timeliness=2)
        promoter = self._answered(self.key_contact, 10, timeliness=5)
        Invitations = self.env["logistics.relationship.survey"]
        # Thursday 1 July 2027 10:00 UTC; the tiers count in the company's
        # Monday-to-Friday calendar.
        asked = datetime(2027, 7, 1, 10, 0)
        followed = Invitations._follow_up(now=asked)
        self.assertEqual(followed, detractor | low_score)
        self.assertEqual(promoter.logistics_follow_up_state, False)
        activity = detractor.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("likelihood to recommend 4", activity.summary)
        self.assertIn("Two &lt;b&gt;late&lt;/b&gt; sailings", str(activity.note))
        self.assertEqual(low_score.activity_ids.user_id, self.user)
        # The strategic tier opens a proactive ticket for a detractor only.
        self.assertEqual(detractor.logistics_complaint_id.channel, "proactive")
        self.assertEqual(
            detractor.logistics_complaint_id.partner_id, self.companies["strategic"]
        )
        self.assertFalse(low_score.logistics_complaint_id)
        # Nothing twice.
        self.assertFalse(Invitations._follow_up(now=asked))
        self.assertFalse(Invitations._close_follow_ups())
        activity.action_feedback(feedback="Called: sailings rebooked")
        closed = Invitations._close_follow_ups()
        self.assertEqual(closed, detractor)
        self.assertEqual(detractor.logistics_follow_up_state, "done")
        self.assertTrue(detractor.logistics_followed_up_date)
        self.assertGreaterEqual(detractor.logistics_follow_up_days, 0)
        self.assertEqual(low_score.logistics_follow_up_state, "to_follow")
        # In time: done within 2 working days; the open one is not (yet).
        detractor.logistics_follow_up_days = 1.5
        self.env.flush_all()
        rows = self.env["logistics.survey.report"].search(
            [("answer_id", "in", (detractor | low_score | promoter).ids)]
        )
        self.assertEqual(
            {row.answer_id: row.follow_up_in_time for row in rows},
            {detractor: 100.0, low_score: 0.0, promoter: False},
        )

    def test_tier_and_churn_metrics(self):
        """The strategic set answered in this order: 10, 10, 9, 6. NPS 50,
        mean service score 3.5 (timeliness only), one detractor, and the
        latest answer (6) is 3 below the one before (9)."""
        for recommend, timeliness in ((10, 5), (10, 4), (9, 4), (6, 1)):
            self._answered(self.decision_maker, recommend, timeliness)
        self._answered(self.key_contact, 7)
        self._answered(self.key_contact, 9)
        values = self.env["logistics.customer.metrics"]._metric_values(
            [self.companies["strategic"].id, self.companies["key"].id],
            datetime.now() + relativedelta(days=1),
            ["nps", "survey_score", "survey_detractors", "nps_fall"],
        )
        self.assertEqual(
            values[self.companies["strategic"].id],
            {
                "nps": 50.0,
                "survey_score": 3.5,
                "survey_detractors": 1,
                "nps_fall": 3.0,
            },
        )
        # Rising from 7 to 9 is no fall.
        self.assertEqual(values[self.companies["key"].id]["nps_fall"], 0.0)

    def test_detractor_and_fall_raise_churn_risk(self):
        Rule = self.env["logistics.tier.rule"]
        Rule.search(
            [
                ("purpose", "=", "churn"),
                ("metric", "not in", ["survey_detractors", "nps_fall"]),
            ]
        ).action_archive()
        customer = self.companies["key"]
        self._answered(self.key_contact, 9)
        customer._recompute_churn_risk()
        self.assertEqual(customer.churn_score, 0.0)
        # 9 then 7: a fall of 2 is no signal yet, a passive no detractor.
        self._answered(self.key_contact, 7)
        customer._recompute_churn_risk()
        self.assertEqual(customer.churn_score, 0.0)
        # 7 then 4: a fall of 3 and a detractor, both full signals.
        self._answered(self.key_contact, 4)
        customer._recompute_churn_risk()
        self.assertEqual(customer.churn_score, 100.0)

    def test_themes_beside_root_causes(self):
        """Delay tagged on two answers (May and June 2027) and
        communication on one; three complaints from carrier performance,
        delay's root cause. By root cause: carrier 2 mentions beside 3
        complaints, communication 1 beside 0."""
        delay = self.env.ref("logistics_crm.logistics_feedback_theme_delay")
        talk = self.env.ref("logistics_crm.logistics_feedback_theme_communication")
        for month, themes in ((5, delay), (6, delay | talk)):
            answer = self._answered(self.decision_maker, 5)
            answer.write(
                {
                    "logistics_theme_ids": [(6, 0, themes.ids)],
                    "end_datetime": datetime(2027, month, 10),
                }
            )
        carrier = self.env.ref("logistics_crm.logistics_complaint_root_cause_carrier")
        category = self.env["logistics.complaint"]._default_category()
        self.env["logistics.complaint"].create(
            [
                {
                    "subject": f"Late {n}",
                    "partner_id": self.companies["strategic"].id,
                    "category_id": category.id,
                    "root_cause_id": carrier.id,
                }
                for n in range(3)
            ]
        )
        self.env.flush_all()
        Report = self.env["logistics.feedback.theme.report"]
        mine = [("partner_id", "=", self.companies["strategic"].id)]
        by_cause = {
            cause: tuple(values)
            for cause, *values in Report._read_group(
                mine, ["root_cause_id"], ["mention_count:sum", "complaint_count:sum"]
            )
        }
        self.assertEqual(by_cause[carrier], (2, 3))
        self.assertEqual(by_cause[talk.root_cause_id], (1, 0))
        trend = Report._read_group(
            [*mine, ("theme_id", "=", delay.id)], ["date:month"], ["mention_count:sum"]
        )
        self.assertEqual(
            [(month.month, count) for month, count in trend], [(5, 1), (6, 1)]
        )

    def test_answers_visible_to_own_customer_and_account_team_only(self):
        mine = self._answered(self.decision_maker, 9)
        other = self._answered(self.key_contact, 3)
        portal = new_test_user(
            self.env,
            login="lcrm_survey_portal",
            groups="base.group_portal",
            partner_id=self.not_marked.id,
        )
        Answer = self.env["survey.user_input"].with_user(portal)
        self.assertEqual(Answer.search([("id", "in", (mine | other).ids)]), mine)
        self.assertEqual(
            mine.with_user(portal).user_input_line_ids.mapped("value_scale"), [9]
        )
        with self.assertRaises(AccessError):
            other.with_user(portal).read(["partner_id"])
        with self.assertRaises(AccessError):
            mine.with_user(portal).write({"nickname": "changed"})
        # The account team reads and tags every customer's answers.
        delay = self.env.ref("logistics_crm.logistics_feedback_theme_delay")
        other.with_user(self.user).logistics_theme_ids = delay
        self.assertEqual(other.logistics_theme_ids, delay)
