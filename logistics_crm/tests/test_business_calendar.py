import base64
import io
from datetime import datetime

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import LogisticsCrmCase


def utc(text):
    return datetime.fromisoformat(text)


@tagged("post_install", "-at_install")
class TestBusinessCalendar(LogisticsCrmCase):
    """Mainland China's 2026 calendar on a Shanghai office week (Asia/Shanghai,
    UTC+8; Monday to Friday 09:00-12:00 and 13:00-18:00, 8 working hours a
    day), from the State Council's notice of 4 November 2025: National Day
    1-7 October, make-up Sundays 20 September and Saturday 10 October; Spring
    Festival 15-23 February, make-up Saturdays 14 and 28 February. Every
    figure below was worked out by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._weekday_calendar(
            "Shanghai office",
            "Asia/Shanghai",
            [(9, 12, "morning"), (13, 18, "afternoon")],
        )
        cls.loaded = cls.calendar.action_logistics_load_china_days()
        cls.tier = cls.env.ref("logistics_crm.service_tier_key")
        cls.tier.write(
            {
                "first_response_hours": 8,
                "resolution_hours": 40,
                "quote_response_hours": 4,
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.customer.write(
            {"tier_id": cls.tier.id, "account_manager_id": cls.manager.id}
        )
        cls.stages = {
            code: cls.env.ref(f"logistics_crm.logistics_complaint_stage_{code}")
            for code in ("waiting", "in_progress")
        }

    def _complaint(self, when):
        with freeze_time(when):
            complaint = self.env["logistics.complaint"].create(
                {
                    "subject": "Container late",
                    "partner_id": self.customer.id,
                    "contact_id": self.contact.id,
                    "category_id": self.env.ref(
                        "logistics_crm.logistics_complaint_category_delay"
                    ).id,
                }
            )
        return {sla.kind: sla for sla in complaint.sla_ids}, complaint

    def test_loading_the_china_calendar(self):
        self.assertIn(
            "61 public holidays and 11 make-up", self.loaded["params"]["message"]
        )
        leaves = self.calendar.global_leave_ids
        # 2025: 6 holiday periods, 2026: 7.
        self.assertEqual(len(leaves), 13)
        national_day = leaves.filtered(
            lambda leave: leave.name == "国庆节 National Day"
        )
        # 1 October 00:00 to 7 October 23:59:59 in Shanghai.
        self.assertEqual(
            (national_day.date_from, national_day.date_to),
            (utc("2026-09-30 16:00:00"), utc("2026-10-07 15:59:59")),
        )
        workdays = self.calendar.logistics_workday_ids
        self.assertEqual(
            [
                str(day)
                for day in workdays.filtered(lambda w: w.date.year == 2026).mapped(
                    "date"
                )
            ],
            [
                "2026-01-04",
                "2026-02-14",
                "2026-02-28",
                "2026-05-09",
                "2026-09-20",
                "2026-10-10",
            ],
        )
        self.assertEqual(set(workdays.mapped("works_as")), {"0"})
        # Loading again adds nothing.
        again = self.calendar.action_logistics_load_china_days()
        self.assertIn("0 public holidays and 0 make-up", again["params"]["message"])
        self.assertEqual(len(self.calendar.global_leave_ids), 13)

    def test_ticket_before_national_day_is_due_after_it(self):
        # Wednesday 30 September 10:00: 7 h that day, 1 h on Thursday 8
        # October, the first working day after the holiday.
        slas, _complaint = self._complaint("2026-09-30 02:00:00")
        self.assertEqual(slas["first_response"].deadline, utc("2026-10-08 02:00:00"))
        self.assertEqual(
            slas["first_response"].calendar_note,
            "国庆节 National Day (2026-10-01 to 2026-10-07)",
        )

    def test_friday_ticket_counts_the_make_up_sunday(self):
        # Friday 18 September 14:00: 4 h on Friday, 4 h on Sunday 20 (a
        # make-up day: 09-12 and 13-14), not Monday.
        slas, _complaint = self._complaint("2026-09-18 06:00:00")
        self.assertEqual(slas["first_response"].deadline, utc("2026-09-20 06:00:00"))
        self.assertEqual(
            slas["first_response"].calendar_note,
            "国庆节调休上班 National Day make-up day (working 2026-09-20)",
        )
        # The resolution's 40 h: Friday 4, Sunday 8, Monday 21 to Thursday
        # 24 (the Mid-Autumn Festival starts Friday 25) 32 -> 44 h, so due
        # Thursday 24 at 14:00.
        self.assertEqual(slas["resolution"].deadline, utc("2026-09-24 06:00:00"))

    def test_pause_over_the_spring_festival_uses_no_working_time(self):
        # Saturday 14 February 09:00 is a make-up working day: the ticket's
        # clock runs its 8 h, is paused at 18:00 and resumed on Tuesday 24
        # at 09:00, after the festival (15-23 February).
        slas, complaint = self._complaint("2026-02-14 01:00:00")
        with freeze_time("2026-02-14 10:00:00"):
            complaint.write({"stage_id": self.stages["waiting"].id})
        self.assertAlmostEqual(slas["resolution"].consumed_hours, 8.0)
        with freeze_time("2026-02-24 01:00:00"):
            complaint.write({"stage_id": self.stages["in_progress"].id})
        self.assertAlmostEqual(complaint.pause_ids.working_hours, 0.0)
        self.assertAlmostEqual(slas["resolution"].paused_hours, 0.0)
        # 32 h left from Tuesday 24 09:00: Tuesday to Friday 27 -> Friday 18:00.
        self.assertEqual(slas["resolution"].deadline, utc("2026-02-27 10:00:00"))

    def test_quote_response_clock_across_national_day(self):
        # Wednesday 30 September 16:00: 2 h that day, 2 h on Thursday 8
        # October -> 11:00.
        with freeze_time("2026-09-30 08:00:00"):
            request = self.env["logistics.quote.request"].create(
                {
                    "partner_id": self.customer.id,
                    "contact_id": self.contact.id,
                    "origin_country_id": self.env.ref("base.cn").id,
                    "origin_city": "Ningbo",
                    "destination_country_id": self.env.ref("base.de").id,
                    "destination_city": "Hamburg",
                    "weight_kg": 100,
                }
            )
        self.assertEqual(request.response_calendar_id, self.calendar)
        self.assertEqual(request.response_deadline, utc("2026-10-08 03:00:00"))

    def test_contact_cadence_due_on_a_holiday_moves_after_it(self):
        # A 30-day cadence from 1 September falls on 1 October, National
        # Day: due on Thursday 8 October, the first working day after.
        self.tier.write({"contact_cadence_days": 30, "qbr_required": False})
        self.customer.customer_since = "2026-09-01"
        with freeze_time("2026-10-05 04:00:00"):
            self.env["logistics.account.followup"]._schedule_contact_cadence()
        self.assertEqual(str(self.customer.contact_due_date), "2026-10-08")
        self.assertFalse(self.customer.out_of_cadence)
        with freeze_time("2026-10-09 04:00:00"):
            self.env["logistics.account.followup"]._schedule_contact_cadence()
        self.assertTrue(self.customer.out_of_cadence)

    def test_batch_planning_reads_the_calendar_once(self):
        """100 tickets opened on the eve of National Day plan as one: the same
        deadlines and as many queries as a single one."""
        start = utc("2026-09-30 02:00:00")
        self.env.invalidate_all()
        with self.assertQueryCount(CALENDAR_QUERIES):
            [one] = self.calendar._logistics_plan_hours([(start, 8.0)])
        self.env.invalidate_all()
        with self.assertQueryCount(CALENDAR_QUERIES):
            many = self.calendar._logistics_plan_hours([(start, 8.0)] * 100)
        self.assertEqual(one, utc("2026-10-08 02:00:00"))
        self.assertEqual(set(many), {one})

    def _import(self, rows, filename="2027.xlsx"):
        book = openpyxl.Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        if filename.endswith(".csv"):
            content = "\n".join(",".join(str(cell) for cell in row) for row in rows)
            data = content.encode()
        else:
            data = buffer.getvalue()
        return (
            self.env["logistics.calendar.import"]
            .create(
                {
                    "calendar_id": self.calendar.id,
                    "file": base64.b64encode(data),
                    "filename": filename,
                }
            )
            .action_import()
        )

    def test_import_of_a_following_year(self):
        header = ("date", "kind", "name")
        result = self._import(
            [
                header,
                (datetime(2027, 2, 6), "放假", "春节"),
                ("2027-02-07", "holiday", "春节"),
                ("2027-02-20", "working", "春节调休上班"),
            ]
        )
        self.assertIn("2 public holidays and 1 make-up", result["params"]["message"])
        spring = self.calendar.global_leave_ids.filtered(
            lambda leave: leave.date_from.year == 2027
        )
        self.assertEqual(
            (spring.name, spring.date_from, spring.date_to),
            ("春节", utc("2027-02-05 16:00:00"), utc("2027-02-07 15:59:59")),
        )
        result = self._import(
            [header, ("2027-05-08", "上班", "劳动节调休上班")], filename="may.csv"
        )
        self.assertIn("0 public holidays and 1 make-up", result["params"]["message"])

    def test_import_with_a_wrong_row_imports_nothing(self):
        workdays = len(self.calendar.logistics_workday_ids)
        with self.assertRaises(UserError) as caught:
            self._import(
                [
                    ("date", "kind", "name"),
                    ("2027-02-06", "holiday", "春节"),
                    ("2027-02-31", "holiday", "春节"),
                    ("2027-02-20", "weekend", "春节调休上班"),
                    ("2027-02-06", "working", "again"),
                    ("2027-03-01", "holiday", ""),
                ]
            )
        message = str(caught.exception)
        self.assertIn("Nothing was imported", message)
        self.assertIn("Line 3: 2027-02-31 is not a date", message)
        self.assertIn("Line 4: the kind must be", message)
        self.assertIn("Line 5: the date 2027-02-06 is given twice", message)
        self.assertIn("Line 6: the name is missing", message)
        self.assertEqual(len(self.calendar.logistics_workday_ids), workdays)
        self.assertFalse(
            self.calendar.global_leave_ids.filtered(
                lambda leave: leave.date_from.year == 2027
            )
        )
        with self.assertRaises(UserError):
            self._import([("day", "kind")])


# The plan of a batch from cold caches: the calendar, its attendances, its
# leaves and its make-up days (the ORM's reads of them), whatever the number
# of clocks.
CALENDAR_QUERIES = 8
