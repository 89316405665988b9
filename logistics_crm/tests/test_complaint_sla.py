from datetime import datetime

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import LogisticsCrmCase


def utc(text):
    return datetime.fromisoformat(text)


@tagged("post_install", "-at_install")
class TestComplaintSla(LogisticsCrmCase):
    """SLA deadlines on a Mon-Fri 09:00-18:00 calendar in Asia/Shanghai
    (UTC+8): 09:00-18:00 local is 01:00-10:00 UTC. Deadlines below were worked
    out by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._weekday_calendar(
            "Shanghai office", "Asia/Shanghai", [(9, 18, "full_day")]
        )
        cls.tier = cls.env.ref("logistics_crm.service_tier_key")
        cls.tier.write(
            {
                "first_response_hours": 8,
                "resolution_hours": 24,
                "resource_calendar_id": cls.calendar.id,
                "complaint_priority": "1",
            }
        )
        cls.team_leader = cls.env["res.users"].create(
            {"name": "Team Leader", "login": "lcrm_leader"}
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Claims desk", "user_id": cls.team_leader.id}
        )
        cls.category = cls.env.ref("logistics_crm.logistics_complaint_category_delay")
        cls.category.team_id = cls.team
        cls.customer.write(
            {"tier_id": cls.tier.id, "account_manager_id": cls.manager.id}
        )
        cls.stages = {
            code: cls.env.ref(f"logistics_crm.logistics_complaint_stage_{code}")
            for code in ("new", "in_progress", "waiting", "resolved", "closed")
        }

    def _complaint(self, **values):
        return self.env["logistics.complaint"].create(
            {
                "subject": "Container late",
                "partner_id": self.customer.id,
                "contact_id": self.contact.id,
                "category_id": self.category.id,
                **values,
            }
        )

    def _sla(self, complaint, kind):
        return complaint.sla_ids.filtered(lambda sla: sla.kind == kind)

    def _move(self, complaint, stage):
        if self.stages[stage].is_resolved and not complaint.resolution:
            complaint.resolution = "<p>Delivered with an apology.</p>"
        complaint.write({"stage_id": self.stages[stage].id})
        self.env.flush_all()

    def test_friday_evening_ticket_is_due_monday(self):
        # Friday 2026-0605 17:00 Shanghai: 1 h on Friday, 7 h on Monday.
        with freeze_time("2026-06-05 09:00:00"):
            complaint = self._complaint()
        first = self._sla(complaint, "first_response")
        self.assertEqual(first.deadline, utc("2026-06-08 08:00:00"))  # Mon 16:00
        # 80 % of 8 h = 6.4 h: Friday 1 h, Monday 5.4 h -> 14:24 local.
        self.assertEqual(first.warning_date, utc("2026-06-08 06:24:00"))
        self.assertEqual(complaint.priority, "1")
        self.assertEqual(complaint.team_id, self.team)
        # No dedicated team: the ticket waits in the category's team queue.
        self.assertFalse(complaint.user_id)
        self.assertEqual(complaint.sla_status, "running")
        self.assertEqual(complaint.sla_deadline, first.deadline)

    def test_public_holiday_moves_the_deadline(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Dragon Boat Festival",
                "calendar_id": False,
                # Monday 2026-06-08, whole day in Shanghai.
                "date_from": "2026-06-07 16:00:00",
                "date_to": "2026-06-08 15:59:59",
            }
        )
        with freeze_time("2026-06-05 09:00:00"):
            complaint = self._complaint()
        self.assertEqual(
            self._sla(complaint, "first_response").deadline,
            utc("2026-06-09 08:00:00"),  # Tuesday 16:00
        )

    def test_pause_across_a_weekend(self):
        with freeze_time("2026-06-04 02:00:00"):  # Thursday 10:00
            complaint = self._complaint()
        with freeze_time("2026-06-04 03:00:00"):  # Thursday 11:00: staff answers
            complaint.with_user(self.user).message_post(
                body="We are on it.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        first = self._sla(complaint, "first_response")
        self.assertEqual(first.status, "met")
        self.assertEqual(first.met_date, utc("2026-06-04 03:00:00"))
        self.assertAlmostEqual(first.consumed_hours, 1.0)
        with freeze_time("2026-06-05 04:00:00"):  # Friday 12:00
            self._move(complaint, "waiting")
        resolution = self._sla(complaint, "resolution")
        self.assertEqual(resolution.status, "paused")
        self.assertAlmostEqual(resolution.consumed_hours, 11.0)  # Thu 8 h + Fri 3 h
        self.assertEqual(complaint.sla_status, "paused")
        with freeze_time("2026-06-08 02:00:00"):  # Monday 10:00
            self._move(complaint, "in_progress")
        # Paused: Friday 12-18 and Monday 9-10, 7 working hours.
        self.assertAlmostEqual(resolution.paused_hours, 7.0)
        pause = complaint.pause_ids
        self.assertEqual(pause.stage_id, self.stages["waiting"])
        self.assertEqual(
            (pause.date_from, pause.date_to),
            (utc("2026-06-05 04:00:00"), utc("2026-06-08 02:00:00")),
        )
        self.assertAlmostEqual(pause.working_hours, 7.0)
        # 13 h left from Monday 10:00: Monday 8 h, Tuesday 5 h -> 14:00 local.
        self.assertEqual(resolution.status, "running")
        self.assertEqual(resolution.deadline, utc("2026-06-09 06:00:00"))

    def test_breach_escalates_and_stays_breached(self):
        with freeze_time("2026-06-05 09:00:00"):
            complaint = self._complaint()
        Sla = self.env["logistics.complaint.sla"]
        with freeze_time("2026-06-08 06:30:00"):  # past the warning only
            Sla._cron_check_deadlines()
        first = self._sla(complaint, "first_response")
        self.assertTrue(first.warned)
        self.assertEqual(first.status, "running")
        warning = self.env.ref("logistics_crm.mail_activity_type_sla_warning")
        self.assertEqual(
            complaint.activity_ids.filtered(
                lambda act: act.activity_type_id == warning
            ).user_id,
            self.team_leader,
        )
        with freeze_time("2026-06-08 08:01:00"):  # past the deadline
            Sla._cron_check_deadlines()
        self.assertEqual(first.status, "breached")
        self.assertEqual(complaint.sla_status, "breached")
        self.assertEqual(complaint.priority, "2")
        breach = self.env.ref("logistics_crm.mail_activity_type_sla_breach")
        self.assertEqual(
            complaint.activity_ids.filtered(
                lambda act: act.activity_type_id == breach
            ).user_id,
            self.team_leader | self.manager,
        )
        with freeze_time("2026-06-08 09:00:00"):
            self._move(complaint, "resolved")
        self.assertEqual(first.status, "breached")
        self.assertEqual(first.met_date, utc("2026-06-08 09:00:00"))
        self.assertEqual(self._sla(complaint, "resolution").status, "met")
        self.assertEqual(complaint.resolved_date, utc("2026-06-08 09:00:00"))

    def test_reopen_restarts_resolution_from_where_it_was(self):
        with freeze_time("2026-06-04 02:00:00"):  # Thursday 10:00
            complaint = self._complaint()
        with freeze_time("2026-06-04 06:00:00"):  # Thursday 14:00: resolved
            self._move(complaint, "resolved")
        resolution = self._sla(complaint, "resolution")
        self.assertEqual(resolution.status, "met")
        self.assertAlmostEqual(resolution.consumed_hours, 4.0)
        with freeze_time("2026-06-08 01:00:00"):  # Monday 09:00: reopened
            self._move(complaint, "in_progress")
        self.assertEqual(resolution.status, "running")
        self.assertFalse(resolution.met_date)
        self.assertFalse(complaint.resolved_date)
        # 20 h left from Monday 09:00: Monday 9 h, Tuesday 9 h, Wednesday 2 h.
        self.assertEqual(resolution.deadline, utc("2026-06-10 03:00:00"))

    def test_resolved_ticket_keeps_the_deadlines_that_applied(self):
        with freeze_time("2026-06-05 09:00:00"):
            complaint = self._complaint()
        first = self._sla(complaint, "first_response")
        resolution = self._sla(complaint, "resolution")
        deadlines = (first.deadline, resolution.deadline)
        self.assertTrue(all(deadlines))
        with freeze_time("2026-06-05 09:30:00"):
            self._move(complaint, "resolved")
        self.assertEqual((first.status, resolution.status), ("met", "met"))
        # What the portal shows as "Answer due by" when nobody wrote first.
        self.assertEqual((first.deadline, resolution.deadline), deadlines)
        self.assertFalse(first.warning_date)
        # Nothing is due any more on the ticket itself.
        self.assertFalse(complaint.sla_deadline)
        self.assertEqual(complaint.sla_status, "met")

    def test_resolve_needs_a_resolution(self):
        complaint = self._complaint()
        for text in (False, "<p> </p>"):
            complaint.resolution = text
            with self.assertRaisesRegex(ValidationError, "resolution"):
                complaint.write({"stage_id": self.stages["resolved"].id})
        self.assertEqual(complaint.stage_id, self.stages["new"])
        self.assertFalse(complaint.resolved_date)
        with self.assertRaisesRegex(ValidationError, "resolution"):
            self._complaint(stage_id=self.stages["resolved"].id)
        complaint.write(
            {
                "stage_id": self.stages["resolved"].id,
                "resolution": "<p>Delivered on Monday.</p>",
            }
        )
        self.assertTrue(complaint.resolved_date)

    def test_close_needs_resolution_and_root_cause(self):
        damage = self.env.ref("logistics_crm.logistics_complaint_category_damage")
        complaint = self._complaint(category_id=damage.id)
        with self.assertRaisesRegex(Exception, "resolution"):
            complaint.write({"stage_id": self.stages["closed"].id})
        with self.assertRaisesRegex(Exception, "root cause"):
            complaint.write(
                {
                    "stage_id": self.stages["closed"].id,
                    "resolution": "<p>Refunded the damaged cartons.</p>",
                }
            )
        self.assertEqual(complaint.stage_id, self.stages["new"])
        complaint.write(
            {
                "stage_id": self.stages["closed"].id,
                "resolution": "<p>Refunded the damaged cartons.</p>",
                "root_cause_id": self.env.ref(
                    "logistics_crm.logistics_complaint_root_cause_handling"
                ).id,
            }
        )
        self.assertTrue(complaint.closed_date)
        self.assertTrue(complaint.is_closed)

    def test_cron_touches_only_due_milestones(self):
        Sla = self.env["logistics.complaint.sla"]
        Sla._cron_check_deadlines()  # warm-up: registry and domain caches

        def run_cron():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with freeze_time("2026-06-05 10:00:00"):
                Sla._cron_check_deadlines()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        with freeze_time("2026-06-05 09:00:00"):
            self.env["logistics.complaint"].create(
                [
                    {
                        "subject": f"Not due {n}",
                        "partner_id": self.customer.id,
                        "category_id": self.category.id,
                    }
                    for n in range(5)
                ]
            )
        few = run_cron()
        with freeze_time("2026-06-05 09:00:00"):
            self.env["logistics.complaint"].create(
                [
                    {
                        "subject": f"Not due either {n}",
                        "partner_id": self.customer.id,
                        "category_id": self.category.id,
                    }
                    for n in range(200)
                ]
            )
        many = run_cron()
        self.assertEqual(few, many)
        self.assertLessEqual(few, 3)

    def test_creating_a_ticket_costs_a_fixed_number_of_queries(self):
        def measure():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._complaint()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        self._complaint()  # warm-up: registry caches, sequence
        small = measure()
        Stage = self.env["logistics.complaint.stage"]
        Stage.create([{"name": f"Extra {n}", "sequence": 100 + n} for n in range(10)])
        self.env["logistics.service.tier"].create(
            [{"name": f"Tier {n}", "code": f"extra_{n}"} for n in range(10)]
        )
        self.env["logistics.complaint"].create(
            [
                {
                    "subject": f"Old {n}",
                    "partner_id": self.customer.id,
                    "category_id": self.category.id,
                }
                for n in range(100)
            ]
        )
        large = measure()
        self.assertEqual(small, large)
        self.assertLessEqual(small, 20, f"queries to create a ticket: {small}")
