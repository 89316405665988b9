from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import LogisticsCrmCase

SEA_FREIGHT, SEA_FUEL = 1000.0 * 4, 50.0 * 4
AIR_FREIGHT, AIR_FUEL = 4.0 * 500, 0.5 * 500
COST = 2000.0


@tagged("post_install", "-at_install")
class TestCampaignReport(LogisticsCrmCase):
    """A campaign from its mailing to its revenue, against a fixture counted
    by hand: five traces of which four delivered, three opened and two
    clicked; four leads (one lost, one won), three quote chains, two
    confirmed bookings of which one invoiced, a draft booking that does not
    count, and a lead of another campaign."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Campaign = cls.env["utm.campaign"]
        cls.campaign = Campaign.create(
            {"title": "China-Europe Rail Week", "logistics_cost": COST}
        )
        cls.other_campaign = Campaign.create({"title": "Air Express Days"})
        cls.source = cls.env["utm.source"].create({"name": "Rail Week Newsletter"})
        cls.air_lane = cls.env["logistics.lane"].create(
            {
                "partner_id": cls.customer.id,
                "origin_city": "Shenzhen",
                "origin_country_id": cls.env.ref("base.cn").id,
                "destination_city": "Frankfurt",
                "destination_country_id": cls.env.ref("base.de").id,
                "mode": "air",
            }
        )
        mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Rail to Europe in 18 days",
                "campaign_id": cls.campaign.id,
                "mailing_model_id": cls.env.ref("base.model_res_partner").id,
                "body_html": "<p>Rail week</p>",
            }
        )
        clicked = datetime(2026, 3, 2, 9)
        cls.env["mailing.trace"].create(
            [
                {
                    "mass_mailing_id": mailing.id,
                    "model": "res.partner",
                    "res_id": cls.contact.id,
                    "email": f"reader{index}@example.com",
                    "trace_status": status,
                    "links_click_datetime": click and clicked,
                }
                for index, (status, click) in enumerate(
                    [
                        ("sent", False),
                        ("open", False),
                        ("open", True),
                        ("reply", True),
                        ("bounce", False),
                    ]
                )
            ]
        )
        Lead = cls.env["crm.lead"]
        cls.won_lead, cls.lost_lead, cls.open_lead, cls.cold_lead = Lead.create(
            [
                {
                    "name": name,
                    "type": "opportunity",
                    "partner_id": cls.customer.id,
                    "campaign_id": cls.campaign.id,
                    "source_id": cls.source.id,
                    "medium_id": cls.env.ref("utm.utm_medium_email").id,
                }
                for name in ("Rail tender", "Lost tender", "Open tender", "Cold")
            ]
        )
        Lead.create(
            {
                "name": "Air express lead",
                "partner_id": cls.customer.id,
                "campaign_id": cls.other_campaign.id,
            }
        )
        cls.lost_lead.action_set_lost()
        # Two bookings of the won lead, the sea one delivered and invoiced.
        with freeze_time(datetime(2026, 3, 10, 9)):
            cls.sea_quote = cls._booked_quote(cls.won_lead, cls.lane, 1000.0, 50.0, 4)
            cls.air_quote = cls._booked_quote(cls.won_lead, cls.air_lane, 4.0, 0.5, 500)
        cls.won_lead.action_set_won()
        cls._deliver_and_invoice(
            cls.sea_quote.booking_id.logistics_shipment_ids, "2026-03-20"
        )
        # A revised quote accepted but its booking never confirmed.
        revised = cls._quote(cls.open_lead, cls.lane, 900.0, 40.0, 4)
        revised.action_mark_sent()
        revised.action_revise()
        revised.revised_by_id.action_mark_sent()
        revised.revised_by_id.action_accept("Li Wei")
        cls.draft_booking = revised.revised_by_id.booking_id

    @classmethod
    def _quote(cls, lead, lane, rate, fuel, quantity):
        basis = "teu" if lane.mode == "sea_fcl" else "kg"
        return cls._freight_quote(lane, rate, fuel, quantity, basis, lead_id=lead.id)

    @classmethod
    def _booked_quote(cls, lead, lane, rate, fuel, quantity):
        quote = cls._quote(lead, lane, rate, fuel, quantity)
        quote.action_mark_sent()
        quote.action_accept("Li Wei")
        quote.booking_id.action_confirm()
        return quote

    def _row(self, campaign, user=None):
        Report = self.env["logistics.campaign.report"]
        if user:
            Report = Report.with_user(user)
        rows = Report.search_read([("campaign_id", "=", campaign.id)])
        self.assertEqual(len(rows), 1)
        return rows[0]

    def test_campaign_from_mailing_to_revenue(self):
        booked = SEA_FREIGHT + SEA_FUEL + AIR_FREIGHT + AIR_FUEL
        row = self._row(self.campaign)
        self.assertEqual(
            {
                key: row[key]
                for key in (
                    "mailing_count",
                    "reached_count",
                    "opened_count",
                    "clicked_count",
                    "lead_count",
                    "quote_count",
                    "won_count",
                    "booking_count",
                )
            },
            {
                "mailing_count": 1,
                "reached_count": 4,
                "opened_count": 3,
                "clicked_count": 2,
                "lead_count": 4,
                "quote_count": 3,
                "won_count": 1,
                "booking_count": 2,
            },
        )
        self.assertAlmostEqual(row["amount_booked"], booked)
        self.assertAlmostEqual(row["amount_invoiced"], SEA_FREIGHT + SEA_FUEL)
        self.assertAlmostEqual(row["cost"], COST)
        self.assertAlmostEqual(row["roi"], 100.0 * (booked - COST) / COST)
        self.assertEqual(booked, 6450.0)
        # The draft booking carries the campaign but is not revenue yet.
        self.assertEqual(self.draft_booking.campaign_id, self.campaign)
        self.assertEqual(self.draft_booking.state, "draft")

    def test_other_campaign_and_no_cost(self):
        row = self._row(self.other_campaign)
        self.assertEqual((row["lead_count"], row["booking_count"]), (1, 0))
        self.assertEqual((row["amount_booked"], row["cost"]), (0.0, 0.0))
        self.assertFalse(row["roi"], "no cost, no return on it")

    def test_booking_keeps_the_opportunity_utm(self):
        booking = self.sea_quote.booking_id
        self.assertEqual(
            (booking.campaign_id, booking.source_id, booking.medium_id),
            (self.campaign, self.source, self.env.ref("utm.utm_medium_email")),
        )

    def test_campaign_form_figures_and_cost_tracking(self):
        self.env.invalidate_all()
        self.assertAlmostEqual(self.campaign.logistics_amount_booked, 6450.0)
        self.assertAlmostEqual(self.campaign.logistics_roi, 222.5)
        # Tracking compares with the values at the last commit point.
        self.env.cr.precommit.run()
        self.campaign.logistics_cost = 2500.0
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.campaign.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "logistics_cost"
        )
        self.assertEqual(
            (tracked.old_value_float, tracked.new_value_float), (COST, 2500.0)
        )
        action = self.campaign.action_view_logistics_results()
        self.assertEqual(action["domain"], [("campaign_id", "=", self.campaign.id)])

    def test_who_reads_the_results(self):
        marketer = new_test_user(
            self.env,
            login="rail_marketer",
            groups="mass_mailing.group_mass_mailing_user",
        )
        self.assertAlmostEqual(self._row(self.campaign, marketer)["cost"], COST)
        self.assertAlmostEqual(self._row(self.campaign, self.manager)["cost"], COST)
        with self.assertRaises(AccessError):
            self._row(self.campaign, self.user)
