"""Who may read, write, create and unlink what: the expected matrix is data
(access_matrix.csv); this test builds a record of customer A and one of
customer B for each model and checks every cell with each actor's rights."""

import csv
from datetime import date, timedelta
from pathlib import Path

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

MATRIX = Path(__file__).with_name("access_matrix.csv")
OPERATIONS = ("read", "write", "create", "unlink")
CONFIDENTIAL_PARTNER_FIELDS = (
    "credit_limit",
    "logistics_overdue_amount",
    "logistics_credit_rating",
)
STAFF_ONLY_PARTNER_FIELDS = (
    "tier_score",
    "tier_override_reason",
    "tier_history_ids",
    "churn_alert",
    "tier_breakdown",
    "churn_score",
    "churn_breakdown",
    "logistics_contract_terms",
    "logistics_shipments_12m",
    "logistics_revenue_12m",
    "logistics_service_line_ids",
    "logistics_peer_service_line_ids",
    "logistics_service_breadth",
)


def read_matrix():
    with MATRIX.open() as lines:
        rows = csv.DictReader(line for line in lines if not line.startswith("#"))
        return list(rows)


@tagged("post_install", "-at_install")
class TestAccessMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create({"name": "Matrix A", "is_company": True})
        cls.customer_b = Partner.create({"name": "Matrix B", "is_company": True})
        cls.actors = {
            "portal": new_test_user(
                cls.env, login="matrix_portal", groups="base.group_portal"
            ),
            "user": new_test_user(
                cls.env,
                login="matrix_user",
                groups="logistics_crm.logistics_crm_group_user",
            ),
            "manager": new_test_user(
                cls.env,
                login="matrix_manager",
                groups="logistics_crm.logistics_crm_group_manager",
            ),
        }
        cls.actors["portal"].partner_id.parent_id = cls.customer_a
        cls.contact_b = Partner.create(
            {"name": "B contact", "parent_id": cls.customer_b.id}
        )
        cls.records = {
            "own": cls._records_of(cls.customer_a, cls.actors["portal"].partner_id),
            "other": cls._records_of(cls.customer_b, cls.contact_b),
        }

    @classmethod
    def _records_of(cls, customer, contact):
        env = cls.env
        lane = env["logistics.lane"].create(
            {
                "partner_id": customer.id,
                "origin_city": "Ningbo",
                "origin_country_id": env.ref("base.cn").id,
                "destination_city": "Hamburg",
                "destination_country_id": env.ref("base.de").id,
                "mode": "sea_fcl",
            }
        )
        shipment = env["logistics.shipment"].create(
            {"partner_id": customer.id, "lane_id": lane.id}
        )
        env["logistics.shipment.event"].ingest_events(
            [
                {
                    "shipment": shipment.name,
                    "external_id": f"matrix-{shipment.id}",
                    "code": "booked",
                    "event_time": fields.Datetime.now(),
                }
            ]
        )
        complaint = env["logistics.complaint"].create(
            {
                "subject": "Matrix",
                "partner_id": customer.id,
                "category_id": env.ref(
                    "logistics_crm.logistics_complaint_category_delay"
                ).id,
            }
        )
        quote = env["logistics.quote"].create(
            {
                "partner_id": customer.id,
                "validity_date": date.today() + timedelta(days=10),
            }
        )
        quote_line = env["logistics.quote.line"].create(
            {"quote_id": quote.id, "lane_id": lane.id, "rate": 100}
        )
        quote.action_mark_sent()
        # An accepted quote: its draft booking's lines are the customer's rows
        # of the bookings analysis.
        booked = quote.copy()
        booked.action_mark_sent()
        booked.action_accept("Matrix")
        env.flush_all()
        subscription = env["logistics.notification.subscription"].search(
            [("partner_id", "=", contact.id)], limit=1
        ) or env["logistics.notification.subscription"].create(
            {"partner_id": contact.id, "event_code": "delivered"}
        )
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_line_ids": [
                    Command.create({"name": "Freight", "price_unit": 10})
                ],
            }
        )
        statement = env["logistics.statement"].create(
            {
                "partner_id": customer.id,
                "invoice_id": invoice.id,
                "date_from": "2026-01-01",
                "date_to": "2026-01-31",
            }
        )
        # A commission plan's rule is no customer's: the same for A and B.
        plan = env["commission"].create({"name": f"Matrix {customer.name}"})
        commission_rule = env["logistics.commission.rule"].create(
            {"commission_id": plan.id, "mode": "air", "percent": 5.0}
        )
        card = env["logistics.rate.card"].create(
            {
                "name": f"Matrix contract {customer.name}",
                "mode": "air",
                "partner_id": customer.id,
                "line_ids": [
                    Command.create(
                        {
                            "origin_country_id": env.ref("base.cn").id,
                            "destination_country_id": env.ref("base.de").id,
                            "rate": 3.0,
                        }
                    )
                ],
            }
        )
        quote_request = env["logistics.quote.request"].create(
            {
                "partner_id": customer.id,
                "contact_id": contact.id,
                "origin_country_id": env.ref("base.cn").id,
                "origin_city": "Ningbo",
                "destination_country_id": env.ref("base.de").id,
                "destination_city": "Hamburg",
                "weight_kg": 100,
            }
        )
        call = env["crm.phonecall"].create(
            {
                "name": f"Matrix call {customer.name}",
                "partner_id": contact.id,
                "direction": "in",
                "state": "done",
                "duration": 4.0,
            }
        )
        campaign = env["utm.campaign"].create({"title": f"Campaign {customer.name}"})
        workday = env["logistics.calendar.workday"].create(
            {
                "calendar_id": env["resource.calendar"]
                .create({"name": f"Matrix week {customer.name}"})
                .id,
                "date": "2031-01-04",
            }
        )
        answer = env["survey.user_input"].create(
            {
                "survey_id": env.ref("logistics_crm.survey_relationship").id,
                "partner_id": contact.id,
            }
        )
        answer._save_lines(env.ref("logistics_crm.survey_relationship_question_nps"), 9)
        answer._mark_done()
        theme = env["logistics.feedback.theme"].create(
            {"name": f"Matrix theme {customer.name}", "code": f"matrix_{customer.id}"}
        )
        answer.logistics_theme_ids = theme
        opportunity = env["crm.lead"].create(
            {
                "name": f"Matrix opportunity {customer.name}",
                "type": "opportunity",
                "partner_id": customer.id,
                "user_id": False,
            }
        )
        env.flush_all()
        return {
            "logistics.call.report": env["logistics.call.report"].browse(call.id),
            "logistics.campaign.report": env["logistics.campaign.report"].browse(
                campaign.id
            ),
            # An opportunity without lanes is one forecast row, of an even id.
            "logistics.sales.forecast": env["logistics.sales.forecast"].browse(
                opportunity.id * 2
            ),
            "logistics.sales.outcome": env["logistics.sales.outcome"].browse(
                opportunity.id
            ),
            "logistics.calendar.workday": workday,
            "logistics.survey.report": env["logistics.survey.report"].browse(answer.id),
            "logistics.feedback.theme": theme,
            "logistics.feedback.theme.report": env[
                "logistics.feedback.theme.report"
            ].search([("theme_id", "=", theme.id)]),
            "logistics.rate.card": card,
            "logistics.rate.card.line": card.line_ids,
            "logistics.quote.request": quote_request,
            "logistics.quote.response.report": env[
                "logistics.quote.response.report"
            ].browse(quote_request.id),
            # A public row of the customer's timeline: its complaint opened.
            "logistics.interaction": env["logistics.interaction"].search(
                [("customer_id", "=", customer.id), ("channel", "=", "complaint")],
                limit=1,
            ),
            "logistics.commission.rule": commission_rule,
            "logistics.statement": statement,
            "logistics.lane": lane,
            "logistics.shipment": shipment,
            "logistics.shipment.event": shipment.event_ids[:1],
            "logistics.shipment.exception": env["logistics.shipment.exception"].create(
                {"shipment_id": shipment.id, "exception_type": "delay"}
            ),
            "logistics.complaint": complaint,
            "logistics.complaint.sla": complaint.sla_ids[:1],
            "logistics.quote": quote,
            "logistics.quote.line": quote_line,
            "logistics.quote.conversion": env["logistics.quote.conversion"].browse(
                quote.id
            ),
            "logistics.sales.report": env["logistics.sales.report"].search(
                [("order_id", "=", booked.booking_id.id)], limit=1
            ),
            "logistics.kpi.snapshot": env["logistics.kpi.snapshot"].create(
                {"partner_id": customer.id, "month": "2026-01-01"}
            ),
            "logistics.notification.subscription": subscription,
            "logistics.notification.log": env["logistics.notification.log"].create(
                {
                    "shipment_id": shipment.id,
                    "partner_id": contact.id,
                    "event_code": "exception_resolved",
                    "event_date": fields.Datetime.now(),
                    "channel": "email",
                    "mode": "immediate",
                }
            ),
            "logistics.tier.history": env["logistics.tier.history"].create(
                {
                    "partner_id": customer.id,
                    "new_tier_id": env.ref("logistics_crm.service_tier_key").id,
                }
            ),
            "logistics.customer.score": env["logistics.customer.score"].create(
                {"partner_id": customer.id}
            ),
            "logistics.tier.rule": env["logistics.tier.rule"].search([], limit=1),
            "logistics.service.tier": env.ref("logistics_crm.service_tier_key"),
            "logistics.service.line": env.ref("logistics_crm.service_line_air"),
            "logistics.segment": env["logistics.segment"].create(
                {
                    "name": f"Segment of {customer.name}",
                    "country_ids": customer.country_id.ids,
                }
            ),
            "logistics.complaint.stage": env.ref(
                "logistics_crm.logistics_complaint_stage_new"
            ),
        }

    def _allowed(self, record, user, operation):
        if operation == "create":
            return record.with_user(user).browse().has_access("create")
        try:
            record.with_user(user).check_access(operation)
        except AccessError:
            return False
        return True

    def test_matrix(self):
        rows = read_matrix()
        self.assertGreater(len(rows), 30)
        mismatches = []
        for row in rows:
            user = self.actors[row["actor"]]
            for scope in ("own", "other"):
                record = self.records[scope][row["model"]]
                self.assertTrue(record, f"no {scope} record of {row['model']}")
                for operation, expected in zip(OPERATIONS, row[scope], strict=True):
                    allowed = self._allowed(record, user, operation)
                    if allowed != (expected != "-"):
                        mismatches.append(
                            f"{row['model']} {row['actor']} {scope} {operation}: "
                            f"{'allowed' if allowed else 'refused'}, "
                            f"expected {'allowed' if expected != '-' else 'refused'}"
                        )
        self.assertFalse(mismatches, "\n" + "\n".join(mismatches))

    def test_every_model_is_in_the_matrix(self):
        models = {
            model.model
            for model in self.env["ir.model"].search(
                [("model", "=like", "logistics.%"), ("transient", "=", False)]
            )
            if not self.env[model.model]._abstract and self.env[model.model]._auto
        }
        listed = {row["model"] for row in read_matrix()}
        unlisted = (
            models
            - listed
            - {
                # Configuration lists every internal user reads and managers edit.
                "logistics.cargo.category",
                "logistics.communication.channel",
                "logistics.complaint.category",
                "logistics.complaint.root.cause",
                "logistics.complaint.pause",
                "logistics.decision.criterion",
                "logistics.kpi.export.job",
            }
        )
        self.assertFalse(unlisted, f"add these models to {MATRIX.name}")

    def test_confidential_partner_fields(self):
        user = self.actors["user"]
        partner = self.customer_b.with_user(user)
        for field_name in CONFIDENTIAL_PARTNER_FIELDS:
            with self.assertRaises(AccessError, msg=field_name):
                partner.read([field_name])
        self.assertTrue(partner.read(["tier_score"]))
        self.customer_b.with_user(self.actors["manager"]).read(
            list(CONFIDENTIAL_PARTNER_FIELDS)
        )

    def test_portal_users_cannot_read_scores_of_customers(self):
        portal = self.actors["portal"]
        for partner in (self.customer_a, self.customer_b):
            for field_name in STAFF_ONLY_PARTNER_FIELDS:
                with self.assertRaises(AccessError, msg=field_name):
                    partner.with_user(portal).read([field_name])
