import csv
from datetime import date, datetime, time, timedelta

from pytz import timezone, utc

from odoo import api, models
from odoo.tools.misc import file_open

from .logistics_selections import CALENDAR_DAY_KINDS

CHINA_DAYS_FILE = "logistics_crm/data/logistics_cn_public_holidays.csv"


class LogisticsBusinessCalendar(models.AbstractModel):
    """Dated days put onto working calendars: public holidays become the
    calendar's public time off (Odoo's global leaves, which every working-time
    computation already subtracts), make-up working days its
    ``logistics.calendar.workday`` records. Shared by the shipped mainland
    China calendar and the import of the following years."""

    _name = "logistics.business.calendar"
    _description = "Business Calendar Days"

    @api.model
    def _china_days(self):
        """[(date, kind, name)] of the shipped mainland China calendar."""
        with file_open(CHINA_DAYS_FILE) as data:
            lines = [line for line in data if not line.startswith("#")]
        return [
            (date.fromisoformat(row["date"]), row["kind"], row["name"])
            for row in csv.DictReader(lines)
        ]

    @api.model
    def _check_days(self, days):
        """[(row label, message)] of what is wrong with [(date, kind, name)]:
        a kind that is neither, a date given twice."""
        kinds = dict(CALENDAR_DAY_KINDS)
        errors, seen = [], {}
        for index, (day, kind, _name) in enumerate(days):
            if kind not in kinds:
                errors.append((index, self.env._("unknown kind %s", kind)))
            if day in seen:
                errors.append((index, self.env._("the date %s is given twice", day)))
            seen.setdefault(day, index)
        return errors

    @api.model
    def _load_days(self, calendar, days):
        """Put ``days`` [(date, kind, name)] onto ``calendar``: consecutive
        holidays of one name as one time off, in the calendar's time zone.
        Dates the calendar already has (as time off or make-up day) are left
        as they are, so loading twice adds nothing. Returns the number of
        holidays and of make-up days added."""
        calendar.ensure_one()
        tz = timezone(calendar.tz or "UTC")
        taken = self._taken_dates(calendar, days)
        holidays = sorted(
            (day, name)
            for day, kind, name in days
            if kind == "holiday" and day not in taken
        )
        leaves = []
        for day, name in holidays:
            last = leaves[-1] if leaves else None
            if (
                last
                and last["name"] == name
                and last["_last"] + timedelta(days=1) == day
            ):
                last["_last"] = day
            else:
                leaves.append({"name": name, "_first": day, "_last": day})
        self.env["resource.calendar.leaves"].create(
            [
                {
                    "name": leave["name"],
                    "calendar_id": calendar.id,
                    "company_id": calendar.company_id.id,
                    "date_from": _utc(tz, leave["_first"], time()),
                    "date_to": _utc(tz, leave["_last"], time(23, 59, 59)),
                }
                for leave in leaves
            ]
        )
        workdays = [
            {
                "calendar_id": calendar.id,
                "date": day,
                "name": name,
                "works_as": self._works_as(calendar),
            }
            for day, kind, name in days
            if kind == "working" and day not in taken
        ]
        self.env["logistics.calendar.workday"].create(workdays)
        return len(holidays), len(workdays)

    @api.model
    def _days_within(self, calendar, periods):
        """[(start, end)] naive UTC -> for each, the labels of the public
        holidays and make-up working days of ``calendar`` that fall in it:
        what moved a deadline planned over that period. One search of time
        off for the whole batch."""
        if not calendar or not periods:
            return [[] for _period in periods]
        tz = timezone(calendar.tz or "UTC")
        leaves = self.env["resource.calendar.leaves"].search(
            [
                ("resource_id", "=", False),
                ("calendar_id", "in", [calendar.id, False]),
                ("date_from", "<=", max(end for _start, end in periods)),
                ("date_to", ">=", min(start for start, _end in periods)),
            ],
            order="date_from",
        )
        workdays = calendar.sudo().logistics_workday_ids
        labels = []
        for start, end in periods:
            found = [
                self.env._(
                    "%(name)s (%(first)s to %(last)s)",
                    name=leave.name,
                    first=_local_day(tz, leave.date_from),
                    last=_local_day(tz, leave.date_to),
                )
                for leave in leaves
                if leave.date_from < end and leave.date_to > start
            ]
            found += [
                self.env._("%(name)s (working %(day)s)", name=day.name, day=day.date)
                for day in workdays
                if _utc(tz, day.date, time(23, 59, 59)) > start
                and _utc(tz, day.date, time()) < end
            ]
            labels.append(found)
        return labels

    @api.model
    def _notify_loaded(self, holidays, workdays):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(holidays)s public holidays and %(workdays)s make-up "
                    "working days added.",
                    holidays=holidays,
                    workdays=workdays,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _taken_dates(self, calendar, days):
        if not days:
            return set()
        first = min(day for day, _kind, _name in days)
        last = max(day for day, _kind, _name in days)
        tz = timezone(calendar.tz or "UTC")
        taken = set(
            calendar.logistics_workday_ids.filtered(
                lambda workday: first <= workday.date <= last
            ).mapped("date")
        )
        for leave in self.env["resource.calendar.leaves"].search(
            [
                ("calendar_id", "=", calendar.id),
                ("resource_id", "=", False),
                ("date_from", "<=", _utc(tz, last, time(23, 59, 59))),
                ("date_to", ">=", _utc(tz, first, time())),
            ]
        ):
            day = utc.localize(leave.date_from).astimezone(tz).date()
            end = utc.localize(leave.date_to).astimezone(tz).date()
            while day <= end:
                taken.add(day)
                day += timedelta(days=1)
        return taken

    @api.model
    def _works_as(self, calendar):
        """A make-up day keeps the hours of the calendar's first working
        weekday (Monday in a Monday-to-Friday week)."""
        weekdays = sorted(
            calendar.attendance_ids.filtered(
                lambda attendance: not attendance.display_type
            ).mapped("dayofweek")
        )
        return weekdays[0] if weekdays else "0"


def _utc(tz, day, moment):
    return (
        tz.localize(datetime.combine(day, moment)).astimezone(utc).replace(tzinfo=None)
    )


def _local_day(tz, moment):
    return utc.localize(moment).astimezone(tz).date()
