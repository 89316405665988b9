from odoo import fields, models


class LogisticsCalendarWorkday(models.Model):
    """A make-up working day (调休上班): a date on which a working calendar
    works although its week rests, with the hours of one of its weekdays.

    Odoo's calendars know attendances and leaves but no extra working day
    on a weekend; mainland China moves working days onto weekends around
    its long holidays, so every working-time clock counts these too."""

    _name = "logistics.calendar.workday"
    _description = "Make-up Working Day"
    _order = "date"

    calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        required=True,
        index=True,
        ondelete="cascade",
    )
    date = fields.Date(required=True)
    name = fields.Char(string="Reason", help="For example: National Day make-up day.")
    works_as = fields.Selection(
        selection=lambda self: self.env["resource.calendar.attendance"]
        ._fields["dayofweek"]
        ._description_selection(self.env),
        string="Works Like",
        required=True,
        default="0",
        help="The weekday of the calendar whose working hours this day keeps.",
    )
    company_id = fields.Many2one(related="calendar_id.company_id", store=True)

    _calendar_date_unique = models.UniqueIndex(
        "(calendar_id, date)", "A calendar has one make-up working day per date."
    )
