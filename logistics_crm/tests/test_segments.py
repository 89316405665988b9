from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install")
class TestSegments(LogisticsCrmCase):
    """Each criterion of a segment against customers counted by hand, the
    facts it reads (refreshed from real shipments and bookings), and a
    mailing to a segment that skips the blacklisted and the opted out.

    Fixture, in an industry of its own (only the fixture is counted):
    - A: strategic, China, role shipper; lane Shanghai-Hamburg by sea;
      3 sea FCL shipments this year and a confirmed booking with customs;
    - B: key, Germany; lane Hamburg-Shanghai by air; one air shipment; out
      of contact cadence;
    - C: regular, China, another industry; never shipped; churn risk 75;
    - D: the industry of A and B; 2 sea FCL shipments and 1 road FTL
      shipment, all 200 days ago.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.industry = cls.env["res.partner.industry"].create({"name": "Segment Test"})
        cls.other_industry = cls.env["res.partner.industry"].create(
            {"name": "Segment Test Other"}
        )
        cn, de = cls.env.ref("base.cn"), cls.env.ref("base.de")
        tiers = {
            code: cls.env.ref(f"logistics_crm.service_tier_{code}")
            for code in ("strategic", "key", "regular")
        }

        def customer(name, tier, country, industry, **values):
            return Partner.create(
                {
                    "name": name,
                    "is_company": True,
                    "tier_id": tiers[tier].id,
                    "country_id": country.id,
                    "industry_id": industry.id,
                    **values,
                }
            )

        cls.a = customer(
            "Seg A", "strategic", cn, cls.industry, logistics_role="shipper"
        )
        cls.b = customer("Seg B", "key", de, cls.industry)
        cls.c = customer("Seg C", "regular", cn, cls.other_industry)
        cls.d = customer("Seg D", "regular", de, cls.industry)
        cls.customers = cls.a | cls.b | cls.c | cls.d
        cls.lane_a = cls._lane(cls.a, cn, de, "sea_fcl")
        cls.lane_b = cls._lane(cls.b, de, cn, "air")
        cls.lane_d = cls._lane(cls.d, de, de, "road_ftl")
        now = fields.Datetime.now()
        recent, old = now - timedelta(days=20), now - timedelta(days=200)
        cls._ship(cls.a, cls.lane_a, "sea_fcl", recent, 3)
        cls._ship(cls.b, cls.lane_b, "air", recent, 1)
        cls._ship(cls.d, cls.lane_d, "sea_fcl", old, 2)
        cls._ship(cls.d, cls.lane_d, "road_ftl", old, 1)
        customs = cls.env["product.template"]._logistics_service_products()["customs"]
        booking = cls.env["sale.order"].create(
            {
                "partner_id": cls.a.id,
                "order_line": [
                    fields.Command.create(
                        {"product_id": customs.id, "price_unit": 120.0}
                    )
                ],
            }
        )
        booking.action_confirm()
        booking.date_order = recent
        cls.c.logistics_score_id = cls.env["logistics.customer.score"].create(
            {"partner_id": cls.c.id, "churn_score": 75.0}
        )
        cls.b.out_of_cadence = True
        cls.env["logistics.customer.facts"]._refresh_facts(cls.customers)
        cls.lines = {
            line.code: line for line in cls.env["logistics.service.line"].search([])
        }
        cls.Segment = cls.env["logistics.segment"]

    @classmethod
    def _lane(cls, partner, origin, destination, mode):
        return cls.env["logistics.lane"].create(
            {
                "partner_id": partner.id,
                "origin_city": "Origin",
                "origin_country_id": origin.id,
                "destination_city": "Destination",
                "destination_country_id": destination.id,
                "mode": mode,
            }
        )

    @classmethod
    def _ship(cls, partner, lane, mode, when, count):
        cls.env["logistics.shipment"].create(
            [
                {
                    "partner_id": partner.id,
                    "lane_id": lane.id,
                    "mode": mode,
                    "promised_date": when,
                    "revenue": 1000.0,
                    "cost": 700.0,
                }
                for _index in range(count)
            ]
        )

    def _members(self, **criteria):
        segment = self.Segment.create({"name": "Test", **criteria})
        found = self.env["res.partner"].search(
            segment._customer_domain() & Domain("id", "in", self.customers.ids)
        )
        return set(found.mapped("name"))

    def _line_ids(self, *codes):
        return [fields.Command.set([self.lines[code].id for code in codes])]

    def test_facts_from_shipments_and_bookings(self):
        self.assertEqual(self.a.logistics_shipments_12m, 3)
        self.assertEqual(self.a.logistics_revenue_12m, 3000.0)
        self.assertEqual(
            set(self.a.logistics_service_line_ids.mapped("code")),
            {"sea_fcl", "customs"},
        )
        self.assertEqual(self.a.logistics_service_breadth, 2)
        self.assertEqual(self.d.logistics_service_breadth, 2)
        self.assertEqual(self.b.logistics_service_breadth, 1)
        self.assertEqual(self.c.logistics_service_breadth, 0)
        self.assertFalse(self.c.logistics_last_shipment_date)
        self.assertEqual(
            self.d.logistics_last_shipment_date,
            (fields.Datetime.now() - timedelta(days=200)).date(),
        )
        # Sea FCL: two of the industry's three shippers use it, B does not.
        self.assertEqual(
            self.b.logistics_peer_service_line_ids.mapped("code"), ["sea_fcl"]
        )
        self.assertFalse(self.a.logistics_peer_service_line_ids)
        self.assertTrue(self.a.logistics_facts_date)

    def test_an_archived_service_line_counts_for_no_one(self):
        self.lines["customs"].active = False
        self.env["logistics.customer.facts"]._refresh_facts(self.a)
        self.assertEqual(self.a.logistics_service_breadth, 1)

    def test_criteria_one_by_one(self):
        cn = self.env.ref("base.cn")
        cases = [
            ({}, {"Seg A", "Seg B", "Seg C", "Seg D"}),
            (
                {"tier_ids": [fields.Command.set(self.a.tier_id.ids)]},
                {"Seg A"},
            ),
            (
                {"industry_ids": [fields.Command.set(self.industry.ids)]},
                {"Seg A", "Seg B", "Seg D"},
            ),
            ({"role": "shipper"}, {"Seg A"}),
            ({"country_ids": [fields.Command.set(cn.ids)]}, {"Seg A", "Seg C"}),
            ({"lane_origin_country_ids": [fields.Command.set(cn.ids)]}, {"Seg A"}),
            ({"lane_destination_country_ids": [fields.Command.set(cn.ids)]}, {"Seg B"}),
            ({"lane_mode_ids": self._line_ids("air")}, {"Seg B"}),
            # One lane meets the lane criteria together: A's lane from China
            # is by sea, B's air lane is from Germany.
            (
                {
                    "lane_origin_country_ids": [fields.Command.set(cn.ids)],
                    "lane_mode_ids": self._line_ids("air"),
                },
                set(),
            ),
            (
                {
                    "lane_origin_country_ids": [fields.Command.set(cn.ids)],
                    "lane_mode_ids": self._line_ids("sea_fcl"),
                },
                {"Seg A"},
            ),
            ({"uses_service_line_ids": self._line_ids("customs")}, {"Seg A"}),
            (
                {"lacks_service_line_ids": self._line_ids("customs")},
                {"Seg B", "Seg C", "Seg D"},
            ),
            ({"only_service_line_ids": self._line_ids("air")}, {"Seg B"}),
            (
                {"only_service_line_ids": self._line_ids("sea_fcl", "sea_lcl")},
                set(),
            ),
            ({"peer_service_line_ids": self._line_ids("sea_fcl")}, {"Seg B"}),
            ({"shipments_min": 3}, {"Seg A", "Seg D"}),
            ({"shipments_min": 1, "shipments_max": 2}, {"Seg B"}),
            ({"revenue_min": 1000.0, "revenue_max": 1000.0}, {"Seg B"}),
            ({"churn_score_min": 50.0}, {"Seg C"}),
            ({"service_breadth_min": 2}, {"Seg A", "Seg D"}),
            ({"service_breadth_max": 1, "shipments_min": 1}, {"Seg B"}),
            ({"months_without_shipment": 3}, {"Seg C", "Seg D"}),
            ({"out_of_cadence": True}, {"Seg B"}),
            (
                {
                    "industry_ids": [fields.Command.set(self.industry.ids)],
                    "service_breadth_min": 2,
                    "months_without_shipment": 3,
                },
                {"Seg D"},
            ),
        ]
        for criteria, expected in cases:
            with self.subTest(criteria=criteria):
                self.assertEqual(self._members(**criteria), expected)

    def test_live_count_and_customers(self):
        segment = self.Segment.create(
            {
                "name": "Industry",
                "industry_ids": [fields.Command.set(self.industry.ids)],
            }
        )
        self.assertEqual(segment.customer_count, 3)
        action = segment.action_open_customers()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]), self.a | self.b | self.d
        )
        # Live: the segment follows the data, no refresh of its own.
        self.c.industry_id = self.industry
        segment.invalidate_recordset(["customer_count"])
        self.assertEqual(segment.customer_count, 4)

    def test_bad_criteria(self):
        with (
            self.assertRaisesRegex(ValidationError, "is above"),
            self.env.cr.savepoint(),
        ):
            self.Segment.create({"name": "Bad", "shipments_min": 5, "shipments_max": 2})
        with (
            self.assertRaisesRegex(ValidationError, "both use and do not use"),
            self.env.cr.savepoint(),
        ):
            self.Segment.create(
                {
                    "name": "Bad",
                    "uses_service_line_ids": self._line_ids("air"),
                    "lacks_service_line_ids": self._line_ids("air", "rail"),
                }
            )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.Segment.create({"name": "Bad", "revenue_min": -1.0})
        self.assertFalse(self.Segment.search([("name", "=", "Bad")]))


@tagged("post_install", "-at_install")
class TestSegmentMailing(LogisticsCrmCase):
    """A mailing to a segment writes to the contacts of its customers as the
    segment stands at sending, never to the blacklisted or the opted out,
    and a marketing user's mailing cannot read confidential fields."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.industry = cls.env["res.partner.industry"].create({"name": "Mailing Test"})
        cls.customer.write(
            {"industry_id": cls.industry.id, "logistics_credit_rating": "d"}
        )
        cls.reached = Partner.create(
            {
                "name": "Reached Contact",
                "parent_id": cls.customer.id,
                "email": "reached@segment.example.com",
            }
        )
        cls.blacklisted = Partner.create(
            {
                "name": "Blacklisted Contact",
                "parent_id": cls.customer.id,
                "email": "blacklisted@segment.example.com",
            }
        )
        cls.env["mail.blacklist"].create({"email": "blacklisted@segment.example.com"})
        cls.opted_out = Partner.create(
            {
                "name": "Opted-Out Contact",
                "parent_id": cls.customer.id,
                "email": "optout@segment.example.com",
                "logistics_marketing_opt_out": True,
            }
        )
        cls.other = Partner.create(
            {
                "name": "Other Customer Contact",
                "email": "other@segment.example.com",
            }
        )
        cls.segment = cls.env["logistics.segment"].create(
            {
                "name": "Mailing Test",
                "industry_ids": [fields.Command.set(cls.industry.ids)],
            }
        )
        cls.marketer = new_test_user(
            cls.env,
            login="lcrm_marketer",
            # A template editor: may write any dynamic content.
            groups="base.group_user,mass_mailing.group_mass_mailing_user,"
            "mail.group_mail_template_editor,logistics_crm.logistics_crm_group_user",
        )
        cls.marketing_manager = new_test_user(
            cls.env,
            login="lcrm_marketing_manager",
            groups="base.group_user,mass_mailing.group_mass_mailing_user,"
            "mail.group_mail_template_editor,logistics_crm.logistics_crm_group_manager",
        )

    def _mailing(self, body="<p>Hello</p>"):
        with Form(self.env["mailing.mailing"].with_user(self.marketer)) as form:
            form.subject = "Sea-air offer"
            form.mailing_model_id = self.env["ir.model"]._get("res.partner")
            form.logistics_segment_id = self.segment
            form.body_arch = body
        return form.record

    def test_mailing_skips_blacklisted_and_opted_out(self):
        self.assertEqual(self.segment.recipient_count, 1)
        mailing = self._mailing()
        self.assertIn("commercial_partner_id", mailing.mailing_domain)
        # The segment grows after the draft: sending reads it as it stands.
        late = self.env["res.partner"].create(
            {
                "name": "Late Contact",
                "parent_id": self.customer.id,
                "email": "late@segment.example.com",
            }
        )
        mailing.sudo().action_send_mail()
        traces = {
            trace.res_id: (trace.trace_status, trace.failure_type)
            for trace in mailing.sudo().mailing_trace_ids
        }
        self.assertEqual(traces[self.reached.id][0], "outgoing")
        self.assertEqual(traces[late.id][0], "outgoing")
        self.assertEqual(traces[self.blacklisted.id], ("cancel", "mail_bl"))
        self.assertEqual(traces[self.opted_out.id], ("cancel", "mail_optout"))
        self.assertNotIn(self.other.id, traces)
        self.assertNotIn(self.customer.id, traces)

    def test_a_segment_mailing_writes_to_contacts(self):
        mailing = self._mailing()
        with self.assertRaisesRegex(ValidationError, "Contacts"):
            mailing.mailing_model_id = self.env["ir.model"]._get("mailing.list")

    def test_marketing_user_cannot_render_confidential_fields(self):
        self.assertFalse(
            self.marketer.has_group("logistics_crm.logistics_crm_group_manager")
        )
        mailing = self._mailing()
        mailing.sudo().body_html = (
            "<p>Rating: "
            '<t t-out="object.commercial_partner_id.logistics_credit_rating"/></p>'
        )
        with (
            mute_logger("odoo.addons.mail.models.mail_render_mixin"),
            self.assertRaisesRegex(UserError, "enough rights"),
        ):
            mailing.with_user(self.marketer)._render_field(
                "body_html", self.reached.ids
            )
        # Sent by the scheduler (the superuser), it renders with the rights of
        # its responsible: the field never reaches an e-mail.
        with (
            mute_logger("odoo.addons.mail.models.mail_render_mixin"),
            self.assertRaisesRegex(UserError, "enough rights"),
            self.env.cr.savepoint(),
        ):
            mailing.sudo().action_send_mail()
        self.assertFalse(
            self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)])
        )
        # A manager of the addon may show it.
        mailing.sudo().user_id = self.marketing_manager
        rendered = mailing.with_user(self.marketing_manager)._render_field(
            "body_html", self.reached.ids
        )
        self.assertIn("Rating: d", str(rendered[self.reached.id]))
