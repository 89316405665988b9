from datetime import date, timedelta

from odoo import api, fields, models

from odoo.addons.logistics_crm.models.logistics_quote_request import (
    DG_CLASSES,
    REQUESTED_SERVICES,
)
from odoo.addons.logistics_crm.models.logistics_selections import (
    CONTAINER_TYPES,
    REQUEST_MODES,
)

TEXT_MAX = 200
DESCRIPTION_MAX = 2000
NUMBER_MAX = 10_000_000
# The public page takes this many requests an hour from one address, and
# from one e-mail address.
PROSPECT_REQUESTS_PER_IP = 5
PROSPECT_REQUESTS_PER_EMAIL = 3
RECEIVED_TEMPLATE = "logistics_crm.logistics_quote_request_mail_template_received"


class LogisticsQuoteRequest(models.Model):
    _inherit = "logistics.quote.request"

    def _compute_access_url(self):
        for request in self:
            request.access_url = f"/my/quote-requests/{request.id}"

    @api.model
    def _prospect_rate_exceeded(self, ip_address, email):
        since = fields.Datetime.now() - timedelta(hours=1)
        recent = [("is_prospect", "=", True), ("create_date", ">=", since)]
        if (
            ip_address
            and self.search_count(
                [*recent, ("request_ip", "=", ip_address)],
                limit=PROSPECT_REQUESTS_PER_IP,
            )
            >= PROSPECT_REQUESTS_PER_IP
        ):
            return True
        return (
            bool(email)
            and self.search_count(
                [*recent, ("contact_id.email_normalized", "=", email)],
                limit=PROSPECT_REQUESTS_PER_EMAIL,
            )
            >= PROSPECT_REQUESTS_PER_EMAIL
        )

    @api.model
    def _create_prospect(self, company, name, email, phone):
        """The prospect's company and contact: partners, never users."""
        customer = self.env["res.partner"].create(
            {"name": company, "is_company": True, "email": email}
        )
        return self.env["res.partner"].create(
            {
                "name": name,
                "parent_id": customer.id,
                "email": email,
                "phone": phone or False,
                "type": "contact",
            }
        )

    def _send_received_mail(self):
        # Queued with the transaction: the mail goes out only if it commits.
        template = self.env.ref(RECEIVED_TEMPLATE)
        for request in self:
            template.send_mail(request.id)

    @api.model
    def _portal_form_values(self, form):
        """(values, errors) from a posted request form: values ready for
        ``create`` (without the customer), errors by field name."""
        read = FormReader(self.env, form)
        values = {
            "origin_country_id": read.record("origin_country_id", "res.country", True),
            "origin_city": read.text("origin_city", True),
            "origin_location_code": read.text("origin_location_code", limit=10),
            "destination_country_id": read.record(
                "destination_country_id", "res.country", True
            ),
            "destination_city": read.text("destination_city", True),
            "destination_location_code": read.text(
                "destination_location_code", limit=10
            ),
            "mode": read.choice("mode", REQUEST_MODES, True),
            "cargo_category_id": read.record(
                "cargo_category_id", "logistics.cargo.category"
            ),
            "cargo_description": read.text("cargo_description", limit=DESCRIPTION_MAX),
            "pieces": read.number("pieces", integer=True),
            "weight_kg": read.number("weight_kg"),
            "volume_m3": read.number("volume_m3"),
            "container_type": read.choice("container_type", CONTAINER_TYPES),
            "container_count": read.number("container_count", integer=True),
            "incoterm_id": read.record("incoterm_id", "account.incoterms"),
            "declared_value": read.number("declared_value"),
            "dangerous_goods": bool(form.get("dangerous_goods")),
            "un_number": read.text("un_number", limit=10),
            "dg_class": read.choice("dg_class", DG_CLASSES),
            "storage_days": read.number("storage_days", integer=True),
            "ready_date": read.future_date("ready_date"),
            **read.temperature_range(),
        }
        for service in REQUESTED_SERVICES:
            values[f"service_{service}"] = bool(form.get(f"service_{service}"))
        self._portal_form_cross_checks(values, read.errors)
        return values, read.errors

    @api.model
    def _portal_form_cross_checks(self, values, errors):
        if not (
            values["weight_kg"]
            or values["volume_m3"]
            or (values["container_type"] and values["container_count"])
        ):
            errors.setdefault(
                "weight_kg",
                self.env._("Give the weight or the volume, or the containers."),
            )
        if values["dangerous_goods"] and not (
            values["un_number"] and values["dg_class"]
        ):
            errors["un_number"] = self.env._(
                "Dangerous goods need their UN number and class."
            )
        if values["service_insurance"] and not values["declared_value"]:
            errors["declared_value"] = self.env._(
                "Insurance is priced on the declared value: give it."
            )


class FormReader:
    """Reads a posted form field by field, collecting translated errors by
    field name; nothing the browser sends is trusted: ids must exist,
    numbers parse and stay in range, choices are among the selections."""

    def __init__(self, env, form):
        self.env = env
        self.form = form
        self.errors = {}

    def raw(self, name):
        return str(self.form.get(name) or "").strip()

    def text(self, name, required=False, limit=TEXT_MAX):
        value = self.raw(name)[:limit]
        if required and not value:
            self.errors[name] = self.env._("This field is required.")
        return value or False

    def number(self, name, integer=False):
        raw = self.raw(name)
        if not raw:
            return 0
        try:
            value = int(raw) if integer else float(raw)
        except ValueError:
            self.errors[name] = self.env._("Enter a number.")
            return 0
        if not 0 <= value <= NUMBER_MAX:
            self.errors[name] = self.env._("Enter a number between 0 and 10,000,000.")
            return 0
        return value

    def record(self, name, model, required=False):
        raw = self.raw(name)
        if raw.isdigit() and len(raw) < 10:
            found = self.env[model].sudo().browse(int(raw)).exists()
            if found:
                return found.id
        if required or raw:
            self.errors[name] = self.env._("Choose a value from the list.")
        return False

    def choice(self, name, selection, required=False):
        raw = self.raw(name)
        if raw in dict(selection):
            return raw
        if required or raw:
            self.errors[name] = self.env._("Choose a value from the list.")
        return False

    def temperature_range(self):
        """{} without a range, else the range of a temperature-controlled
        cargo."""
        low, high = self.raw("temperature_min"), self.raw("temperature_max")
        if not (low or high):
            return {}
        try:
            low, high = float(low), float(high)
        except ValueError:
            self.errors["temperature_min"] = self.env._(
                "Give the temperature range in °C, from and to."
            )
            return {}
        if not -100 <= low <= high <= 100:
            self.errors["temperature_min"] = self.env._(
                "The range goes from the lower to the higher temperature, "
                "between -100 and 100 °C."
            )
        return {
            "temperature_controlled": True,
            "temperature_min": low,
            "temperature_max": high,
        }

    def future_date(self, name):
        try:
            value = date.fromisoformat(self.raw(name))
        except ValueError:
            self.errors[name] = self.env._("Give the date the cargo is ready.")
            return False
        if value < date.today():
            self.errors[name] = self.env._("The ready date is in the past.")
        return value
