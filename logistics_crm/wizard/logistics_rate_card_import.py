import math

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.logistics_selections import CONTAINER_TYPES, RATE_CARD_BASES
from .spreadsheet_rows import read_rows

# One error per row of a file with a wrong column would bury the dialog.
MAX_ERRORS_SHOWN = 50

REQUIRED_COLUMNS = ("origin_country", "destination_country", "basis", "rate")
OPTIONAL_COLUMNS = (
    "origin_state",
    "origin_city",
    "origin_port",
    "destination_state",
    "destination_city",
    "destination_port",
    "break_kg",
    "container_type",
    "minimum_charge",
    "transit_days",
)
# Spreadsheet column -> line field, for the numbers checked alike.
NUMBER_COLUMNS = {
    "rate": "rate",
    "break_kg": "min_weight_kg",
    "minimum_charge": "minimum_charge",
    "transit_days": "transit_time_days",
}
SIDES = ("origin", "destination")


class LogisticsRateCardImport(models.TransientModel):
    """Loads a card's lanes and breaks from a spreadsheet: all rows or none,
    so a tariff is never half published."""

    _name = "logistics.rate.card.import"
    _description = "Import Rate Card Lines"

    card_id = fields.Many2one(
        comodel_name="logistics.rate.card", required=True, ondelete="cascade"
    )
    file = fields.Binary(string="Excel File", required=True)
    filename = fields.Char()
    replace_lines = fields.Boolean(
        string="Replace Existing Lines",
        help="Delete the card's current lanes and breaks before importing, "
        "to publish a new tariff instead of adding to the old one.",
    )

    def action_import(self):
        self.ensure_one()
        rows = self._read_rows()
        vals_list, errors = self._rows_to_values(rows)
        if errors:
            raise UserError(self._format_errors(errors))
        if not vals_list:
            raise UserError(self.env._("The file has no line to import."))
        if self.replace_lines:
            self.card_id.line_ids.unlink()
        self.env["logistics.rate.card.line"].create(vals_list)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s lines imported into %(card)s.",
                    count=len(vals_list),
                    card=self.card_id.display_name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # --- Reading -------------------------------------------------------------

    def _read_rows(self):
        """The data rows as dicts keyed by lower-case header, with their
        spreadsheet row number (what the user sees in Excel)."""
        return read_rows(
            self.env, self.file, self.filename, REQUIRED_COLUMNS, OPTIONAL_COLUMNS
        )

    # --- Validation ----------------------------------------------------------

    def _rows_to_values(self, rows):
        countries, states = self._resolve_geography(rows)
        vals_list, errors = [], []
        for row_number, row in rows:
            vals, row_errors = self._row_values(row_number, row, countries, states)
            if row_errors:
                errors.extend(row_errors)
            else:
                vals_list.append(vals)
        return vals_list, errors

    def _resolve_geography(self, rows):
        """Every country and state code of the file in one search each."""
        country_codes = {
            _text(row.get(f"{side}_country")).upper()
            for _row_number, row in rows
            for side in SIDES
        } - {""}
        countries = {
            country.code.upper(): country.id
            for country in self.env["res.country"].search(
                [("code", "in", list(country_codes))]
            )
        }
        state_codes = {
            _text(row.get(f"{side}_state"))
            for _row_number, row in rows
            for side in SIDES
        } - {""}
        states = {}
        if state_codes and countries:
            # State codes are stored as ISO gives them, mostly upper case.
            codes = state_codes | {code.upper() for code in state_codes}
            for state in self.env["res.country.state"].search(
                [
                    ("country_id", "in", list(countries.values())),
                    ("code", "in", list(codes)),
                ]
            ):
                states[(state.country_id.id, state.code.upper())] = state.id
        return countries, states

    def _row_values(self, row_number, row, countries, states):
        errors = []
        vals = {"card_id": self.card_id.id}
        for side in SIDES:
            self._side_values(row_number, row, side, countries, states, vals, errors)
        for column, field_name in NUMBER_COLUMNS.items():
            self._number_value(row_number, row, column, field_name, vals, errors)
        self._basis_values(row_number, row, vals, errors)
        return vals, errors

    def _side_values(self, row_number, row, side, countries, states, vals, errors):
        column = f"{side}_country"
        code = _text(row.get(column)).upper()
        if not code:
            errors.append(
                self.env._(
                    "Row %(row)s: the column %(column)s is empty.",
                    row=row_number,
                    column=column,
                )
            )
            return
        country_id = countries.get(code)
        if not country_id:
            errors.append(
                self.env._(
                    "Row %(row)s: unknown country code “%(code)s” in column "
                    "%(column)s.",
                    row=row_number,
                    code=code,
                    column=column,
                )
            )
            return
        vals[f"{side}_country_id"] = country_id
        state_code = _text(row.get(f"{side}_state")).upper()
        if state_code:
            state_id = states.get((country_id, state_code))
            if not state_id:
                errors.append(
                    self.env._(
                        "Row %(row)s: unknown state code “%(state)s” of country "
                        "%(country)s in column %(column)s.",
                        row=row_number,
                        state=state_code,
                        country=code,
                        column=f"{side}_state",
                    )
                )
            vals[f"{side}_state_id"] = state_id
        vals[f"{side}_city"] = _text(row.get(f"{side}_city")) or False
        # Normalised by the line's create(), as typed in the form.
        vals[f"{side}_location_code"] = _text(row.get(f"{side}_port")) or False

    def _number_value(self, row_number, row, column, field_name, vals, errors):
        value = row.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            if column == "rate":
                errors.append(
                    self.env._("Row %(row)s: the rate is missing.", row=row_number)
                )
            return
        number = _number(value)
        if number is None:
            errors.append(
                self.env._(
                    "Row %(row)s: “%(value)s” in column %(column)s is not a number.",
                    row=row_number,
                    value=value,
                    column=column,
                )
            )
        elif number < 0:
            errors.append(
                self.env._(
                    "Row %(row)s: the column %(column)s cannot be negative.",
                    row=row_number,
                    column=column,
                )
            )
        else:
            vals[field_name] = number

    def _basis_values(self, row_number, row, vals, errors):
        basis = _text(row.get("basis")).lower().replace("³", "3")
        if basis not in dict(RATE_CARD_BASES):
            errors.append(
                self.env._(
                    "Row %(row)s: unknown basis “%(basis)s” (expected %(bases)s).",
                    row=row_number,
                    basis=basis,
                    bases=", ".join(key for key, _label in RATE_CARD_BASES),
                )
            )
            return
        vals["rate_basis"] = basis
        if basis != "kg":
            # A break only means something on per-kg lines: the engine would
            # read a stray one as the lane's first break.
            vals.pop("min_weight_kg", None)
        if basis != "container":
            return
        container = "".join(_text(row.get("container_type")).lower().split())
        if container not in dict(CONTAINER_TYPES):
            errors.append(
                self.env._(
                    "Row %(row)s: a per-container rate needs a container type "
                    "among %(types)s, not “%(value)s”.",
                    row=row_number,
                    types=", ".join(key for key, _label in CONTAINER_TYPES),
                    value=container,
                )
            )
            return
        vals["container_type"] = container

    def _format_errors(self, errors):
        lines = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            lines.append(
                self.env._(
                    "… and %(count)s more errors.",
                    count=len(errors) - MAX_ERRORS_SHOWN,
                )
            )
        return "\n".join(
            [self.env._("Nothing was imported: fix the file and try again.")] + lines
        )


def _text(value):
    """A cell as stripped text: codes typed as numbers (a state "01") come
    back from Excel as floats."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(value):
    if isinstance(value, bool):
        return None
    if not isinstance(value, int | float):
        value = str(value).strip()
    try:
        number = float(value)
    except ValueError:
        return None
    # float() takes "nan" and "inf", which no price or weight can be.
    return number if math.isfinite(number) else None
