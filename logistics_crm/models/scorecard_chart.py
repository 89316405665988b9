"""Geometry of the scorecard's trend chart, kept apart from rendering so
the back office and the portal draw the same thing."""

CHART_WIDTH = 600
CHART_HEIGHT = 160
CHART_PADDING = 24
RATE_SERIES = ("on_time_rate", "sla_met_rate")


def scorecard_chart(scorecard):
    """SVG coordinates for each rate of the scorecard rows (percentages),
    one point per month, oldest on the left; months without a value are
    skipped rather than drawn as zero."""
    inner_width = CHART_WIDTH - 2 * CHART_PADDING
    inner_height = CHART_HEIGHT - 2 * CHART_PADDING
    step = inner_width / max(len(scorecard) - 1, 1)
    months = [
        {
            "x": round(CHART_PADDING + index * step, 1),
            "label": row["month"].strftime("%m/%y") if row.get("month") else "",
        }
        for index, row in enumerate(scorecard)
    ]
    series = {}
    for key in RATE_SERIES:
        points = []
        for month, row in zip(months, scorecard, strict=True):
            value = row.get(key)
            if value is None or value is False:
                continue
            value = min(max(float(value), 0.0), 100.0)
            y = CHART_PADDING + inner_height * (1 - value / 100)
            points.append((month["x"], round(y, 1), round(value, 1)))
        series[key] = {
            "points": points,
            "polyline": " ".join(f"{x},{y}" for x, y, _value in points),
        }
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "padding": CHART_PADDING,
        "months": months,
        "series": series,
        "gridlines": [
            (percent, round(CHART_PADDING + inner_height * (1 - percent / 100), 1))
            for percent in (0, 50, 100)
        ],
        "empty": not scorecard,
    }
