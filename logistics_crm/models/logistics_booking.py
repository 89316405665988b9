from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .bulk_write import write_columns
from .logistics_selections import FREIGHT_SERVICE_PREFIX

# The shipment figures a freight line's quantity gives, by its rate basis.
QUANTITY_FIELD_BY_BASIS = {"kg": "weight_kg", "m3": "volume_m3"}


class LogisticsBooking(models.AbstractModel):
    """From an accepted freight quote to a booking (a ``sale.order``) and from
    a confirmed booking to its shipments. Kept apart from the quote and the
    order so that neither model carries the other's rules."""

    _name = "logistics.booking"
    _description = "Freight Booking Engine"

    # ------------------------------------------------------------------
    # Quote -> booking
    # ------------------------------------------------------------------
    @api.model
    def _book_quotes(self, quotes):
        """One draft booking per quote, with a line per freight line and per
        surcharge; returns the bookings, in the quotes' order."""
        products = self.env["product.template"]._logistics_service_products()
        orders = self.env["sale.order"].create(
            [self._booking_values(quote, products) for quote in quotes]
        )
        for quote, order in zip(quotes, orders, strict=True):
            quote.with_context(logistics_quote_unlock=True).booking_id = order
        return orders

    @api.model
    def _booking_values(self, quote, products):
        currency = quote.currency_id
        pricelist = self._pricelist_in(currency, quote.company_id)
        # Without a pricelist in the quote's currency the booking is in the
        # company's currency, its prices converted at the quote's date.
        rate = 1.0
        if not pricelist and currency != quote.company_id.currency_id:
            rate = currency._get_conversion_rate(
                currency,
                quote.company_id.currency_id,
                quote.company_id,
                quote.date_quote,
            )
        values = {
            "partner_id": quote.partner_id.id,
            "company_id": quote.company_id.id,
            "user_id": quote.user_id.id,
            "team_id": quote.team_id.id,
            "opportunity_id": quote.lead_id.id,
            # The booking is the campaign's revenue: it keeps the UTM of the
            # opportunity, as a quotation made in CRM does (sale_crm).
            **{
                field: quote.lead_id[field].id
                for _param, field, _cookie in self.env["utm.mixin"].tracking_fields()
            },
            "origin": quote.name,
            "logistics_quote_id": quote.id,
            "client_order_ref": quote.name,
            # The customer accepted the quote; confirming is the company's.
            "require_signature": False,
            "require_payment": False,
            "order_line": [
                Command.create(self._booking_line_values(line, products, rate))
                for line in quote.line_ids
            ],
        }
        if pricelist:
            values["pricelist_id"] = pricelist.id
        return values

    @api.model
    def _booking_line_values(self, line, products, rate):
        service = (
            FREIGHT_SERVICE_PREFIX + (line.mode or "multimodal")
            if line.line_type == "freight"
            else line.surcharge_type or "other"
        )
        product = products.get(service)
        if not product:
            raise UserError(
                self.env._(
                    "No product books the service %(service)s: restore the "
                    "logistics service products (Sales > Products).",
                    service=service,
                )
            )
        quantity = line.quantity or 1.0
        # The minimum charge wins over quantity x rate, as in the estimate.
        price = line.estimate / quantity if line.quantity else line.estimate
        return {
            "product_id": product.id,
            "name": self._booking_line_name(line, product),
            "product_uom_qty": quantity,
            "price_unit": (price or line.rate) * rate,
            "logistics_quote_line_id": line.id,
            "sequence": line.sequence,
        }

    @api.model
    def _booking_line_name(self, line, product):
        if line.line_type == "freight" and line.lane_id:
            return f"{product.name}: {line.lane_id.display_name}"
        if line.parent_id.lane_id:
            return f"{product.name}: {line.parent_id.lane_id.display_name}"
        return product.name

    @api.model
    def _pricelist_in(self, currency, company):
        return self.env["product.pricelist"].search(
            [
                ("currency_id", "=", currency.id),
                ("company_id", "in", (False, company.id)),
            ],
            limit=1,
        )

    # ------------------------------------------------------------------
    # Booking -> shipments
    # ------------------------------------------------------------------
    @api.model
    def _create_shipments(self, orders):
        """The shipments of confirmed bookings: one per freight line, booked,
        carrying that line's lane, mode, quantity and revenue (the freight
        line and its surcharges). The 'booked' events are created in one
        batch, and with them the order-confirmation notifications."""
        orders = orders.filtered(lambda order: not order.logistics_shipment_ids)
        lines = orders.order_line.filtered("logistics_quote_line_id")
        freight = lines.filtered(
            lambda line: line.logistics_quote_line_id.line_type == "freight"
        )
        if not freight:
            return self.env["logistics.shipment"]
        surcharges = defaultdict(list)
        for line in lines - freight:
            surcharges[line.logistics_quote_line_id.parent_id].append(line)
        vals_list, line_groups = [], []
        for line in freight:
            group = [line, *surcharges.get(line.logistics_quote_line_id, [])]
            line_groups.append(group)
            vals_list.append(self._shipment_values(line, group))
        shipments = (
            self.env["logistics.shipment"]
            .with_context(mail_create_nolog=True)
            .create(vals_list)
        )
        self._link_order_lines(shipments, line_groups)
        shipments.action_book()
        return shipments

    @api.model
    def _shipment_values(self, line, group):
        order = line.order_id
        quote_line = line.logistics_quote_line_id
        values = {
            "partner_id": order.partner_id.id,
            "company_id": order.company_id.id,
            "lane_id": quote_line.lane_id.id,
            "mode": quote_line.mode,
            "reference": order.client_order_ref or order.name,
            "sale_order_id": order.id,
            "revenue": sum(
                order.currency_id._convert(
                    member.price_subtotal,
                    order.company_id.currency_id,
                    order.company_id,
                    order.date_order,
                )
                for member in group
            ),
        }
        quantity_field = QUANTITY_FIELD_BY_BASIS.get(quote_line.rate_basis)
        if quantity_field:
            values[quantity_field] = line.product_uom_qty
        return values

    @api.model
    def _link_order_lines(self, shipments, line_groups):
        """Each order line to its shipment, in one UPDATE whatever the number
        of lines."""
        write_columns(
            self.env["sale.order.line"],
            {"logistics_shipment_id": "int"},
            [
                (member.id, shipment.id)
                for shipment, group in zip(shipments, line_groups, strict=True)
                for member in group
            ],
        )
        shipments.invalidate_recordset(["sale_line_ids"])

    # ------------------------------------------------------------------
    # Online booking on a contract rate card
    # ------------------------------------------------------------------
    @api.model
    def _book_on_contract(self, cargo, contact, details, ip_address=False):
        """A portal customer's booking at its contract rates: priced by the
        pricing engine (never by the browser), booked through the quote the
        company would have sent, confirmed with its order confirmation, and
        its shipment carrying the pickup and consignee ``details``. Refused
        with the reason outside the contract's validity, on a lane it does
        not cover, or over the credit limit."""
        customer = contact.commercial_partner_id
        option = self.env["logistics.pricing"]._best_price(
            cargo, customer, self.env.company
        )
        if not option or not option.is_contract:
            raise UserError(self._contract_refusal(cargo, customer))
        lane = self._customer_lane(customer, cargo, option.mode)
        quote = self.env["logistics.quote"].create(
            {
                "partner_id": customer.id,
                "user_id": customer.user_id.id or customer.account_manager_id.id,
                "currency_id": option.currency.id,
            }
        )
        self.env["logistics.pricing"]._add_quote_lines(quote, option, lane)
        quote.action_mark_sent()
        # Refused over the credit limit: the portal's self-service answer.
        quote.action_accept(contact.name, ip_address, self_service=True)
        return self._book_accepted_quote(quote, details)

    @api.model
    def _book_accepted_quote(self, quote, details):
        """The customer books the shipments of its accepted quote: the
        booking is confirmed with its order confirmation, its shipments carry
        the pickup and consignee ``details``."""
        booking = quote.booking_id
        if quote.state != "accepted" or booking.state not in ("draft", "sent"):
            raise UserError(
                self.env._("This quote has no booking awaiting your details.")
            )
        self._check_self_service_credit(booking)
        booking.with_context(send_email=True).action_confirm()
        booking.logistics_shipment_ids.write(details)
        return booking

    @api.model
    def _check_self_service_credit(self, booking):
        """A customer booking by itself is refused over its credit limit,
        where staff would decide."""
        if booking.sudo().partner_credit_warning:
            raise UserError(
                self.env._(
                    "This booking would take your account over its credit "
                    "limit. Please settle your open invoices or contact your "
                    "account manager to book it."
                )
            )

    @api.model
    def _contract_refusal(self, cargo, customer):
        contracts = self.env["logistics.rate.card"].search(
            [("partner_id", "=", customer.id), ("mode", "=", cargo.mode)]
        )
        day = cargo.day or fields.Date.context_today(self)
        if not contracts:
            return self.env._(
                "Your contract has no rates for this transport mode: request "
                "a quote instead."
            )
        if not any(card._is_valid_on(day) for card in contracts):
            return self.env._(
                "Your contract rates are not valid on %(day)s (valid from "
                "%(start)s to %(end)s): request a quote instead.",
                day=day,
                start=min(contracts.mapped("date_start")),
                end=max(contracts.mapped("date_end"), default=False) or "-",
            )
        return self.env._(
            "Your contract does not cover this lane and cargo: request a quote instead."
        )

    @api.model
    def _customer_lane(self, customer, cargo, mode):
        """The customer's lane of this route and mode, created on its first
        booking, so that its shipments count on the customer's profile."""
        Lane = self.env["logistics.lane"]
        lane = Lane.search(
            [
                ("partner_id", "=", customer.id),
                ("mode", "=", mode),
                ("origin_country_id", "=", cargo.origin.country_id),
                ("origin_city", "=ilike", cargo.origin.city),
                ("destination_country_id", "=", cargo.destination.country_id),
                ("destination_city", "=ilike", cargo.destination.city),
            ],
            limit=1,
        )
        return lane or Lane.create(
            {
                "partner_id": customer.id,
                "mode": mode,
                "origin_country_id": cargo.origin.country_id,
                "origin_city": cargo.origin.city,
                "origin_location_code": cargo.origin.location_code or False,
                "destination_country_id": cargo.destination.country_id,
                "destination_city": cargo.destination.city,
                "destination_location_code": cargo.destination.location_code or False,
                "volume_quantity": 1.0,
                "volume_unit": "shipment",
                "frequency": "year",
            }
        )
