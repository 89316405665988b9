"""The logistics KPIs, each defined once: label and formula, in English.

Report fields take their help from here (``kpi_help``), and Odoo translates
that help like any field help; the Excel export writes the translated help of
those fields on its definitions sheet; the readme lists the same formulas."""

KPI_DEFINITIONS = {
    "on_time_rate": (
        "On-time delivery rate (%)",
        (
            "Delivered shipments delivered no later than the promised date plus "
            "the company's tolerance, out of the delivered shipments, x 100."
        ),
    ),
    "avg_delay_hours": (
        "Average delay of late shipments (h)",
        (
            "Mean of actual delivery minus promised date, in hours, over the "
            "delivered shipments that were late."
        ),
    ),
    "exception_rate": (
        "Exception rate (per 100 shipments)",
        "Exceptions raised on the shipments, per 100 shipments.",
    ),
    "complaint_rate": (
        "Complaint rate (per 100 shipments)",
        "Complaints opened, per 100 shipments of the same customers and period.",
    ),
    "proactive_share": (
        "Proactive complaints (%)",
        (
            "Complaints opened by us before the customer complained (channel "
            "Proactive), out of all complaints, x 100."
        ),
    ),
    "sla_met_rate": (
        "SLA compliance (%)",
        (
            "Milestones met without breach, out of the milestones met or breached, "
            "x 100; per milestone kind (first response, resolution)."
        ),
    ),
    "sla_hours": (
        "Average working hours to meet a milestone",
        (
            "Mean working time consumed by met milestones, in the tier's working "
            "calendar, pauses excluded."
        ),
    ),
    "satisfaction": (
        "Satisfaction (%)",
        "Happy ratings (4-5 out of 5) out of all ratings given, x 100.",
    ),
    "revenue_growth": (
        "Revenue growth (%)",
        (
            "Revenue of the period minus revenue of the previous period, out of "
            "the previous period's revenue, x 100."
        ),
    ),
    "retention": (
        "Customer retention (%)",
        (
            "Customers active in the period (a shipment promised in it) who were "
            "active in the previous period too, out of the customers active in "
            "the period, x 100."
        ),
    ),
    "notification_volume": (
        "Notification volume",
        "Notifications decided for customers' contacts in the period.",
    ),
    "margin_rate": (
        "Margin rate (%)",
        "Margin (revenue minus cost) out of revenue, x 100.",
    ),
}


def kpi_help(code):
    label, formula = KPI_DEFINITIONS[code]
    return f"{label}: {formula}"
