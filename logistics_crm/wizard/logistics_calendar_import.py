from datetime import date, datetime

from odoo import fields, models
from odoo.exceptions import UserError

from .spreadsheet_rows import read_rows

COLUMNS = ("date", "kind", "name")
# Spelled as the State Council's notices spell them, beside the codes.
KIND_WORDS = {
    "holiday": "holiday",
    "放假": "holiday",
    "working": "working",
    "上班": "working",
}
MAX_ERRORS_SHOWN = 50


class LogisticsCalendarImport(models.TransientModel):
    """Public holidays and make-up working days of the following years onto
    a working calendar, from an Excel or CSV file with the columns date,
    kind (holiday or working) and name: all rows or none."""

    _name = "logistics.calendar.import"
    _description = "Import Business Calendar Days"

    calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        required=True,
        ondelete="cascade",
    )
    file = fields.Binary(string="Excel or CSV File", required=True)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        days, errors = self._rows_to_days(
            read_rows(self.env, self.file, self.filename, COLUMNS)
        )
        if not errors and not days:
            raise UserError(self.env._("The file has no date to import."))
        if errors:
            shown = errors[:MAX_ERRORS_SHOWN]
            if len(errors) > MAX_ERRORS_SHOWN:
                shown.append(
                    self.env._(
                        "… and %(count)s more errors.",
                        count=len(errors) - MAX_ERRORS_SHOWN,
                    )
                )
            raise UserError(
                "\n".join(
                    [self.env._("Nothing was imported: fix the file and try again.")]
                    + shown
                )
            )
        Days = self.env["logistics.business.calendar"]
        return Days._notify_loaded(*Days._load_days(self.calendar_id, days))

    def _rows_to_days(self, rows):
        days, errors, numbers = [], [], []
        for row_number, row in rows:
            day = _date(row.get("date"))
            kind = KIND_WORDS.get(str(row.get("kind") or "").strip().lower())
            name = str(row.get("name") or "").strip()
            if not day:
                errors.append(
                    self.env._(
                        "Line %(line)s: %(value)s is not a date (YYYY-MM-DD).",
                        line=row_number,
                        value=row.get("date") or self.env._("(empty)"),
                    )
                )
            if not kind:
                errors.append(
                    self.env._(
                        "Line %(line)s: the kind must be holiday or working "
                        "(or 放假 / 上班).",
                        line=row_number,
                    )
                )
            if not name:
                errors.append(
                    self.env._("Line %(line)s: the name is missing.", line=row_number)
                )
            if day and kind and name:
                days.append((day, kind, name))
                numbers.append(row_number)
        for index, message in self.env["logistics.business.calendar"]._check_days(days):
            errors.append(
                self.env._(
                    "Line %(line)s: %(error)s.", line=numbers[index], error=message
                )
            )
        return days, errors


def _date(value):
    """A cell as a date: Excel gives datetimes, CSV text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
