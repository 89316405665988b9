import logging
from collections import defaultdict
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import freeze_time, new_test_user, tagged

from .common import LogisticsCrmCase

_logger = logging.getLogger(__name__)

FREIGHT_RATE = {"sea_fcl": 1000.0, "air": 4.0}
FUEL_RATE = {"sea_fcl": 50.0, "air": 0.5}
QUANTITY = {"sea_fcl": 4.0, "air": 500.0}
RATE_BASIS = {"sea_fcl": "teu", "air": "kg"}


def _month(moment):
    """The first day of the month of a date or datetime."""
    return (moment.date() if isinstance(moment, datetime) else moment).replace(day=1)


@tagged("post_install", "-at_install")
class TestSalesReport(LogisticsCrmCase):
    """Bookings and invoiced revenue by month, mode, lane and salesperson,
    and the quote conversion with the days to booking, against figures
    computed here from the quotes played."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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
        cls.lanes = {"sea_fcl": cls.lane, "air": cls.air_lane}
        cls.alice, cls.bob = (
            new_test_user(
                cls.env,
                login=login,
                groups="logistics_crm.logistics_crm_group_user",
                tz="UTC",
            )
            for login in ("sales_alice", "sales_bob")
        )
        Team = cls.env["crm.team"]
        for user in (cls.alice, cls.bob):
            Team.create(
                {"name": f"Team {user.login}", "member_ids": [Command.link(user.id)]}
            )
        # What happened, in order: who sent which quote when, and what came
        # of it. "revise" is revised at that moment and the revision sent.
        plays = [
            {
                "user": cls.alice,
                "mode": "sea_fcl",
                "sent": datetime(2026, 1, 5, 10),
                "booked": datetime(2026, 1, 15, 10),
                "delivered": "2026-01-20",
            },
            {
                "user": cls.alice,
                "mode": "air",
                "sent": datetime(2026, 1, 20, 9),
                "booked": datetime(2026, 2, 3, 21),
            },
            {
                "user": cls.alice,
                "mode": "sea_fcl",
                "sent": datetime(2026, 2, 10, 9),
                "rejected": datetime(2026, 2, 12, 9),
            },
            {
                "user": cls.bob,
                "mode": "sea_fcl",
                "sent": datetime(2026, 2, 2, 8),
                "revise": datetime(2026, 2, 5, 8),
                "booked": datetime(2026, 2, 9, 8),
                "delivered": "2026-02-16",
                "refund_fuel": True,
            },
            {"user": cls.bob, "mode": "air", "sent": datetime(2026, 2, 15, 14)},
            {
                "user": cls.bob,
                "mode": "air",
                "sent": datetime(2026, 2, 16, 9),
                "accepted": datetime(2026, 2, 18, 9),
            },
        ]
        cls.plays = [cls._play(play) for play in plays]
        # Never sent: in neither report.
        cls._quote(cls.alice, "air")

    # ------------------------------------------------------------------
    # The plays
    # ------------------------------------------------------------------
    @classmethod
    def _quote(cls, user, mode):
        return cls._freight_quote(
            cls.lanes[mode],
            FREIGHT_RATE[mode],
            FUEL_RATE[mode],
            QUANTITY[mode],
            RATE_BASIS[mode],
            user_id=user.id,
        )

    @classmethod
    def _play(cls, play):
        with freeze_time(play["sent"]):
            quote = cls._quote(play["user"], play["mode"])
            quote.action_mark_sent()
        if play.get("revise"):
            with freeze_time(play["revise"]):
                quote.action_revise()
                quote = quote.revised_by_id
                quote.action_mark_sent()
        if play.get("rejected"):
            with freeze_time(play["rejected"]):
                quote.action_reject("Too dear")
        accepted = play.get("accepted") or play.get("booked")
        if accepted:
            with freeze_time(accepted):
                quote.action_accept("Li Wei")
        if play.get("booked"):
            with freeze_time(play["booked"]):
                quote.booking_id.action_confirm()
        if play.get("delivered"):
            cls._invoice_play(quote.booking_id, play)
        return dict(play, quote=quote, booking=quote.booking_id)

    @classmethod
    def _invoice_play(cls, booking, play):
        play["invoice"] = cls._deliver_and_invoice(
            booking.logistics_shipment_ids, play["delivered"]
        )
        if not play.get("refund_fuel"):
            return
        # A credit note for the fuel surcharge alone, on the delivery day.
        fuel = booking.order_line.filtered(
            lambda line: line.product_id.logistics_service == "fuel"
        )
        with freeze_time(f"{play['delivered']} 12:00:00"):
            refund = cls.env["account.move"].create(
                {
                    **booking._prepare_invoice(),
                    "move_type": "out_refund",
                    "invoice_line_ids": [
                        Command.create(
                            fuel._prepare_invoice_line(quantity=fuel.product_uom_qty)
                        )
                    ],
                }
            )
            refund.action_post()
        play["refund"] = refund

    # ------------------------------------------------------------------
    # Expected figures, from the plays
    # ------------------------------------------------------------------
    def _expected_lines(self):
        """One (month, mode, lane, salesperson, booked, invoiced, booking) per
        booking line of the confirmed bookings."""
        lines = []
        for play in self.plays:
            if not play.get("booked"):
                continue
            mode = play["mode"]
            freight = FREIGHT_RATE[mode] * QUANTITY[mode]
            fuel = FUEL_RATE[mode] * QUANTITY[mode]
            delivered = bool(play.get("delivered"))
            for amount, refunded in ((freight, False), (fuel, play.get("refund_fuel"))):
                invoiced = amount if delivered and not refunded else 0.0
                lines.append(
                    (
                        _month(play["booked"]),
                        mode,
                        self.lanes[mode],
                        play["user"],
                        amount,
                        invoiced,
                        play["booking"],
                    )
                )
        return lines

    def _report(self, groupby, aggregates, user=None, model="logistics.sales.report"):
        Report = self.env[model]
        if user:
            Report = Report.with_user(user)
        self.env.flush_all()
        return Report._read_group(
            [("partner_id", "=", self.customer.id)], groupby, aggregates
        )

    # ------------------------------------------------------------------
    # Bookings and invoicing
    # ------------------------------------------------------------------
    def test_bookings_and_invoicing_by_month_mode_and_salesperson(self):
        expected = defaultdict(lambda: [0.0, 0.0, set()])
        for (
            month,
            mode,
            _lane,
            user,
            booked,
            invoiced,
            booking,
        ) in self._expected_lines():
            cell = expected[month, mode, user]
            cell[0] += booked
            cell[1] += invoiced
            cell[2].add(booking)
        rows = self._report(
            ["date:month", "mode", "user_id", "state"],
            [
                "amount_booked:sum",
                "amount_invoiced:sum",
                "booking_count:count_distinct",
            ],
            user=self.manager,
        )
        confirmed = {
            (_month(month), mode, user): [booked, invoiced, count]
            for month, mode, user, state, booked, invoiced, count in rows
            if state == "sale"
        }
        self.assertEqual(set(confirmed), set(expected))
        for key, (booked, invoiced, bookings) in expected.items():
            with self.subTest(cell=key):
                got_booked, got_invoiced, got_count = confirmed[key]
                self.assertAlmostEqual(got_booked, booked)
                self.assertAlmostEqual(got_invoiced, invoiced)
                self.assertEqual(got_count, len(bookings))
        # The accepted quote not yet confirmed: a draft booking, apart.
        drafts = [row for row in rows if row[3] == "draft"]
        self.assertEqual(len(drafts), 1)
        self.assertEqual(drafts[0][2], self.bob)

    def test_surcharges_read_under_their_freight_lane(self):
        expected = defaultdict(float)
        for (
            _when,
            mode,
            lane,
            _user,
            booked,
            _invoiced,
            booking,
        ) in self._expected_lines():
            expected[booking, lane, mode] += booked
        self.env.flush_all()
        rows = self.env["logistics.sales.report"]._read_group(
            [("partner_id", "=", self.customer.id), ("state", "=", "sale")],
            ["order_id", "lane_id", "mode"],
            ["amount_booked:sum", "shipment_count:count_distinct", "service:array_agg"],
        )
        got = {}
        for booking, lane, mode, booked, shipments, services in rows:
            got[booking, lane, mode] = booked
            self.assertEqual(sorted(services), ["freight_" + mode, "fuel"])
            self.assertEqual(shipments, 1, "the freight line's shipment")
        self.assertEqual(set(got), set(expected))
        for key, booked in expected.items():
            self.assertAlmostEqual(got[key], booked)
        # A revision's surcharges too ship with their freight line.
        self.assertFalse(
            self.env["logistics.sales.report"].search_count(
                [
                    ("partner_id", "=", self.customer.id),
                    ("state", "=", "sale"),
                    ("shipment_id", "=", False),
                ]
            )
        )

    def test_invoiced_amount_matches_the_ledger(self):
        """Less the credit note, what the posted moves say."""
        moves = self.env["account.move"].union(
            *(
                play[key]
                for play in self.plays
                for key in ("invoice", "refund")
                if play.get(key)
            )
        )
        ledger = sum(moves.mapped("amount_untaxed_signed"))
        [(invoiced,)] = self._report([], ["amount_invoiced:sum"], user=self.manager)
        self.assertAlmostEqual(invoiced, ledger)
        self.assertAlmostEqual(
            invoiced, sum(line[5] for line in self._expected_lines())
        )

    def test_salespeople_see_their_own_bookings(self):
        for user in (self.alice, self.bob):
            with self.subTest(user=user.login):
                expected = sum(
                    line[4] for line in self._expected_lines() if line[3] == user
                )
                rows = self.env["logistics.sales.report"].with_user(user)
                self.env.flush_all()
                groups = rows._read_group(
                    [("partner_id", "=", self.customer.id), ("state", "=", "sale")],
                    ["user_id"],
                    ["amount_booked:sum"],
                )
                self.assertEqual([group[0] for group in groups], [user])
                self.assertAlmostEqual(groups[0][1], expected)

    def test_read_group_query_count_does_not_grow_with_bookings(self):
        Report = self.env["logistics.sales.report"].with_user(self.manager)
        groupby = ["date:month", "mode", "lane_id", "user_id", "team_id"]
        aggregates = [
            "amount_booked:sum",
            "amount_invoiced:sum",
            "booking_count:count_distinct",
        ]

        def pivot():
            self.env.flush_all()
            self.env.invalidate_all()
            return Report.formatted_read_group(
                [("partner_id", "=", self.customer.id)], groupby, aggregates
            )

        pivot()  # Warm the caches (access rules, fields) once.
        start = self.cr.sql_log_count
        small = pivot()
        queries = self.cr.sql_log_count - start
        # Ten times the bookings, for both salespeople, over both lanes.
        for index in range(30):
            mode = ("sea_fcl", "air")[index % 2]
            user = (self.alice, self.bob)[index % 3 % 2]
            sent = datetime(2026, 3, 1, 9) + timedelta(days=index % 20)
            self._play(
                {
                    "user": user,
                    "mode": mode,
                    "sent": sent,
                    "booked": sent + timedelta(days=2),
                }
            )
        self.env.flush_all()
        with self.assertQueryCount(queries):
            large = pivot()
        self.assertGreater(len(large), len(small))
        _logger.info(
            "sales report pivot: %s queries for %s and for %s groups",
            queries,
            len(small),
            len(large),
        )

    # ------------------------------------------------------------------
    # Quote conversion
    # ------------------------------------------------------------------
    def _expected_conversion(self, key):
        """{key(play): (quotes sent, conversion %, mean days to booking)}."""
        groups = defaultdict(list)
        for play in self.plays:
            groups[key(play)].append(play)
        expected = {}
        for group, plays in groups.items():
            booked = [play for play in plays if play.get("booked")]
            days = [
                (play["booked"] - play["sent"]).total_seconds() / 86400
                for play in booked
            ]
            expected[group] = (
                len(plays),
                100.0 * len(booked) / len(plays),
                sum(days) / len(days) if days else None,
            )
        return expected

    def _conversion(self, groupby):
        return {
            group: (count, rate, days)
            for group, count, rate, days in self._report(
                [groupby],
                ["quote_count:sum", "conversion_rate:avg", "days_to_booking:avg"],
                user=self.manager,
                model="logistics.quote.conversion",
            )
        }

    def _assert_conversion(self, got, expected):
        self.assertEqual(set(got), set(expected))
        for group, (count, rate, days) in expected.items():
            with self.subTest(group=group):
                self.assertEqual(got[group][0], count)
                self.assertAlmostEqual(got[group][1], rate)
                if days is None:
                    self.assertFalse(got[group][2])
                else:
                    self.assertAlmostEqual(got[group][2], days)

    def test_conversion_by_salesperson(self):
        self._assert_conversion(
            self._conversion("user_id"),
            self._expected_conversion(lambda play: play["user"]),
        )

    def test_conversion_by_month_sent(self):
        """A revised quote counts once, from its first version's sending."""
        got = self._conversion("date_sent:month")
        self._assert_conversion(
            {_month(month): figures for month, figures in got.items()},
            self._expected_conversion(lambda play: _month(play["sent"])),
        )

    def test_conversion_by_team_and_overall(self):
        self._assert_conversion(
            self._conversion("team_id"),
            self._expected_conversion(lambda play: play["user"].sale_team_id),
        )
        [(count, rate, days)] = self._report(
            [],
            ["quote_count:sum", "conversion_rate:avg", "days_to_booking:avg"],
            user=self.manager,
            model="logistics.quote.conversion",
        )
        self._assert_conversion(
            {"all": (count, rate, days)},
            self._expected_conversion(lambda play: "all"),
        )

    def test_sent_again_keeps_the_first_sent_date(self):
        with freeze_time("2026-03-02 09:00:00"):
            quote = self._quote(self.alice, "air")
            quote.action_mark_sent()
        first = quote.date_sent
        with freeze_time("2026-03-04 09:00:00"):
            quote.action_draft()
            quote.action_mark_sent()
        self.assertEqual(quote.date_sent, first)
        self.assertEqual(quote.state, "sent")
