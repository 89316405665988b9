from datetime import timedelta

from odoo import Command, fields, http
from odoo.tests import HttpCase, new_test_user


class LogisticsPortalCase(HttpCase):
    """Two customer companies, A with two portal contacts and B with one, a
    portal user of no company, and for each customer a shipment with
    events and an exception, a complaint, a sent quote and a statement of
    account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create({"name": "Alpha Trading", "is_company": True})
        cls.customer_b = Partner.create({"name": "Beta Imports", "is_company": True})
        cls.user_a = cls._portal_user("alpha1", cls.customer_a)
        cls.user_a2 = cls._portal_user("alpha2", cls.customer_a)
        cls.user_b = cls._portal_user("beta1", cls.customer_b)
        cls.user_alone = cls._portal_user("alone", None)
        cls.staff = new_test_user(
            cls.env,
            login="lcrm_portal_staff",
            groups="logistics_crm.logistics_crm_group_manager,"
            "sales_team.group_sale_salesman_all_leads",
        )
        cls.shipment_a = cls._shipment(cls.customer_a, "ALPHA-REF-1")
        cls.shipment_b = cls._shipment(cls.customer_b, "BETA-REF-1")
        cls.category = cls.env.ref("logistics_crm.logistics_complaint_category_delay")
        Complaint = cls.env["logistics.complaint"]
        cls.complaint_a = Complaint.create(cls._complaint_values(cls.customer_a))
        cls.complaint_b = Complaint.create(cls._complaint_values(cls.customer_b))
        cls.quote_a = cls._quote(cls.customer_a)
        cls.quote_b = cls._quote(cls.customer_b)
        cls.statement_a = cls._statement(cls.customer_a, cls.shipment_a)
        cls.statement_b = cls._statement(cls.customer_b, cls.shipment_b)
        cls.request_a = cls._quote_request(cls.customer_a, "Alpha Origin City")
        cls.request_b = cls._quote_request(cls.customer_b, "Beta Origin City")
        for record in (
            cls.request_a,
            cls.request_b,
            cls.statement_a,
            cls.statement_b,
            cls.shipment_a,
            cls.shipment_b,
            cls.complaint_a,
            cls.complaint_b,
            cls.quote_a,
            cls.quote_b,
        ):
            record._portal_ensure_token()

    @classmethod
    def _portal_user(cls, login, company):
        user = new_test_user(cls.env, login=login, groups="base.group_portal")
        if company:
            user.partner_id.parent_id = company
        return user

    @classmethod
    def _shipment(cls, customer, reference):
        shipment = cls.env["logistics.shipment"].create(
            {
                "partner_id": customer.id,
                "reference": reference,
                "promised_date": fields.Datetime.now() + timedelta(days=5),
            }
        )
        cls.env["logistics.shipment.event"].ingest_events(
            [
                {
                    "shipment": shipment.name,
                    "external_id": f"{reference}-{code}",
                    "code": code,
                    "event_time": fields.Datetime.now() - timedelta(hours=hours),
                    "location": f"{reference} hub",
                }
                for code, hours in (("booked", 30), ("picked_up", 20))
            ]
        )
        cls.env["logistics.shipment.exception"].create(
            {
                "shipment_id": shipment.id,
                "exception_type": "delay",
                "description": f"{reference} waits for a vessel",
            }
        )
        return shipment

    @classmethod
    def _complaint_values(cls, customer):
        return {
            "subject": f"{customer.name} pallets damaged",
            "partner_id": customer.id,
            "category_id": cls.category.id,
        }

    @classmethod
    def _quote(cls, customer):
        quote = cls.env["logistics.quote"].create(
            {
                "partner_id": customer.id,
                "validity_date": fields.Date.today() + timedelta(days=30),
            }
        )
        quote.action_mark_sent()
        return quote

    @classmethod
    def _quote_request(cls, customer, origin_city):
        return cls.env["logistics.quote.request"].create(
            {
                "partner_id": customer.id,
                "origin_country_id": cls.env.ref("base.cn").id,
                "origin_city": origin_city,
                "destination_country_id": cls.env.ref("base.de").id,
                "destination_city": "Hamburg",
                "mode": "air",
                "weight_kg": 120,
            }
        )

    @classmethod
    def _statement(cls, customer, shipment):
        """A month's statement of account charging the customer's shipment."""
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2026-01-31",
                "invoice_line_ids": [
                    Command.create({"name": shipment.name, "price_unit": 1200.0})
                ],
            }
        )
        invoice.action_post()
        shipment.invoice_id = invoice
        return cls.env["logistics.statement"].create(
            {
                "partner_id": customer.id,
                "invoice_id": invoice.id,
                "date_from": "2026-01-01",
                "date_to": "2026-01-31",
            }
        )

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, url, data, csrf=True, files=None):
        if csrf:
            data = {**data, "csrf_token": http.Request.csrf_token(self)}
        return self.url_open(url, data=data, files=files)

    @classmethod
    def _clear_rate_cards(cls):
        """The prices of a test come from its own cards, not the demo's."""
        cls.env["logistics.rate.card"].with_context(active_test=False).search(
            []
        ).unlink()
