from odoo.tests import Form, new_test_user, tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install")
class TestLeadAssignment(LogisticsCrmCase):
    """CRM's own assignment rules, one rule at a time: a desk whose members
    take leads by mode, region, industry and annual expected revenue, and a
    senior team that alone takes the strategic prospects (annual expected
    revenue of 250,000 or more)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Team = cls.env["crm.team"]
        cls.sellers = {
            name: new_test_user(
                cls.env,
                login=f"lcrm_assign_{name}",
                groups="sales_team.group_sale_salesman",
            )
            for name in ("air", "poland", "auto", "big", "senior")
        }
        cls.desk = Team.create({"name": "Forwarding Desk", "use_opportunities": True})
        cls.senior = Team.create(
            {
                "name": "Strategic Accounts",
                "use_opportunities": True,
                "assignment_domain": "[('logistics_strategic_prospect', '=', True)]",
            }
        )
        cls.automotive = cls.env["res.partner.industry"].create({"name": "Automotive"})
        rules = {
            "air": "[('logistics_lane_ids.mode', '=', 'air')]",
            "poland": "[('country_id.code', '=', 'PL')]",
            "auto": f"[('partner_id.industry_id', '=', {cls.automotive.id})]",
            "big": "[('logistics_annual_revenue', '>=', 100000)]",
        }
        cls.env["crm.team.member"].create(
            [
                {
                    "crm_team_id": cls.desk.id,
                    "user_id": cls.sellers[name].id,
                    "assignment_max": 30,
                    "assignment_domain": domain,
                }
                for name, domain in rules.items()
            ]
            + [
                {
                    "crm_team_id": cls.senior.id,
                    "user_id": cls.sellers["senior"].id,
                    "assignment_max": 30,
                    "assignment_domain": "[]",
                }
            ]
        )
        Team.search([("id", "not in", (cls.desk | cls.senior).ids)]).write(
            {"assignment_optout": True}
        )
        cls.env.company.write(
            {
                "logistics_strategic_revenue": 250000,
                "logistics_senior_team_id": cls.senior.id,
            }
        )
        cls.pl = cls.env.ref("base.pl")

    def _lead(self, revenue=10000, months=12, mode="sea_fcl", **values):
        lead = self.env["crm.lead"].create(
            {
                "name": "Prospect",
                "type": "opportunity",
                "user_id": False,
                "team_id": False,
                "logistics_contract_months": months,
                "expected_revenue": revenue,
                "logistics_revenue_manual": True,
                **values,
            }
        )
        self.env["logistics.lane"].create(
            {
                "lead_id": lead.id,
                "origin_city": "Shanghai",
                "origin_country_id": self.env.ref("base.cn").id,
                "destination_city": "Hamburg",
                "destination_country_id": self.env.ref("base.de").id,
                "mode": mode,
            }
        )
        return lead

    def _assigned_to(self, lead):
        self.env["logistics.lead.assignment"]._assign(lead)
        return lead.user_id

    def test_annual_revenue_and_strategic_flag(self):
        two_years = self._lead(revenue=600000, months=24)
        self.assertEqual(two_years.logistics_annual_revenue, 300000)
        self.assertTrue(two_years.logistics_strategic_prospect)
        half_year = self._lead(revenue=120000, months=6)
        self.assertEqual(half_year.logistics_annual_revenue, 240000)
        self.assertFalse(half_year.logistics_strategic_prospect)
        half_year.expected_revenue = 125000
        self.assertTrue(half_year.logistics_strategic_prospect)
        # Raising the threshold recomputes the flag of the company's leads.
        self.env.company.logistics_strategic_revenue = 400000
        self.assertFalse(two_years.logistics_strategic_prospect)
        self.env.company.logistics_strategic_revenue = 0
        self.assertFalse(half_year.logistics_strategic_prospect)

    def test_rule_by_mode(self):
        self.assertEqual(self._assigned_to(self._lead(mode="air")), self.sellers["air"])

    def test_rule_by_region(self):
        lead = self._lead(country_id=self.pl.id)
        self.assertEqual(self._assigned_to(lead), self.sellers["poland"])
        self.assertEqual(lead.team_id, self.desk)

    def test_rule_by_industry(self):
        customer = self.env["res.partner"].create(
            {"name": "Danube Motors", "is_company": True}
        )
        customer.industry_id = self.automotive
        lead = self._lead(partner_id=customer.id)
        self.assertEqual(self._assigned_to(lead), self.sellers["auto"])

    def test_rule_by_annual_revenue(self):
        # 150,000 over 18 months is 100,000 a year: the big-deal member's rule.
        lead = self._lead(revenue=150000, months=18)
        self.assertEqual(self._assigned_to(lead), self.sellers["big"])
        self.assertFalse(self._assigned_to(self._lead(revenue=90000)))

    def test_strategic_prospect_goes_to_senior_team_only(self):
        # Its air lane and its revenue match desk members too.
        lead = self._lead(revenue=500000, mode="air")
        self.assertEqual(lead.team_id, self.senior)
        self.assertEqual(self._assigned_to(lead), self.sellers["senior"])
        self.assertEqual(lead.team_id, self.senior)

    def test_strategic_prospect_waits_in_senior_team_without_capacity(self):
        self.senior.crm_team_member_ids.assignment_max = 0
        lead = self._lead(revenue=500000, mode="air")
        self.assertFalse(self._assigned_to(lead))
        self.assertEqual(lead.team_id, self.senior)

    def test_growing_into_strategic_joins_senior_team(self):
        lead = self._lead(revenue=50000)
        self.assertFalse(lead.team_id)
        lead.expected_revenue = 260000
        self.assertEqual(lead.team_id, self.senior)

    def test_prospect_with_a_salesperson_keeps_it(self):
        seller = self.sellers["air"]
        lead = self._lead(revenue=500000, user_id=seller.id, team_id=self.desk.id)
        self.assertEqual(lead.team_id, self.desk)
        self.assertEqual(self._assigned_to(lead), seller)

    def test_crm_assignment_cron_gives_senior_team_member(self):
        lead = self._lead(revenue=500000, mode="air")
        self.env["crm.team"].search([])._action_assign_leads(force_quota=True)
        self.assertEqual(lead.user_id, self.sellers["senior"])

    def test_settings_form(self):
        settings = Form(self.env["res.config.settings"].with_user(self.env.user))
        self.assertEqual(settings.logistics_senior_team_id, self.senior)
        settings.logistics_strategic_revenue = 300000
        settings.save().execute()
        self.assertEqual(self.env.company.logistics_strategic_revenue, 300000)
