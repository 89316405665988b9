from datetime import date

import psycopg2

from odoo import Command, fields
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import LogisticsCrmCase

FREIGHT_RATE = 1000.0
FUEL_RATE = 50.0
TEUS = 4.0


@tagged("post_install", "-at_install")
class TestCommissions(LogisticsCrmCase):
    """Commission plans (OCA) on the bookings and invoices of freight quotes:
    the booking's salesperson earns on every line, rates by transport mode
    and customer tier override the plan's, commissions are due once the
    invoice is paid and settled per agent and month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["commission"].create(
            {
                "name": "Freight sales 3%",
                "commission_type": "fixed",
                "fix_qty": 3.0,
                "amount_base_type": "gross_amount",
                "settlement_type": "sale_invoice",
                "invoice_state": "paid",
            }
        )
        cls.salesperson = new_test_user(
            cls.env,
            login="lcrm_salesperson",
            groups="logistics_crm.logistics_crm_group_user",
        )
        cls.salesperson.partner_id.write(
            {
                "agent": True,
                "agent_type": "agent",
                "commission_id": cls.plan.id,
                "settlement": "monthly",
            }
        )
        cls.agent = cls.salesperson.partner_id
        cls.air_lane = cls.lane.copy({"mode": "air", "destination_city": "Amsterdam"})
        cls.tiers = {
            code: cls.env.ref(f"logistics_crm.service_tier_{code}")
            for code in ("strategic", "regular")
        }

    # ------------------------------------------------------------------
    # Helpers: the quote-to-cash flow of test_quote_to_cash
    # ------------------------------------------------------------------
    def _booking(self, lane=None, confirm=True):
        """A booking of TEUS units at FREIGHT_RATE on ``lane`` with a fuel
        surcharge at FUEL_RATE, sold by the salesperson."""
        lane = lane or self.lane
        quote = self.env["logistics.quote"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesperson.id,
                "line_ids": [
                    Command.create(
                        {
                            "lane_id": lane.id,
                            "rate": FREIGHT_RATE,
                            "rate_basis": "teu",
                            "quantity": TEUS,
                        }
                    )
                ],
            }
        )
        self.env["logistics.quote.line"].create(
            {
                "quote_id": quote.id,
                "line_type": "surcharge",
                "surcharge_type": "fuel",
                "parent_id": quote.line_ids[:1].id,
                "rate": FUEL_RATE,
                "rate_basis": "teu",
            }
        )
        quote.action_mark_sent()
        quote.action_accept("Li Wei")
        if confirm:
            quote.booking_id.action_confirm()
        return quote.booking_id

    def _invoiced(self, day, lane=None, cost=None, order=None):
        """A booking (``order`` or a new one) delivered on ``day`` and
        invoiced on delivery."""
        order = order or self._booking(lane)
        shipment = order.logistics_shipment_ids
        if cost is not None:
            shipment.cost = cost
        self._ingest(
            [
                {
                    "shipment": shipment.name,
                    "code": code,
                    "event_time": f"{day}T{hour}:00:00Z",
                    "external_id": f"{code}-{shipment.name}",
                }
                for code, hour in (("picked_up", "02"), ("delivered", "10"))
            ]
        )
        invoice = self.env["logistics.invoicing"]._cron_invoice_deliveries()
        self.assertEqual(invoice, shipment.invoice_id)
        return invoice

    def _pay(self, invoices):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({"payment_date": fields.Date.today()})._create_payments()
        self.assertTrue(
            all(inv.payment_state in ("paid", "in_payment") for inv in invoices)
        )

    def _settle(self, day):
        return self.env["commission.make.settle"]._cron_logistics_settle_commissions(
            date_to=day
        )

    def _agent_lines(self, lines, agent=None):
        return lines.agent_ids.filtered(
            lambda agent_line: agent_line.agent_id == (agent or self.agent)
        )

    # ------------------------------------------------------------------
    # The plan on invoiced revenue
    # ------------------------------------------------------------------
    def test_salesperson_earns_the_plan_on_invoiced_revenue(self):
        order = self._booking()
        for line in order.order_line:
            agent_line = self._agent_lines(line)
            self.assertEqual(len(agent_line), 1, line.name)
            self.assertEqual(agent_line.commission_id, self.plan)
            self.assertAlmostEqual(
                agent_line.amount, line.price_subtotal * self.plan.fix_qty / 100
            )
        invoice = self._invoiced("2026-01-12")
        lines = invoice.invoice_line_ids
        self.assertEqual(len(lines), 2, "the freight line and its surcharge")
        for line in lines:
            agent_line = self._agent_lines(line)
            self.assertEqual(len(agent_line), 1, "sale lines' agents follow")
            self.assertAlmostEqual(
                agent_line.amount, line.price_subtotal * self.plan.fix_qty / 100
            )
        revenue = TEUS * (FREIGHT_RATE + FUEL_RATE)
        self.assertAlmostEqual(invoice.amount_untaxed, revenue)
        self.assertAlmostEqual(invoice.commission_total, revenue * 3.0 / 100)

    def test_a_booking_line_agents_plan_follows_to_the_invoice(self):
        """The invoice lines get the booking lines' agents as they are, not
        recomputed from the customer: a plan changed on a booking line holds."""
        special = self.plan.copy({"name": "Special 7%", "fix_qty": 7.0})
        order = self._booking()
        order.order_line.agent_ids.commission_id = special
        invoice = self._invoiced("2026-01-12", order=order)
        self.assertEqual(invoice.invoice_line_ids.agent_ids.commission_id, special)
        self.assertAlmostEqual(
            invoice.commission_total, invoice.amount_untaxed * special.fix_qty / 100
        )

    def test_regenerating_agents_keeps_the_salesperson(self):
        """OCA rebuilds an invoice's agents from the customer; the
        invoice's salesperson stays, beside the customer's external agent."""
        external = self.env["res.partner"].create(
            {"name": "Ningbo Agent", "agent": True, "commission_id": self.plan.id}
        )
        invoice = self._invoiced("2026-01-12")
        self.customer.commission_agent_ids = external
        invoice.recompute_lines_agents()
        for line in invoice.invoice_line_ids:
            self.assertEqual(line.agent_ids.agent_id, self.agent | external)

    def test_a_salesperson_without_plan_earns_nothing(self):
        self.agent.agent = False
        order = self._booking()
        self.assertFalse(order.order_line.agent_ids)

    # ------------------------------------------------------------------
    # Rules by transport mode and customer tier
    # ------------------------------------------------------------------
    def test_mode_and_tier_rules_override_the_plan(self):
        rates = {"air": 5.0, "strategic": 4.0, "air_strategic": 6.0}
        self.env["logistics.commission.rule"].create(
            [
                {"commission_id": self.plan.id, "mode": "air", "percent": 5.0},
                {
                    "commission_id": self.plan.id,
                    "tier_id": self.tiers["strategic"].id,
                    "percent": 4.0,
                },
                {
                    "commission_id": self.plan.id,
                    "mode": "air",
                    "tier_id": self.tiers["strategic"].id,
                    "percent": 6.0,
                },
            ]
        )
        cases = [
            (self.lane, "regular", self.plan.fix_qty),
            (self.air_lane, "regular", rates["air"]),
            (self.lane, "strategic", rates["strategic"]),
            (self.air_lane, "strategic", rates["air_strategic"]),
        ]
        for lane, tier, percent in cases:
            with self.subTest(mode=lane.mode, tier=tier):
                self.customer.sudo().tier_id = self.tiers[tier]
                # Draft booking: the mode comes from the quote lines; the
                # invoice: from the shipment, surcharge included.
                draft = self._booking(lane, confirm=False)
                for line in draft.order_line:
                    self.assertAlmostEqual(
                        self._agent_lines(line).amount,
                        line.price_subtotal * percent / 100,
                    )
                invoice = self._invoiced("2026-01-12", lane)
                self.assertAlmostEqual(
                    invoice.commission_total, invoice.amount_untaxed * percent / 100
                )

    def test_rules_need_a_criterion_and_a_sane_percentage(self):
        Rule = self.env["logistics.commission.rule"]
        for values in (
            {"percent": 5.0},
            {"mode": "air", "percent": 120.0},
            {"mode": "air", "percent": -1.0},
        ):
            with (
                self.subTest(values=values),
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.IntegrityError),
                self.env.cr.savepoint(),
            ):
                Rule.create({"commission_id": self.plan.id, **values})

    # ------------------------------------------------------------------
    # Margin
    # ------------------------------------------------------------------
    def test_margin_plan_takes_the_shipment_cost(self):
        self.plan.amount_base_type = "net_amount"
        cost = 2500.0
        invoice = self._invoiced("2026-01-12", cost=cost)
        revenue = invoice.amount_untaxed
        currency = invoice.currency_id
        lines = invoice.invoice_line_ids
        # Each line bears the cost in proportion to its revenue, and its
        # commission is rounded to the currency.
        for line in lines:
            share = cost * line.price_subtotal / revenue
            self.assertEqual(
                self._agent_lines(line).amount,
                currency.round((line.price_subtotal - share) * self.plan.fix_qty / 100),
            )
        self.assertAlmostEqual(
            invoice.commission_total,
            (revenue - cost) * self.plan.fix_qty / 100,
            delta=currency.rounding * len(lines),
        )

    def test_margin_below_cost_earns_nothing(self):
        self.plan.amount_base_type = "net_amount"
        invoice = self._invoiced("2026-01-12", cost=TEUS * FREIGHT_RATE * 2)
        self.assertEqual(invoice.commission_total, 0.0)

    # ------------------------------------------------------------------
    # Paid invoices, monthly settlements
    # ------------------------------------------------------------------
    def test_commission_is_settled_once_the_invoice_is_paid(self):
        invoice = self._invoiced("2026-01-12")
        self.assertFalse(self._settle(date(2026, 2, 1)), "unpaid: nothing due")
        self._pay(invoice)
        settlement = self._settle(date(2026, 2, 1))
        self.assertEqual(len(settlement), 1)
        self.assertEqual(settlement.agent_id, self.agent)
        self.assertAlmostEqual(settlement.total, invoice.commission_total)
        self.assertTrue(
            all(self._agent_lines(invoice.invoice_line_ids).mapped("settled"))
        )
        self.assertFalse(self._settle(date(2026, 2, 1)), "settled once")

    def test_monthly_settlement_per_agent_and_month(self):
        external_plan = self.plan.copy(
            {"name": "Agent 2%", "fix_qty": 2.0, "invoice_state": "open"}
        )
        external = self.env["res.partner"].create(
            {
                "name": "Ningbo Agent",
                "agent": True,
                "commission_id": external_plan.id,
                "settlement": "monthly",
            }
        )
        self.customer.commission_agent_ids = external
        january = self._invoiced("2026-01-12") | self._invoiced("2026-01-28")
        february = self._invoiced("2026-02-03")
        march = self._invoiced("2026-03-02")
        self._pay(january | february | march)
        settlements = self._settle(date(2026, 3, 15))
        self.assertEqual(len(settlements), 4, "two agents x two closed months")
        for agent, percent in ((self.agent, 3.0), (external, 2.0)):
            for invoices, first, last in (
                (january, date(2026, 1, 1), date(2026, 1, 31)),
                (february, date(2026, 2, 1), date(2026, 2, 28)),
            ):
                settlement = settlements.filtered(
                    lambda s, agent=agent, first=first: s.agent_id == agent
                    and s.date_from == first
                )
                self.assertEqual(len(settlement), 1, (agent.name, first))
                self.assertEqual(settlement.date_to, last)
                self.assertAlmostEqual(
                    settlement.total,
                    sum(invoices.mapped("amount_untaxed")) * percent / 100,
                )
        # March is not closed yet: settled by the next run.
        later = self._settle(date(2026, 4, 1))
        self.assertEqual(later.agent_id, self.agent | external)
        self.assertEqual(set(later.mapped("date_from")), {date(2026, 3, 1)})

    def test_the_monthly_job_settles(self):
        cron = self.env.ref("logistics_crm.ir_cron_logistics_settle_commissions")
        self.assertEqual(cron.interval_type, "months")
        invoice = self._invoiced("2026-01-12")
        self._pay(invoice)
        self._run_cron("logistics_crm.ir_cron_logistics_settle_commissions")
        settlement = self.env["commission.settlement"].search(
            [("agent_id", "=", self.agent.id)]
        )
        self.assertEqual(len(settlement), 1)
        self.assertAlmostEqual(settlement.total, invoice.commission_total)

    # ------------------------------------------------------------------
    # Report
    # ------------------------------------------------------------------
    def test_report_by_salesperson_and_month(self):
        january = self._invoiced("2026-01-12")
        february = self._invoiced("2026-02-03")
        self._pay(january)
        Report = self.env["invoice.commission.analysis.report"].with_user(self.manager)
        Report.invalidate_model()
        groups = Report._read_group(
            [("agent_id", "=", self.agent.id)],
            ["date_invoice:month", "payment_state"],
            ["amount:sum"],
        )
        by_month = {(month.month, state): amount for month, state, amount in groups}
        self.assertEqual(
            set(by_month),
            {(1, january.payment_state), (2, "not_paid")},
        )
        self.assertAlmostEqual(
            by_month[(1, january.payment_state)], january.commission_total
        )
        self.assertAlmostEqual(by_month[(2, "not_paid")], february.commission_total)
