from datetime import date

from odoo import api, models

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


class LogisticsQuoteRequest(models.Model):
    _inherit = "logistics.quote.request"

    def _compute_access_url(self):
        for request in self:
            request.access_url = f"/my/quote-requests/{request.id}"

    @api.model
    def _portal_form_values(self, form):
        """(values, errors) from a posted request form: values ready for
        ``create`` (without the customer), errors by field name, translated.
        Nothing the browser sends is trusted: ids must exist, numbers parse
        and stay in range, choices are among the selections."""
        errors, values = {}, {}

        def text(name, required=False, limit=TEXT_MAX):
            value = str(form.get(name) or "").strip()[:limit]
            if required and not value:
                errors[name] = self.env._("This field is required.")
            return value or False

        def number(name, integer=False):
            raw = str(form.get(name) or "").strip()
            if not raw:
                return 0
            try:
                value = int(raw) if integer else float(raw)
            except ValueError:
                errors[name] = self.env._("Enter a number.")
                return 0
            if not 0 <= value <= NUMBER_MAX:
                errors[name] = self.env._("Enter a number between 0 and 10,000,000.")
                return 0
            return value

        def record(name, model, required=False):
            raw = str(form.get(name) or "").strip()
            if raw.isdigit():
                found = self.env[model].sudo().browse(int(raw)).exists()
                if found:
                    return found.id
            if required or raw:
                errors[name] = self.env._("Choose a value from the list.")
            return False

        def choice(name, selection, required=False):
            raw = str(form.get(name) or "")
            if raw in dict(selection):
                return raw
            if required or raw:
                errors[name] = self.env._("Choose a value from the list.")
            return False

        values.update(
            origin_country_id=record("origin_country_id", "res.country", True),
            origin_city=text("origin_city", True),
            origin_location_code=text("origin_location_code", limit=10),
            destination_country_id=record("destination_country_id", "res.country", True),
            destination_city=text("destination_city", True),
            destination_location_code=text("destination_location_code", limit=10),
            mode=choice("mode", REQUEST_MODES, True),
            cargo_category_id=record("cargo_category_id", "logistics.cargo.category"),
            cargo_description=text("cargo_description", limit=DESCRIPTION_MAX),
            pieces=number("pieces", integer=True),
            weight_kg=number("weight_kg"),
            volume_m3=number("volume_m3"),
            container_type=choice("container_type", CONTAINER_TYPES),
            container_count=number("container_count", integer=True),
            incoterm_id=record("incoterm_id", "account.incoterms"),
            declared_value=number("declared_value"),
            dangerous_goods=bool(form.get("dangerous_goods")),
            un_number=text("un_number", limit=10),
            dg_class=choice("dg_class", DG_CLASSES),
            storage_days=number("storage_days", integer=True),
        )
        for service in REQUESTED_SERVICES:
            values[f"service_{service}"] = bool(form.get(f"service_{service}"))
        low, high = form.get("temperature_min"), form.get("temperature_max")
        if str(low or "").strip() or str(high or "").strip():
            try:
                low, high = float(low), float(high)
            except (TypeError, ValueError):
                errors["temperature_min"] = self.env._(
                    "Give the temperature range in °C, from and to."
                )
            else:
                if not -100 <= low <= high <= 100:
                    errors["temperature_min"] = self.env._(
                        "The range goes from the lower to the higher "
                        "temperature, between -100 and 100 °C."
                    )
                values.update(
                    temperature_controlled=True,
                    temperature_min=low,
                    temperature_max=high,
                )
        ready = str(form.get("ready_date") or "").strip()
        try:
            values["ready_date"] = date.fromisoformat(ready)
        except ValueError:
            errors["ready_date"] = self.env._("Give the date the cargo is ready.")
        else:
            if values["ready_date"] < date.today():
                errors["ready_date"] = self.env._("The ready date is in the past.")
        if not (
            values["weight_kg"]
            or values["volume_m3"]
            or (values["container_type"] and values["container_count"])
        ):
            errors.setdefault(
                "weight_kg",
                self.env._("Give the weight or the volume, or the containers."),
            )
        if values["dangerous_goods"] and not (values["un_number"] and values["dg_class"]):
            errors["un_number"] = self.env._(
                "Dangerous goods need their UN number and class."
            )
        if values["service_insurance"] and not values["declared_value"]:
            errors["declared_value"] = self.env._(
                "Insurance is priced on the declared value: give it."
            )
        return values, errors
