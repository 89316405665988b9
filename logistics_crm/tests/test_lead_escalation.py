from datetime import datetime

from odoo.tests import new_test_user, tagged

from .common import LogisticsCrmCase

FRIDAY_4PM = datetime(2026, 11, 27, 16, 0)
MONDAY_3PM = datetime(2026, 11, 30, 15, 0)
MONDAY_4_30PM = datetime(2026, 11, 30, 16, 30)


@tagged("post_install", "-at_install")
class TestLeadEscalation(LogisticsCrmCase):
    """A lead nobody took within a working day (the company's calendar:
    Monday to Friday, 09:00-17:00 UTC) is escalated to its sales team's
    leader, once. Friday 16:00 plus a working day is Monday 16:00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = cls.env["resource.calendar"].create(
            {
                "name": "Escalation Test Week",
                "tz": "UTC",
                "hours_per_day": 8.0,
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9.0,
                            "hour_to": 17.0,
                        },
                    )
                    for day in range(5)
                ],
            }
        )
        cls.env.company.resource_calendar_id = calendar
        cls.leader = new_test_user(
            cls.env, login="lcrm_team_leader", groups="sales_team.group_sale_manager"
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Escalation Team", "user_id": cls.leader.id}
        )
        Lead = cls.env["crm.lead"]
        cls.friday = Lead.create(
            {"name": "Friday tip", "team_id": cls.team.id, "user_id": False}
        )
        cls.assigned = Lead.create(
            {"name": "Taken", "team_id": cls.team.id, "user_id": cls.user.id}
        )
        cls.monday = Lead.create(
            {"name": "Monday morning", "team_id": cls.team.id, "user_id": False}
        )
        cls.env.flush_all()
        cls._created(cls.friday | cls.assigned, FRIDAY_4PM)
        cls._created(cls.monday, datetime(2026, 11, 30, 9, 0))

    @classmethod
    def _created(cls, leads, when):
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = ANY(%s)", (when, leads.ids)
        )
        leads.invalidate_recordset(["create_date"])

    def _activities(self, leads):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("logistics_crm.mail_activity_type_unassigned_lead").id,
                ),
            ]
        )

    def test_a_working_day_then_once(self):
        Assignment = self.env["logistics.lead.assignment"]
        mine = self.friday | self.assigned | self.monday
        # The weekend is no working time: Monday 15:00 is 7 working hours on.
        self.assertFalse(Assignment._escalate_unassigned(MONDAY_3PM) & mine)
        escalated = Assignment._escalate_unassigned(MONDAY_4_30PM) & mine
        self.assertEqual(escalated, self.friday)
        activity = self._activities(mine)
        self.assertEqual(activity.res_id, self.friday.id)
        self.assertEqual(activity.user_id, self.leader)
        self.assertEqual(self.friday.logistics_escalated_date, MONDAY_4_30PM)
        # A day later: Monday's lead is late too; Friday's is not escalated
        # again, and the lead taken never is.
        later = Assignment._escalate_unassigned(datetime(2026, 12, 2, 10, 0)) & mine
        self.assertEqual(later, self.monday)
        activities = self._activities(mine)
        self.assertEqual(
            sorted(activities.mapped("res_id")), sorted((self.friday | self.monday).ids)
        )

    def test_the_scheduler_escalates(self):
        self._run_cron("logistics_crm.ir_cron_escalate_unassigned_leads")
        self.assertTrue(self.friday.logistics_escalated_date)
        self.assertEqual(self._activities(self.friday).user_id, self.leader)
        self.assertFalse(self._activities(self.assigned))
