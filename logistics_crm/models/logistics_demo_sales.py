from datetime import timedelta

from odoo import api, fields, models


class LogisticsDemo(models.AbstractModel):
    """The sales part of the demo story: quote requests through the portal's
    code, and opportunities won and lost weeks apart, so the win rate and the
    sales cycle show real figures."""

    _inherit = "logistics.demo"

    @api.model
    def _demo_play_quote_requests(self):
        """Quote requests in every state, through the code the portal runs:
        the portal customer's priced at once and one to price, a quoted
        one, one booked from its accepted quote, one cancelled, and a
        prospect's from the public page."""
        portal_customer = self._ref("res_partner_customer_demo")
        contact = portal_customer.child_ids[:1] or portal_customer
        ecommerce = self._ref("customer_shenzhen_ecom")
        today = fields.Date.context_today(self)
        cn, de, nl, pl = (
            self.env.ref(f"base.{code}") for code in ("cn", "de", "nl", "pl")
        )

        def ask(customer, origin, destination, mode, **cargo):
            return {
                "partner_id": customer.id,
                "contact_id": (customer.child_ids[:1] or customer).id,
                "origin_country_id": origin[0].id,
                "origin_city": origin[1],
                "destination_country_id": destination[0].id,
                "destination_city": destination[1],
                "mode": mode,
                "ready_date": today + timedelta(days=5),
                **cargo,
            }

        prospect = self.env["res.partner"].create(
            {"name": "Nordic Outdoor Gear AB", "is_company": True}
        )
        Request = self.env["logistics.quote.request"]
        priced, to_price, quoted, booked, cancelled, _prospect = Request.create(
            [
                ask(
                    portal_customer,
                    (cn, "Shanghai"),
                    (de, "Frankfurt"),
                    "air",
                    destination_location_code="DEFRA",
                    weight_kg=380,
                    volume_m3=1.9,
                    declared_value=42000,
                    service_insurance=True,
                    service_door_delivery=True,
                    cargo_description="Precision instruments, 6 cartons",
                ),
                ask(
                    portal_customer,
                    (cn, "Chengdu"),
                    (pl, "Lodz"),
                    "rail",
                    container_type="40hc",
                    container_count=2,
                ),
                ask(
                    ecommerce,
                    (cn, "Shenzhen"),
                    (nl, "Amsterdam"),
                    "air",
                    weight_kg=620,
                    service_customs=True,
                    contact_id=contact.id,
                ),
                ask(
                    portal_customer,
                    (cn, "Shanghai"),
                    (nl, "Rotterdam"),
                    "sea_fcl",
                    origin_location_code="CNSHA",
                    container_type="40hc",
                    container_count=1,
                ),
                ask(
                    ecommerce, (cn, "Shenzhen"), (de, "Berlin"), "suggest", weight_kg=90
                ),
                ask(
                    prospect,
                    (cn, "Shenzhen"),
                    (de, "Hamburg"),
                    "suggest",
                    weight_kg=150,
                    volume_m3=0.8,
                    is_prospect=True,
                ),
            ]
        )
        (quoted | booked).quote_id.action_mark_sent()
        booked.quote_id.action_accept(contact.name)
        booked.quote_id.booking_id.action_confirm()
        cancelled.action_cancel()
        return priced | to_price

    @api.model
    def _demo_close_leads(self, outcomes):
        """``outcomes``: (lead xmlid, created days ago, closed days ago, won).
        The leads are won or lost through CRM's own actions, then dated back
        (the ORM dates both with the transaction's clock)."""
        now = fields.Datetime.now()
        Lead = self.env["crm.lead"]
        leads = Lead
        for name, created, closed, won in outcomes:
            lead = self._ref(name)
            if won and lead.won_status != "won":
                lead.action_set_won()
            elif not won and lead.won_status != "lost":
                lead.action_set_lost()
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE crm_lead SET create_date = %s, date_closed = %s WHERE id = %s",
                (now - timedelta(days=created), now - timedelta(days=closed), lead.id),
            )
            leads |= lead
        leads.invalidate_recordset(["create_date", "date_closed"])
        self.env.add_to_compute(Lead._fields["day_close"], leads)
        leads.flush_recordset()
