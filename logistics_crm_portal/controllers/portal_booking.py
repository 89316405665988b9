from datetime import datetime

import pytz

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.logistics_crm.models.logistics_pricing import Cargo, Endpoint
from odoo.addons.logistics_crm.models.logistics_quote_request import (
    REQUESTED_SERVICES,
)
from odoo.addons.logistics_crm.models.logistics_selections import (
    CONTAINER_TYPES,
    TRANSPORT_MODES,
)

from ..models.logistics_quote_request import FormReader
from .portal_base import LogisticsPortalBase

CARGO_ROWS = 5


def read_datetime(read, name, required):
    """A datetime typed in the user's time zone, as naive UTC."""
    raw = read.raw(name)
    try:
        local = datetime.fromisoformat(raw).replace(tzinfo=None, second=0)
    except ValueError:
        if required or raw:
            read.errors[name] = request.env._("Give a date and time.")
        return False
    zone = pytz.timezone(request.env.user.tz or "UTC")
    return zone.localize(local).astimezone(pytz.utc).replace(tzinfo=None)


def read_pickup_details(read):
    """The pickup window and address and the consignee of a booking."""
    pickup_start = read_datetime(read, "pickup_start", True)
    pickup_end = read_datetime(read, "pickup_end", True)
    if pickup_start and pickup_end and pickup_end < pickup_start:
        read.errors["pickup_end"] = request.env._(
            "The pickup window ends after it starts."
        )
    if pickup_start and pickup_start < datetime.now():
        read.errors["pickup_start"] = request.env._("The pickup is in the past.")
    return {
        "planned_pickup_date": pickup_start,
        "pickup_window_end": pickup_end,
        "pickup_address": read.text("pickup_address", True, limit=1000),
        "consignee_name": read.text("consignee_name", True),
        "consignee_address": read.text("consignee_address", True, limit=1000),
    }


class BookingPortal(LogisticsPortalBase):
    """Online booking at the customer's contract rates: the form, then a
    confirmed booking and its shipment, or the form again with the reason
    it was refused."""

    @http.route(
        ["/my/book"], type="http", auth="user", methods=["GET", "POST"], website=True
    )
    def portal_book(self, **form):
        if not request.env.user.share:
            return request.redirect("/my")
        if request.httprequest.method != "POST":
            return self._booking_form_page({}, {})
        cargo, details, errors = self._booking_read(form)
        if errors:
            return self._booking_form_page(form, errors)
        contact = request.env.user.partner_id
        try:
            with request.env.cr.savepoint():
                # Priced from the rate cards on the server, for the user's own
                # company: the booking engine works with the company's rights.
                booking = (
                    request.env["logistics.booking"]
                    .sudo()
                    ._book_on_contract(
                        cargo, contact, details, request.httprequest.remote_addr
                    )
                )
        except UserError as error:
            request.env.invalidate_all()
            return self._booking_form_page(form, {"form": error.args[0]})
        return request.redirect(booking.get_portal_url())

    def _booking_read(self, form):
        read = FormReader(request.env, form)
        mode = read.choice("mode", TRANSPORT_MODES, True)
        origin = Endpoint(
            read.record("origin_country_id", "res.country", True),
            city=read.text("origin_city", True),
            location_code=read.text("origin_location_code", limit=10) or None,
        )
        destination = Endpoint(
            read.record("destination_country_id", "res.country", True),
            city=read.text("destination_city", True),
            location_code=read.text("destination_location_code", limit=10) or None,
        )
        details = read_pickup_details(read)
        rows = [
            {
                "pieces": read.number(f"pieces_{index}", integer=True),
                "weight": read.number(f"weight_{index}"),
                "volume": read.number(f"volume_{index}"),
                "description": read.text(f"description_{index}"),
            }
            for index in range(CARGO_ROWS)
        ]
        rows = [row for row in rows if row["pieces"] or row["weight"] or row["volume"]]
        container_type = read.choice("container_type", CONTAINER_TYPES)
        container_count = read.number("container_count", integer=True)
        if not rows and not (container_type and container_count):
            read.errors["pieces_0"] = request.env._(
                "Describe the cargo: at least one line, or the containers."
            )
        services = frozenset(
            code for code in REQUESTED_SERVICES if form.get(f"service_{code}")
        )
        declared_value = read.number("declared_value")
        if "insurance" in services and not declared_value:
            read.errors["declared_value"] = request.env._(
                "Insurance is priced on the declared value: give it."
            )
        pickup_start = details["planned_pickup_date"]
        details.update(
            {
                "pieces": sum(row["pieces"] for row in rows),
                "weight_kg": sum(row["weight"] for row in rows),
                "volume_m3": sum(row["volume"] for row in rows),
                "cargo_description": "\n".join(
                    row["description"] for row in rows if row["description"]
                )
                or False,
            }
        )
        cargo = Cargo(
            origin=origin,
            destination=destination,
            mode=mode or "",
            weight_kg=details["weight_kg"],
            volume_m3=details["volume_m3"],
            container_type=container_type or None,
            container_count=container_count,
            declared_value=declared_value,
            services=services,
            day=pickup_start.date() if pickup_start else None,
        )
        return cargo, details, read.errors

    def _booking_form_page(self, values, errors):
        env = request.env
        page = self._prepare_portal_layout_values()
        page.update(
            {
                "page_name": "logistics_booking_form",
                "form": values,
                "errors": errors,
                "countries": env["res.country"].sudo().search([]),
                "modes": env["logistics.rate.card"]
                ._fields["mode"]
                ._description_selection(env),
                "container_types": CONTAINER_TYPES,
                # Record rules: the user's own company's contract cards.
                "contracts": env["logistics.rate.card"].search([], limit=20),
                "cargo_rows": range(CARGO_ROWS),
            }
        )
        return request.render("logistics_crm_portal.portal_booking_form", page)
