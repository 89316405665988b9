from bisect import bisect_left, bisect_right
from datetime import datetime, time, timedelta

from pytz import timezone, utc

from odoo import api, fields, models

# First guess of the calendar span a plan needs, widened until it fits: a
# working week holds about 40 hours of a 168-hour week.
SPAN_FACTOR = 168 / 40
MIN_SPAN = timedelta(days=21)
MAX_WIDENINGS = 8


class ResourceCalendar(models.Model):
    """Working-time arithmetic for many SLA clocks at once.

    ``plan_hours`` and ``get_work_hours_count`` answer one question per call,
    each with its own attendance and leave queries; SLA deadlines are needed
    for whole batches of tickets, so these read the working intervals once
    per calendar and answer every question of the batch from them.
    """

    _inherit = "resource.calendar"

    logistics_workday_ids = fields.One2many(
        comodel_name="logistics.calendar.workday",
        inverse_name="calendar_id",
        string="Make-up Working Days",
    )
    # Read with the calendar's other columns: a calendar without make-up days
    # (most outside mainland China) costs no query for them.
    logistics_has_workdays = fields.Boolean(
        compute="_compute_logistics_has_workdays", store=True
    )

    @api.depends("logistics_workday_ids")
    def _compute_logistics_has_workdays(self):
        for calendar in self:
            calendar.logistics_has_workdays = bool(calendar.logistics_workday_ids)

    def action_logistics_load_china_days(self):
        """Mainland China's public holidays and make-up working days, as
        shipped, onto this calendar."""
        self.ensure_one()
        days = self.env["logistics.business.calendar"]
        return days._notify_loaded(*days._load_days(self, days._china_days()))

    def _logistics_work_intervals(self, start, end):
        """Sorted (start, stop) working intervals, naive UTC, between two
        naive UTC datetimes: attendances in the calendar's time zone minus its
        leaves and the public holidays, plus its make-up working days."""
        self.ensure_one()
        intervals = [
            (
                begin.astimezone(utc).replace(tzinfo=None),
                stop.astimezone(utc).replace(tzinfo=None),
            )
            for begin, stop, _meta in self._work_intervals_batch(
                utc.localize(start), utc.localize(end), compute_leaves=True
            )[False]
        ]
        extra = self._logistics_workday_intervals(start, end)
        return _merged(intervals + extra) if extra else intervals

    def _logistics_workday_intervals(self, start, end):
        """The working intervals of the make-up days between two naive UTC
        datetimes: each day keeps the attendances of the weekday it works
        like, in the calendar's time zone."""
        if not self.logistics_has_workdays:
            return []
        tz = timezone(self.tz or "UTC")
        # A day in the calendar's zone may start the UTC day before or after.
        first, last = start.date() - timedelta(days=1), end.date() + timedelta(days=1)
        intervals = []
        # Calendar configuration every clock reads, whoever runs it (a
        # portal complaint, a public quote request), as Odoo reads leaves.
        for day in self.sudo().logistics_workday_ids:
            if not first <= day.date <= last:
                continue
            for attendance in self.attendance_ids:
                if attendance.dayofweek != day.works_as or attendance.display_type:
                    continue
                if attendance.day_period == "lunch":
                    continue
                begin = _moment(tz, day.date, attendance.hour_from)
                stop = _moment(tz, day.date, attendance.hour_to)
                begin, stop = max(begin, start), min(stop, end)
                if begin < stop:
                    intervals.append((begin, stop))
        return intervals

    def _logistics_plan_hours(self, requests):
        """[(start, hours)] -> [moment when that many working hours have
        elapsed from start], naive UTC. Without a calendar, hours are plain
        clock hours."""
        if not self:
            return [start + timedelta(hours=hours) for start, hours in requests]
        if not requests:
            return []
        first = min(start for start, _hours in requests)
        last = max(start for start, _hours in requests)
        span = max(
            MIN_SPAN,
            timedelta(hours=max(hours for _s, hours in requests) * SPAN_FACTOR * 2),
        )
        for _attempt in range(MAX_WIDENINGS):
            intervals = self._logistics_work_intervals(first, last + span)
            stops = [stop for _begin, stop in intervals]
            planned = [
                self._logistics_walk(intervals, stops, start, hours)
                for start, hours in requests
            ]
            if all(planned):
                return planned
            span *= 2
        # A calendar without attendances has no working time at all.
        return [moment or False for moment in planned]

    def _logistics_next_working_days(self, days):
        """[date] -> for each, the first date from it on which the calendar
        has working time in its time zone (a due date on a holiday or a rest
        day moves to the next working day; a make-up day is one). Without a
        calendar the dates stay."""
        if not self or not days:
            return list(days)
        tz = timezone(self.tz or "UTC")
        span = MIN_SPAN
        for _attempt in range(MAX_WIDENINGS):
            intervals = self._logistics_work_intervals(
                _moment(tz, min(days), 0), _moment(tz, max(days), 24) + span
            )
            working = sorted(
                {utc.localize(begin).astimezone(tz).date() for begin, _s in intervals}
            )
            found = [bisect_left(working, day) for day in days]
            if all(index < len(working) for index in found):
                return [working[index] for index in found]
            span *= 2
        # A calendar without attendances: the dates as they are.
        return list(days)

    def _logistics_work_hours(self, periods):
        """[(start, end)] -> working hours between each pair."""
        if not self:
            return [
                max((end - start).total_seconds(), 0) / 3600 for start, end in periods
            ]
        if not periods:
            return []
        intervals = self._logistics_work_intervals(
            min(start for start, _end in periods), max(end for _start, end in periods)
        )
        return [
            sum(
                max((min(stop, end) - max(begin, start)).total_seconds(), 0)
                for begin, stop in intervals
            )
            / 3600
            for start, end in periods
        ]

    @staticmethod
    def _logistics_walk(intervals, stops, start, hours):
        if hours <= 0:
            return start
        remaining = hours
        for begin, stop in intervals[bisect_right(stops, start) :]:
            begin = max(begin, start)
            available = (stop - begin).total_seconds() / 3600
            if remaining <= available:
                return begin + timedelta(hours=remaining)
            remaining -= available
        return None


def _moment(tz, day, hours):
    """``hours`` (24.0 is midnight) on ``day`` in ``tz``, as naive UTC."""
    local = datetime.combine(day, time()) + timedelta(hours=hours)
    return tz.localize(local).astimezone(utc).replace(tzinfo=None)


def _merged(intervals):
    """Sorted intervals, overlapping ones joined."""
    merged = []
    for begin, stop in sorted(intervals):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((begin, stop))
    return merged
