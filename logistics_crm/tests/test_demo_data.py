from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from ..models.logistics_selections import CARRIER_MODES

SNAPSHOT_FIGURES = ("shipments", "delivered", "revenue", "complaints", "notifications")


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo agrees with itself and shows every screen alive. CI installs
    with demo data: these run on it, with nothing skipped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env.ref("logistics_crm.res_partner_customer_demo")
        cls.carriers = cls.env["res.partner"].search(
            [("logistics_carrier_type", "!=", False)]
        )

    def _customers_domain(self):
        action = self.env.ref("logistics_crm.res_partner_action")
        return Domain(safe_eval(action.domain))

    def test_scorecard_is_computed_from_the_shipments(self):
        snapshots = self.env["logistics.kpi.snapshot"].search(
            [("partner_id", "=", self.customer.id)], order="month"
        )
        self.assertGreaterEqual(len(snapshots), 12)
        Shipment = self.env["logistics.shipment"]
        total = Shipment.search_count([("partner_id", "=", self.customer.id)])
        for snapshot in snapshots:
            # Months are UTC months, as the snapshot's SQL takes them: a date
            # in a domain would be read in the user's time zone, and a
            # shipment promised at 23:00 UTC on the 31st change months.
            start = fields.Datetime.to_datetime(snapshot.month)
            counted = Shipment.search(
                [
                    ("partner_id", "=", self.customer.id),
                    ("state", "!=", "cancelled"),
                    ("promised_date", ">=", start),
                    ("promised_date", "<", start + relativedelta(months=1)),
                ]
            )
            self.assertLessEqual(snapshot.shipments, total)
            self.assertEqual(snapshot.shipments, len(counted), snapshot.month)
            self.assertAlmostEqual(
                snapshot.revenue, sum(counted.mapped("revenue")), places=2
            )
        self.assertTrue(any(snapshots.mapped("revenue")))
        # Taking a month again (the monthly job's code) changes no figure.
        before = snapshots.read(SNAPSHOT_FIGURES)
        for month in set(snapshots.mapped("month")):
            self.env["logistics.kpi.snapshot"]._take(month)
        self.assertEqual(snapshots.read(SNAPSHOT_FIGURES), before)

    def test_carriers_are_not_customers(self):
        self.assertGreaterEqual(len(self.carriers), 4)
        customers = self.env["res.partner"].search(self._customers_domain())
        self.assertTrue(customers)
        self.assertFalse(customers & self.carriers)
        self.assertFalse(self.carriers.tier_id)
        self.assertFalse(self.carriers.logistics_subscription_ids)
        # Any carrier, not only the demo's: a new one is left out as well.
        carrier = self.env["res.partner"].create(
            {
                "name": "Test Haulier",
                "is_company": True,
                "logistics_carrier_type": "road",
            }
        )
        self.assertNotIn(
            carrier, self.env["res.partner"].search(self._customers_domain())
        )
        self.assertFalse(carrier.logistics_subscription_ids)

    def test_demo_carriers_serve_their_shipments_mode(self):
        shipments = self.env["logistics.shipment"].search([("carrier_id", "!=", False)])
        self.assertTrue(shipments)
        for shipment in shipments:
            self.assertIn(
                shipment.mode,
                CARRIER_MODES[shipment.carrier_id.logistics_carrier_type],
                shipment.name,
            )
        self.assertEqual(
            set(shipments.mapped("mode")),
            set(self.env["logistics.lane"].search([]).mapped("mode")),
        )

    def test_a_carrier_cannot_carry_another_mode(self):
        road = self.carriers.filtered(lambda c: c.logistics_carrier_type == "road")[:1]
        sea = self.env["logistics.shipment"].search([("mode", "=", "sea_fcl")], limit=1)
        with self.assertRaises(ValidationError):
            sea.carrier_id = road

    def test_every_tier_has_a_customer(self):
        customers = self.env["res.partner"].search(self._customers_domain())
        tiers = set(customers.mapped("tier_id.code"))
        self.assertLessEqual({"strategic", "key", "potential", "regular"}, tiers)
        # Strategic by the scoring engine, not by a forced tier.
        strategic = customers.filtered(lambda c: c.tier_id.code == "strategic")
        self.assertTrue(strategic.filtered(lambda c: not c.tier_override_id))

    def test_complaints_in_every_stage_and_sla_status(self):
        complaints = self.env["logistics.complaint"].search([])
        stages = self.env["logistics.complaint.stage"].search([])
        self.assertEqual(set(complaints.stage_id), set(stages))
        slas = complaints.sla_ids
        self.assertLessEqual(
            {"running", "paused", "breached", "met"}, set(slas.mapped("status"))
        )
        self.assertTrue(slas.filtered(lambda s: s.status == "running" and s.warned))
        self.assertTrue(slas.filtered(lambda s: s.status == "running" and not s.warned))
        rated = complaints.filtered("rating_ids.consumed")
        self.assertGreaterEqual(len(rated), 2)
        self.assertLessEqual(min(rated.rating_ids.mapped("rating")), 2)
        closed = complaints.filtered(lambda c: c.stage_id.is_closed and c.resolved_date)
        self.assertTrue(closed)
        self.assertTrue(all(closed.mapped("root_cause_id")))
        self.assertTrue(complaints.pause_ids)

    def test_quotes_in_every_state(self):
        states = set(self.env["logistics.quote"].search([]).mapped("state"))
        selection = self.env["logistics.quote"]._fields["state"].selection
        self.assertEqual(states, {code for code, _label in selection})

    def test_logistics_opportunities_with_lanes(self):
        leads = self.env["crm.lead"].search([("logistics_lane_ids", "!=", False)])
        self.assertGreaterEqual(len(leads.stage_id), 3)
        # A quote request no rate card priced waits for sales to price it.
        to_price = self.env["logistics.quote.request"].search(
            [("state", "=", "to_price")]
        )
        self.assertTrue(to_price)
        self.assertFalse(any(to_price.lead_id.mapped("expected_revenue")))
        # Cross-sell opportunities offer a new mode on the customer's lanes:
        # sales prices them too.
        cross_sell = leads.filtered("logistics_service_line_id")
        self.assertTrue(cross_sell.campaign_id)
        self.assertEqual(cross_sell.user_id, cross_sell.partner_id.account_manager_id)
        self.assertFalse(any(cross_sell.logistics_lane_ids.mapped("rate")))
        self.assertTrue(
            all((leads - to_price.lead_id - cross_sell).mapped("expected_revenue"))
        )
        won = leads.filtered(lambda lead: lead.won_status == "won")
        self.assertTrue(won)
        # The won lanes became the customer's own.
        self.assertTrue(
            self.env["logistics.lane"].search(
                [("source_lane_id", "in", won.logistics_lane_ids.ids)]
            )
        )

    def test_notifications_sent(self):
        sent = self.env["logistics.notification.log"].search([("state", "=", "sent")])
        self.assertTrue(sent)
        by_channel = sent.grouped("channel")
        self.assertTrue(all(by_channel["email"].mapped("mail_id")))
        self.assertTrue(all(by_channel["sms"].mapped("sms_id")), "texts too")
        self.assertIn(self.customer, sent.shipment_id.partner_id)

    def test_quote_requests_and_rate_cards(self):
        requests = self.env["logistics.quote.request"].search([])
        self.assertEqual(
            set(requests.mapped("state")),
            {"priced", "to_price", "quoted", "booked", "cancelled"},
        )
        self.assertTrue(requests.filtered("is_prospect"))
        cards = self.env["logistics.rate.card"].search([])
        self.assertTrue(cards.filtered("partner_id"))
        self.assertGreaterEqual(len(set(cards.mapped("mode"))), 4)

    def test_calls_in_every_state_and_on_the_scorecards(self):
        calls = self.env["crm.phonecall"].search([("customer_id", "!=", False)])
        selection = self.env["crm.phonecall"]._fields["state"].selection
        self.assertEqual(
            set(calls.mapped("state")), {code for code, _label in selection}
        )
        held_inbound = calls.filtered(
            lambda call: call.state == "done" and call.direction == "in"
        )
        self.assertEqual(
            set(held_inbound.mapped("first_contact_resolved")), {True, False}
        )
        # Last month's calls were there when the demo took its scorecards.
        snapshots = self.env["logistics.kpi.snapshot"].search([("calls", ">", 0)])
        self.assertTrue(snapshots)
        self.assertTrue(snapshots.filtered(lambda snapshot: snapshot.fcr_rate > 0))
        report = self.env["logistics.call.report"].search([("partner_id", "!=", False)])
        self.assertEqual(report.call_id, calls)

    def test_sales_manager_views_show_every_outcome(self):
        """The forecast has opportunities closing in several months and
        modes, a strategic prospect waits in the senior team, and the win
        rate shows salespeople with won and lost leads weeks apart."""
        self.env.flush_all()
        senior = self.env.company.logistics_senior_team_id
        self.assertEqual(senior, self.env.ref("logistics_crm.crm_team_strategic_demo"))
        waiting = self.env["crm.lead"].search(
            [("logistics_strategic_prospect", "=", True), ("user_id", "=", False)]
        )
        self.assertEqual(waiting.team_id, senior)
        forecast = self.env["logistics.sales.forecast"]
        self.assertGreater(
            len(forecast._read_group([("date", "!=", False)], ["date:month"])), 2
        )
        self.assertGreater(len(forecast._read_group([], ["mode"])), 3)
        groups = self.env["logistics.sales.outcome"]._read_group(
            [("won_status", "!=", "pending"), ("mode", "!=", False)],
            ["user_id"],
            ["won_count:sum", "lost_count:sum", "cycle_days:avg"],
        )
        chen = self.env.ref("logistics_crm.res_users_chen_jing_demo")
        figures = {user: values for user, *values in groups}
        self.assertEqual(figures[chen][:2], [1, 1])
        self.assertGreater(figures[chen][2], 20)

    def test_survey_contacts_are_invited(self):
        answers = self.env["survey.user_input"].search(
            [("survey_id", "=", self.env.ref("logistics_crm.survey_relationship").id)]
        )
        marked = self.env["res.partner"].search(
            [("logistics_survey_contact", "=", True)]
        )
        opted_out = marked.filtered("logistics_survey_opt_out")
        self.assertTrue(opted_out)
        self.assertEqual(answers.partner_id, marked - opted_out)
        self.assertEqual(set(answers.mapped("state")), {"new", "done"})
        self.env.flush_all()
        classes = self.env["logistics.survey.report"].search([]).mapped("nps_class")
        self.assertEqual(set(classes), {"promoter", "passive", "detractor"})
        # Earlier cycles give the portal customer an NPS trend on its
        # scorecard.
        portal_customer = self.env.ref("base.partner_demo_portal").commercial_partner_id
        trend = [
            row["nps"]
            for row in self.env["logistics.kpi.snapshot"]._scorecard(portal_customer)
            if row["nps"] is not None
        ]
        self.assertGreaterEqual(len(trend), 2)
