from datetime import date, datetime, timedelta
from math import ceil
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.orm.models import INSERT_BATCH_SIZE
from odoo.tests import freeze_time, tagged

from .common import LogisticsCrmCase

TODAY = date(2026, 6, 30)


@freeze_time("2026-06-30 12:00:00")
@tagged("post_install", "-at_install")
class TestServiceTier(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["logistics.tier.rule"]
        cls.Rule.search([]).action_archive()
        # One rule: 10 years of cooperation = 100 points, so score = 10 x years.
        cls.Rule.create(
            {
                "metric": "years_of_cooperation",
                "weight": 1,
                "zero_points_at": 0,
                "full_points_at": 10,
            }
        )
        cls.tiers = {
            code: cls.env.ref(f"logistics_crm.service_tier_{code}")
            for code in ("strategic", "key", "potential", "regular")
        }

    def _customer(self, years, **values):
        return self.env["res.partner"].create(
            {
                "name": f"Loyal {years}",
                "is_company": True,
                # 365.25 days a year: an exact number of years, hence of points.
                "customer_since": TODAY - timedelta(days=round(years * 365.25)),
                **values,
            }
        )

    def test_score_and_tier_on_the_boundaries(self):
        expectations = [
            (8.0, 80.0, "strategic"),
            (7.96, 79.6, "key"),
            (6.0, 60.0, "key"),
            (4.0, 40.0, "potential"),
            (3.99, 39.9, "regular"),
            (0.0, 0.0, "regular"),
        ]
        customers = [self._customer(years) for years, _score, _tier in expectations]
        self.env["res.partner"].browse(
            [c.id for c in customers]
        )._recompute_logistics_tiers()
        for customer, (years, score, tier) in zip(customers, expectations, strict=True):
            with self.subTest(years=years):
                self.assertAlmostEqual(customer.tier_score, score, places=1)
                self.assertEqual(customer.tier_id, self.tiers[tier])
                self.assertEqual(
                    customer.tier_breakdown[0]["metric"], "years_of_cooperation"
                )
                self.assertIn("Years of cooperation", customer.tier_breakdown_html)

    def test_history_only_on_change_and_activity_on_key_moves(self):
        customer = self._customer(6.0, account_manager_id=self.user.id)
        customer._recompute_logistics_tiers()
        # End of the creating transaction: later changes are tracked.
        self.env.flush_all()
        self.env.cr.precommit.run()
        customer._recompute_logistics_tiers()
        self.assertEqual(len(customer.tier_history_ids), 1)
        history = customer.tier_history_ids
        self.assertEqual(
            (history.old_tier_id, history.new_tier_id),
            (self.tiers["regular"].browse(), self.tiers["key"]),
        )
        self.assertEqual(history.origin, "computed")
        activity_type = self.env.ref("logistics_crm.mail_activity_type_tier_change")
        activities = customer.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(activities.user_id, self.user)
        # Time passes: two more years make it Strategic, one more history line.
        customer.customer_since -= timedelta(days=round(2 * 365.25))
        customer._recompute_logistics_tiers()
        self.assertEqual(customer.tier_id, self.tiers["strategic"])
        self.assertEqual(len(customer.tier_history_ids), 2)
        # The chatter tells the move (Odoo's tracking), not the first tier.
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = customer.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "tier_id"
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.old_value_char, self.tiers["key"].name)
        self.assertEqual(tracked.new_value_char, self.tiers["strategic"].name)

    def test_override_reason_expiry_and_access(self):
        customer = self._customer(1.0)
        customer._recompute_logistics_tiers()
        self.assertEqual(customer.tier_id, self.tiers["regular"])
        as_user = customer.with_user(self.user)
        with self.assertRaises(AccessError):
            as_user.write(
                {"tier_override_id": self.tiers["key"].id, "tier_override_reason": "x"}
            )
        as_manager = customer.with_user(self.manager)
        with self.assertRaises(ValidationError):
            as_manager.write({"tier_override_id": self.tiers["key"].id})
        as_manager.write(
            {
                "tier_override_id": self.tiers["strategic"].id,
                "tier_override_reason": "Signed a three-year contract",
                "tier_override_until": TODAY,
            }
        )
        self.assertEqual(customer.tier_id, self.tiers["strategic"])
        self.assertEqual(customer.tier_computed_id, self.tiers["regular"])
        last = customer.tier_history_ids[:1]
        self.assertEqual(
            (last.origin, last.reason), ("override", "Signed a three-year contract")
        )
        # The day after the expiry, the next run falls back to the computed tier.
        with freeze_time("2026-07-01 08:00:00"):
            customer._recompute_logistics_tiers()
        self.assertEqual(customer.tier_id, self.tiers["regular"])
        self.assertFalse(customer.tier_override_id)
        self.assertEqual(len(customer.tier_history_ids), 3)

    def test_tier_drives_service_level_cadence_and_gaps(self):
        customer = self._customer(9.0)
        customer._recompute_logistics_tiers()
        level = customer._logistics_service_level()
        strategic = self.tiers["strategic"]
        self.assertEqual(level["tier"], strategic)
        self.assertEqual(level["first_response_hours"], strategic.first_response_hours)
        self.assertEqual(level["complaint_priority"], "3")
        self.assertEqual(
            self.contact.parent_id._logistics_service_level()["tier"],
            self.contact.parent_id.tier_id,
        )
        self.assertEqual(
            customer.profile_review_cadence_days, strategic.review_cadence_days
        )
        self.assertTrue(customer.logistics_service_gap)
        gaps = self.env["res.partner"].search(
            [("logistics_service_gap", "=", True), ("id", "=", customer.id)]
        )
        self.assertEqual(gaps, customer)
        self.assertNotIn(
            customer,
            self.env["res.partner"].search([("logistics_service_gap", "=", False)]),
        )
        customer.write(
            {
                "account_manager_id": self.user.id,
                "service_team_ids": [(6, 0, self.user.ids)],
            }
        )
        self.assertFalse(customer.logistics_service_gap)

    def test_tier_followers_stored_with_the_tier_equal_the_orm_computes(self):
        """The engine stores what follows the tier in its own UPDATE; the
        values must be those the partner's computed fields give, for a first
        tier, a tier that moves and a tier that stays."""
        strategic = self.tiers["strategic"]
        strategic.write({"review_cadence_days": 45, "dedicated_team_required": True})
        customers = (
            self._customer(9.0)
            | self._customer(9.5, profile_reviewed_date=date(2026, 5, 1))
            | self._customer(
                8.5,
                account_manager_id=self.user.id,
                service_team_ids=[(6, 0, self.user.ids)],
            )
            | self._customer(4.5)
            | self._customer(1.0, customer_since=False)
        )
        fnames = [
            "profile_review_cadence_days",
            "profile_review_due_date",
            "logistics_service_gap",
        ]

        def stored():
            self.env.flush_all()
            self.env.cr.execute(
                "SELECT id, tier_id, profile_review_cadence_days,"
                " profile_review_due_date, logistics_service_gap"
                " FROM res_partner WHERE id = ANY(%s) ORDER BY id",
                [customers.ids],
            )
            return self.env.cr.fetchall()

        def recompute_tiers():
            customers._recompute_logistics_tiers()
            # Nothing left for the ORM to rewrite the rows with.
            for fname in fnames:
                field = customers._fields[fname]
                self.assertFalse(self.env.records_to_compute(field) & customers)
            return stored()

        def orm_computed():
            for fname in fnames:
                self.env.add_to_compute(customers._fields[fname], customers)
            customers._recompute_recordset(fnames)
            return stored()

        first = recompute_tiers()
        self.assertEqual(
            [row[1] for row in first],
            [strategic.id] * 3 + [self.tiers["potential"].id, self.tiers["regular"].id],
        )
        since = customers[0].customer_since
        self.assertEqual(first[0][2:], (45, since + timedelta(days=45), True))
        self.assertEqual(first[1][2:], (45, date(2026, 6, 15), True))
        self.assertEqual(first[4][3], None)
        self.assertEqual(first, orm_computed())
        # One moves down, the others stay: the unchanged keep their values.
        customers[0].customer_since = TODAY - timedelta(days=round(5 * 365.25))
        moved = recompute_tiers()
        self.assertEqual(moved[0][1], self.tiers["potential"].id)
        self.assertEqual(moved[0][2], self.tiers["potential"].review_cadence_days)
        self.assertFalse(moved[0][4])
        self.assertEqual(moved[1:], first[1:])
        self.assertEqual(moved, orm_computed())

    def test_steady_run_rewrites_scores_not_partners(self):
        """A run where no tier moves updates the narrow score rows only: the
        partner rows (37 indexes each) are written when the tier moves."""
        customers = self._customer(9.0) | self._customer(5.0)
        customers._recompute_logistics_tiers()
        self.env.flush_all()

        def row_versions(table, ids):
            # xmin changes with every UPDATE of the row, even to equal values.
            self.env.cr.execute(
                f"SELECT id, xmin::text FROM {table} WHERE id = ANY(%s) ORDER BY id",
                [ids],
            )
            return self.env.cr.fetchall()

        scores = customers.logistics_score_id
        self.assertEqual(len(scores), 2)
        self.assertEqual(scores.partner_id, customers)
        partners_before = row_versions("res_partner", customers.ids)
        scores_before = row_versions("logistics_customer_score", scores.ids)
        # A new transaction id, as next month's run would have.
        self.env.cr.execute("SAVEPOINT steady_run")
        customers._recompute_logistics_tiers()
        self.env.flush_all()
        self.assertEqual(row_versions("res_partner", customers.ids), partners_before)
        self.assertNotEqual(
            row_versions("logistics_customer_score", scores.ids), scores_before
        )
        self.assertEqual(customers.logistics_score_id, scores)
        # The tier moves: the partner row is written, with the same score row.
        customers[1].customer_since = TODAY - timedelta(days=round(8.5 * 365.25))
        self.env.flush_all()
        moved_before = row_versions("res_partner", customers.ids)
        self.env.cr.execute("SAVEPOINT tier_moves")
        customers._recompute_logistics_tiers()
        self.env.flush_all()
        after = row_versions("res_partner", customers.ids)
        self.assertEqual(after[0], moved_before[0])
        self.assertNotEqual(after[1], moved_before[1])
        self.assertEqual(customers[1].tier_id, self.tiers["strategic"])
        self.assertAlmostEqual(customers[1].tier_score, 85.0, places=1)
        self.assertEqual(customers.logistics_score_id, scores)

    def test_shipment_metrics_equal_a_direct_computation(self):
        now = datetime(2026, 6, 30, 12, 0)
        recent = now - timedelta(days=100)
        old = now - timedelta(days=500)
        shipments = self._create_shipments(4, promised_date=recent)
        shipments[0].revenue, shipments[0].cost = 2000, 1500
        self._create_shipments(2, promised_date=old)  # previous 12 months, 1000 each
        self._create_shipments(1, promised_date=now + timedelta(days=5))  # future: out
        for shipment, delivered in zip(shipments[:3], ("-1", "+1", "+30"), strict=True):
            when = recent + timedelta(hours=int(delivered))
            self._ingest(
                [
                    {
                        "shipment": shipment.name,
                        "code": "delivered",
                        "external_id": "d",
                        "event_time": when.isoformat(),
                    }
                ]
            )
        self._ingest(
            [
                {
                    "shipment": shipments[3].name,
                    "code": "exception",
                    "external_id": "x",
                    "event_time": recent.isoformat(),
                }
            ]
        )
        metrics = [
            "shipments_12m",
            "revenue_12m",
            "margin_12m",
            "margin_rate",
            "revenue_growth",
            "on_time_rate",
            "exception_rate",
        ]
        values = self.env["logistics.customer.metrics"]._metric_values(
            self.customer.ids, now, metrics
        )[self.customer.id]
        revenue = sum(shipments.mapped("revenue"))
        margin = sum(shipments.mapped("margin"))
        delivered = shipments.filtered(lambda s: s.state == "delivered")
        self.assertEqual(values["shipments_12m"], 4)
        self.assertEqual(values["revenue_12m"], revenue)
        self.assertEqual(values["margin_12m"], margin)
        self.assertAlmostEqual(values["margin_rate"], 100 * margin / revenue)
        self.assertAlmostEqual(values["revenue_growth"], 100 * (revenue - 2000) / 2000)
        self.assertAlmostEqual(
            values["on_time_rate"],
            100 * len(delivered.filtered("is_on_time")) / len(delivered),
        )
        self.assertAlmostEqual(values["on_time_rate"], 200 / 3)
        self.assertAlmostEqual(values["exception_rate"], 25.0)

    def test_metrics_are_planned_without_jit(self):
        Metrics = self.env["logistics.customer.metrics"]
        cr = self.env.cr
        cr.execute("SHOW jit")
        session_jit = cr.fetchone()[0]
        seen = []
        original = type(Metrics)._metric_source_partners

        def spy(metrics, partner_ids, date, window):
            metrics.env.cr.execute("SHOW jit")
            seen.append(metrics.env.cr.fetchone()[0])
            return original(metrics, partner_ids, date, window)

        with patch.object(type(Metrics), "_metric_source_partners", spy):
            values = Metrics._metric_values(
                self.customer.ids, datetime(2026, 6, 30), ["years_of_cooperation"]
            )
        self.assertEqual(seen, ["off"])
        self.assertIn("years_of_cooperation", values[self.customer.id])
        cr.execute("SHOW jit")
        self.assertEqual(cr.fetchone()[0], session_jit)

    def test_recompute_query_count_is_flat(self):
        def measure(count):
            partners = self.env["res.partner"].create(
                [
                    {
                        "name": f"Flat {count} {n}",
                        "is_company": True,
                        "customer_since": TODAY - timedelta(days=400 * n),
                    }
                    for n in range(count)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            partners._recompute_logistics_tiers()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        measure(10)  # warm-up: caches of models, rules and activity types
        small, large = measure(50), measure(500)
        # Metrics, scores, tiers and history are one statement each per batch.
        # The only growth: the ORM writes the review dates that follow a new
        # tier 100 rows per UPDATE.
        chunks = ceil(500 / INSERT_BATCH_SIZE) - ceil(50 / INSERT_BATCH_SIZE)
        self.assertLessEqual(large - small, chunks, f"queries: {small}, {large}")
        self.assertLessEqual(small, 20, f"queries for 50 customers: {small}")

    def test_access_users_read_managers_edit(self):
        rule = self.Rule.search([], limit=1)
        self.assertTrue(rule.with_user(self.user).read(["metric", "weight"]))
        self.assertTrue(
            self.tiers["key"].with_user(self.user).read(["first_response_hours"])
        )
        with self.assertRaises(AccessError):
            rule.with_user(self.user).write({"weight": 3})
        with self.assertRaises(AccessError):
            self.tiers["key"].with_user(self.user).write({"min_score": 10})
        rule.with_user(self.manager).write({"weight": 3})
        self.assertEqual(rule.weight, 3)
        customer = self._customer(5.0)
        customer._recompute_logistics_tiers()
        self.assertEqual(customer.with_user(self.user).tier_score, 50.0)
        with self.assertRaises(AccessError):
            self.env["logistics.tier.history"].with_user(self.user).create(
                {"partner_id": customer.id, "new_tier_id": self.tiers["key"].id}
            )
