from datetime import date, datetime

from odoo.tests import freeze_time, new_test_user, tagged

from ..models.logistics_pricing import Cargo, Endpoint
from .common import LogisticsCrmCase

PRICING_DAY = date(2026, 6, 1)


class PricingCase(LogisticsCrmCase):
    """Prices worked out by hand on an air tariff Shanghai -> Frankfurt:
    breaks 0 / 45 / 100 / 300 kg at 5.00 / 4.20 / 3.60 / 3.10 per kg, a
    100.00 minimum, fuel 10 % of the freight, security 25.00 a shipment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._clear_rate_cards()
        cls.cn = cls.env.ref("base.cn")
        cls.de = cls.env.ref("base.de")
        cls.nl = cls.env.ref("base.nl")
        cls.public_air = cls._card(
            "Public air",
            "air",
            [(0, 5.0), (45, 4.2), (100, 3.6), (300, 3.1)],
            fuel_percent=10.0,
            security_fee=25.0,
            insurance_percent=0.3,
            insurance_minimum=30.0,
            customs_fee=80.0,
            dangerous_goods_fee=150.0,
            warehousing_fee_per_day=12.0,
            peak_season_fee=100.0,
            peak_season_start="2026-11-15",
            peak_season_end="2026-12-31",
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "No Contract Ltd", "is_company": True}
        )

    @classmethod
    def _card(cls, name, mode, breaks, partner=None, city="Shanghai", **values):
        return cls.env["logistics.rate.card"].create(
            {
                "name": name,
                "mode": mode,
                "partner_id": partner.id if partner else False,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                **values,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "origin_country_id": cls.cn.id,
                            "origin_city": city,
                            "destination_country_id": cls.de.id,
                            "destination_location_code": "de fra",
                            "rate_basis": "kg",
                            "min_weight_kg": weight,
                            "rate": rate,
                            "minimum_charge": 100.0 if partner is None else 0.0,
                            "transit_time_days": 3,
                        },
                    )
                    for weight, rate in breaks
                ],
            }
        )

    def _cargo(self, **values):
        values.setdefault("day", PRICING_DAY)
        values.setdefault("mode", "air")
        return Cargo(
            origin=Endpoint(self.cn.id, city="shanghai"),
            destination=Endpoint(self.de.id, city="Frankfurt", location_code="DEFRA"),
            **values,
        )

    def _price(self, partner=None, **values):
        return self.env["logistics.pricing"]._best_price(self._cargo(**values), partner)

    def _amounts(self, option):
        return {component.code: component.amount for component in option.components}


@tagged("post_install", "-at_install")
class TestPricing(PricingCase):
    def test_weight_breaks_at_their_edges(self):
        below = self._price(weight_kg=44.9)
        self.assertEqual(below.line.min_weight_kg, 0)
        # 44.9 x 5.00 = 224.50; fuel 22.45; security 25.00.
        self.assertEqual(
            self._amounts(below), {"freight": 224.5, "fuel": 22.45, "security": 25.0}
        )
        self.assertAlmostEqual(below.total, 271.95)
        at_break = self._price(weight_kg=45)
        self.assertEqual(at_break.line.min_weight_kg, 45)
        # 45 x 4.20 = 189.00; fuel 18.90; security 25.00.
        self.assertAlmostEqual(at_break.total, 232.9)
        self.assertEqual(self._price(weight_kg=299.99).line.min_weight_kg, 100)
        self.assertEqual(self._price(weight_kg=300).line.min_weight_kg, 300)

    def test_minimum_charge_and_fuel_on_it(self):
        option = self._price(weight_kg=10)
        # 10 x 5.00 = 50.00 is under the 100.00 minimum; fuel is 10 % of it.
        self.assertEqual(
            self._amounts(option), {"freight": 100.0, "fuel": 10.0, "security": 25.0}
        )

    def test_volumetric_weight_counts(self):
        option = self._price(weight_kg=50, volume_m3=1.0)
        # 1 m³ by air is 167 kg chargeable: break 100, 167 x 3.60 = 601.20.
        self.assertEqual(option.components[0].quantity, 167.0)
        self.assertAlmostEqual(option.components[0].amount, 601.2)
        self.assertAlmostEqual(option.total, 601.2 + 60.12 + 25.0)

    def test_insurance_on_declared_value_not_on_freight(self):
        option = self._price(
            weight_kg=100, declared_value=20000.0, services=frozenset({"insurance"})
        )
        # 0.3 % of 20,000 = 60.00, and fuel stays 10 % of the freight only.
        self.assertEqual(
            self._amounts(option),
            {"freight": 360.0, "fuel": 36.0, "security": 25.0, "insurance": 60.0},
        )
        small = self._price(
            weight_kg=100, declared_value=5000.0, services=frozenset({"insurance"})
        )
        # 0.3 % of 5,000 = 15.00 is under the 30.00 minimum premium.
        self.assertEqual(self._amounts(small)["insurance"], 30.0)

    def test_services_priced_and_unpriced(self):
        option = self._price(
            weight_kg=100,
            dangerous_goods=True,
            storage_days=3,
            services=frozenset({"customs", "warehousing", "door_delivery"}),
        )
        amounts = self._amounts(option)
        self.assertEqual(amounts["customs"], 80.0)
        self.assertEqual(amounts["warehousing"], 36.0)  # 3 days x 12.00
        self.assertEqual(amounts["dangerous_goods"], 150.0)
        # The card has no door-delivery price: sales quote it.
        self.assertNotIn("door_delivery", amounts)
        self.assertEqual(option.unpriced_services, ["door_delivery"])

    def test_peak_season_by_pricing_day(self):
        self.assertNotIn("peak_season", self._amounts(self._price(weight_kg=100)))
        december = self._price(weight_kg=100, day=date(2026, 12, 1))
        self.assertEqual(self._amounts(december)["peak_season"], 100.0)

    def test_contract_overrides_public_card(self):
        contract = self._card(
            "Contract air",
            "air",
            [(0, 3.0)],
            partner=self.customer,
            city=False,
            fuel_percent=5.0,
        )
        option = self._price(self.contact, weight_kg=100)
        # The contract's country-wide lane wins over the public city lane:
        # 100 x 3.00 = 300.00, fuel 5 % = 15.00, no security fee.
        self.assertEqual(option.line.card_id, contract)
        self.assertAlmostEqual(option.total, 315.0)
        self.assertTrue(option.is_contract)
        # Another customer never gets that contract's price.
        other = self._price(self.other_customer, weight_kg=100)
        self.assertEqual(other.line.card_id, self.public_air)
        self.assertAlmostEqual(other.total, 421.0)
        # Once the contract has expired, the public card prices again.
        contract.date_end = "2026-05-31"
        self.assertEqual(
            self._price(self.contact, weight_kg=100).line.card_id, self.public_air
        )

    def test_expired_and_archived_cards_ignored(self):
        cheap = self._card("Old air", "air", [(0, 1.0)])
        cheap.write({"date_start": "2025-01-01", "date_end": "2025-12-31"})
        self.assertEqual(self._price(weight_kg=100).line.card_id, self.public_air)
        # Renewed, and newer than the public card: it prices.
        cheap.write({"date_start": "2026-03-01", "date_end": False})
        self.assertEqual(self._price(weight_kg=100).line.card_id, cheap)
        cheap.active = False
        self.assertEqual(self._price(weight_kg=100).line.card_id, self.public_air)

    def test_containers_and_weight_or_measure(self):
        sea = self.env["logistics.rate.card"].create(
            {
                "name": "Sea",
                "mode": "sea_fcl",
                "date_start": "2026-01-01",
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "origin_country_id": self.cn.id,
                            "origin_location_code": "CNSHA",
                            "destination_country_id": self.de.id,
                            "rate_basis": "container",
                            "container_type": "40hc",
                            "rate": 2100.0,
                        },
                    )
                ],
            }
        )
        lcl = self._card("LCL", "sea_lcl", [], fuel_percent=0.0)
        lcl.line_ids = [
            (
                0,
                0,
                {
                    "origin_country_id": self.cn.id,
                    "destination_country_id": self.de.id,
                    "rate_basis": "m3",
                    "rate": 60.0,
                    "minimum_charge": 80.0,
                },
            )
        ]
        boxes = self.env["logistics.pricing"]._best_price(
            Cargo(
                origin=Endpoint(self.cn.id, city="Shanghai", location_code="CN SHA"),
                destination=Endpoint(self.de.id, city="Hamburg"),
                mode="sea_fcl",
                container_type="40hc",
                container_count=2,
                day=PRICING_DAY,
            )
        )
        self.assertEqual(boxes.line.card_id, sea)
        self.assertEqual(boxes.total, 4200.0)
        loose = self.env["logistics.pricing"]._best_price(
            Cargo(
                origin=Endpoint(self.cn.id, city="Ningbo"),
                destination=Endpoint(self.de.id, city="Hamburg"),
                mode="sea_lcl",
                weight_kg=2500,
                volume_m3=3,
                day=PRICING_DAY,
            )
        )
        # Weight or measure: 3 m³ beats 2.5 t; 3 x 60.00 = 180.00.
        self.assertEqual(loose.total, 180.0)
        # A port-only line covers its port, not any city without a code.
        elsewhere = Cargo(
            origin=Endpoint(self.cn.id, city="Chengdu"),
            destination=Endpoint(self.de.id, city="Hamburg"),
            mode="sea_fcl",
            container_type="40hc",
            container_count=1,
            day=PRICING_DAY,
        )
        self.assertIsNone(self.env["logistics.pricing"]._best_price(elsewhere))

    def test_city_matches_a_line_that_names_its_port(self):
        # The public air lines name Frankfurt by its code only; a request
        # naming the city of a line with a port code and a city matches.
        self.public_air.line_ids.write(
            {"destination_city": "Frankfurt", "destination_location_code": "DEFRA"}
        )
        option = self.env["logistics.pricing"]._best_price(
            Cargo(
                origin=Endpoint(self.cn.id, city="Shanghai"),
                destination=Endpoint(self.de.id, city="frankfurt"),
                mode="air",
                weight_kg=100,
                day=PRICING_DAY,
            )
        )
        self.assertEqual(option.line.card_id, self.public_air)

    def test_suggest_lists_priced_modes_cheapest_first(self):
        self._card("Public air cheap road", "road_ltl", [(0, 0.5)])
        options = self.env["logistics.pricing"]._price(
            self._cargo(mode="suggest", weight_kg=100)
        )
        self.assertEqual([option.mode for option in options], ["road_ltl", "air"])
        # 100 x 0.50 = 50.00 under the 100.00 minimum.
        self.assertEqual(options[0].total, 100.0)

    def test_no_card_no_price(self):
        cargo = Cargo(
            origin=Endpoint(self.cn.id, city="Shanghai"),
            destination=Endpoint(self.nl.id, city="Rotterdam"),
            mode="air",
            weight_kg=100,
            day=PRICING_DAY,
        )
        self.assertIsNone(self.env["logistics.pricing"]._best_price(cargo))


@tagged("post_install", "-at_install")
class TestQuoteRequest(PricingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env, login="lcrm_air_seller", groups="sales_team.group_sale_salesman"
        )
        cls.road_seller = new_test_user(
            cls.env, login="lcrm_road_seller", groups="sales_team.group_sale_salesman"
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Asia desk", "use_opportunities": True}
        )
        cls.env["crm.team.member"].create(
            [
                {
                    "crm_team_id": cls.team.id,
                    "user_id": cls.seller.id,
                    "assignment_max": 30,
                    "assignment_domain": "[('logistics_lane_ids.mode', '=', 'air')]",
                },
                {
                    "crm_team_id": cls.team.id,
                    "user_id": cls.road_seller.id,
                    "assignment_max": 30,
                    "assignment_domain": (
                        "[('logistics_lane_ids.mode', '=', 'road_ftl')]"
                    ),
                },
            ]
        )
        # Only this desk's rules assign, not the default team's catch-all.
        cls.env["crm.team"].search([("id", "!=", cls.team.id)]).write(
            {"assignment_optout": True}
        )
        cls.customer.tier_id = cls.env.ref("logistics_crm.service_tier_key")

    def _request(self, **values):
        return self.env["logistics.quote.request"].create(
            {
                "partner_id": self.customer.id,
                "contact_id": self.contact.id,
                "origin_country_id": self.cn.id,
                "origin_city": "Shanghai",
                "destination_country_id": self.de.id,
                "destination_city": "Frankfurt",
                "destination_location_code": "DEFRA",
                "mode": "air",
                "weight_kg": 100,
                "ready_date": "2026-06-01",
                **values,
            }
        )

    @freeze_time("2026-06-01 02:00:00")
    def test_priced_request_becomes_draft_quote_of_the_same_price(self):
        request = self._request(declared_value=20000, service_insurance=True)
        self.assertEqual(request.state, "priced")
        self.assertAlmostEqual(request.indicative_total, 481.0)
        self.assertEqual(
            [part["code"] for part in request.price_breakdown],
            ["freight", "fuel", "security", "insurance"],
        )
        quote = request.quote_id
        self.assertEqual(quote.state, "draft")
        self.assertAlmostEqual(quote.amount_total, request.indicative_total)
        self.assertEqual(
            quote.line_ids.filtered("parent_id").mapped("surcharge_type"),
            ["fuel", "security", "insurance"],
        )
        # Odoo's assignment rules: the air member's domain takes it.
        self.assertEqual(request.lead_id.user_id, self.seller)
        self.assertEqual(request.lead_id.team_id, self.team)
        self.assertEqual(quote.user_id, self.seller)
        self.assertEqual(request.lead_id.logistics_lane_ids.mode, "air")

    @freeze_time("2026-06-01 02:00:00")
    def test_unpriced_request_becomes_opportunity_to_price(self):
        request = self._request(destination_country_id=self.nl.id, mode="road_ftl")
        self.assertEqual(request.state, "to_price")
        self.assertFalse(request.indicative_total)
        self.assertEqual(request.quote_id.line_ids.rate, 0.0)
        self.assertEqual(request.lead_id.user_id, self.road_seller)

    def test_response_clock_from_tier_met_when_quote_sent(self):
        # Monday 1 June 2026, 10:00 in Shanghai is 02:00 UTC; the key tier
        # answers within 4 working hours of its calendar (UTC, 8-12/13-17).
        with freeze_time("2026-06-01 08:00:00"):
            request = self._request()
        self.assertEqual(request.response_target_hours, 4.0)
        self.assertEqual(request.response_status, "running")
        # 08:00-12:00 UTC of the standard calendar: due at noon.
        calendar = request.response_calendar_id
        expected = calendar._logistics_plan_hours([(datetime(2026, 6, 1, 8), 4.0)])
        self.assertEqual(request.response_deadline, expected[0])
        with freeze_time("2026-06-01 10:00:00"):
            request.quote_id.action_mark_sent()
        self.assertEqual(request.response_status, "met")
        self.assertAlmostEqual(request.response_hours, 2.0)
        self.assertEqual(request.state, "quoted")
        row = self._report_row(request)
        self.assertEqual(row.response_met_rate, 100.0)
        self.assertAlmostEqual(row.response_hours, 2.0)
        self.assertEqual(row.tier_id, self.customer.tier_id)
        self.assertEqual(row.user_id, self.seller)

    def _report_row(self, request):
        self.env.flush_all()
        return self.env["logistics.quote.response.report"].search(
            [("request_id", "=", request.id)]
        )

    def test_response_clock_breach_escalates(self):
        self.team.user_id = self.manager
        with freeze_time("2026-06-01 08:00:00"):
            request = self._request()
        with freeze_time(request.response_deadline):
            self.env["logistics.quote.response.clock"]._cron_check_deadlines()
        self.assertEqual(request.response_status, "breached")
        self.assertEqual(request.lead_id.priority, "3")
        self.assertEqual(request.activity_ids.user_id, self.manager)
        with freeze_time("2026-06-02 09:00:00"):
            request.quote_id.action_mark_sent()
        self.assertEqual(request.response_status, "breached")
        self.assertTrue(request.response_date)
        self.assertEqual(self._report_row(request).response_met_rate, 0.0)

    def test_regular_customer_gets_a_working_day(self):
        self.customer.tier_id = self.env.ref("logistics_crm.service_tier_regular")
        with freeze_time("2026-06-01 08:00:00"):
            request = self._request()
        self.assertEqual(request.response_target_hours, 8.0)
