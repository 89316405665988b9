"""The logistics KPIs, each defined once: label, formula in words, and the
formula itself as an SQL fragment.

Every path that shows a KPI (the SQL-view reports and the Excel export that
reads them, the monthly snapshots and so the scorecard and the portal's
service page, the tier and churn metrics) composes these fragments, so the
same customer and period give the same figure everywhere.

Rates are the mean of a per-row value (100 or 0, NULL when the row does not
count): a report stores the value per row and its pivot averages it for any
grouping; an aggregate takes ``avg()`` of the same value. A rate without a
denominator (no delivered shipment, no rated ticket...) is therefore NULL,
shown empty, never 0 %.

Report fields take their help from here (``kpi_help``), and Odoo translates
that help like any field help; the Excel export writes the translated help of
those fields on its definitions sheet; the readme lists the same formulas.
"""

from contextlib import contextmanager

from odoo.tools import SQL

from .logistics_selections import (
    PHONE_COMPLAINT_CHANNELS,
    SURVEY_SCORE_DIMENSIONS,
    VALUE_ADDED_SERVICE_LINES,
)

# A rating of 4 or 5 out of 5 is a happy customer, 1 or 2 an unhappy one.
HAPPY_RATING = 4
UNHAPPY_RATING = 2

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
            "x 100; per milestone kind (first response, resolution). Empty when "
            "no milestone was met or breached."
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
        (
            "Rated complaints whose latest rating is happy (4-5 out of 5), out of "
            "the rated complaints opened in the period, x 100. Each ticket counts "
            "once, by the customer's latest rating of it: how the ticket went in "
            "the end. Empty when no ticket was rated."
        ),
    ),
    "dissatisfaction": (
        "Unhappy ratings (%)",
        (
            "Rated complaints whose latest rating is unhappy (1-2 out of 5), out "
            "of the rated complaints opened in the period, x 100."
        ),
    ),
    "revenue_growth": (
        "Revenue growth (%)",
        (
            "Revenue of the period minus revenue of the previous period of the "
            "same length, out of the previous period's revenue, x 100. Empty "
            "without revenue in the previous period."
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
    "profit_contribution": (
        "Profit contribution",
        (
            "Per shipment: what its posted customer invoices charge for it, net "
            "of refunds, minus its cost; a shipment not billed through a "
            "booking counts its recorded margin, a booked one not invoiced yet "
            "counts nothing."
        ),
    ),
    "days_paid_late": (
        "Average days paid late",
        (
            "Mean, over the customer invoices due in the period, of the days "
            "from the due date to full payment (to the end of the period while "
            "unpaid), 0 for an invoice paid on time."
        ),
    ),
    "late_payment_share": (
        "Invoices paid late (%)",
        (
            "Customer invoices due in the period that were paid after their due "
            "date or are still unpaid past it, out of the invoices due in the "
            "period, x 100."
        ),
    ),
    "quote_conversion": (
        "Quote conversion (%)",
        (
            "Sent quotes that became a confirmed booking, out of the sent "
            "quotes, x 100. A quote and its revisions count once, dated by the "
            "day its first version was sent."
        ),
    ),
    "days_to_booking": (
        "Days from quote sent to booking",
        (
            "Mean of the booking's confirmation date minus the date the quote's "
            "first version was sent, in days, over the sent quotes that became "
            "a confirmed booking."
        ),
    ),
    "campaign_roi": (
        "Campaign return on investment (%)",
        (
            "Booked revenue of the campaign minus its cost, out of its cost, "
            "x 100. The booked revenue is the untaxed amount of the confirmed "
            "bookings of logistics services attributed to the campaign, in the "
            "company's currency. Empty without a cost."
        ),
    ),
    "weighted_forecast": (
        "Weighted forecast revenue",
        (
            "Expected revenue of the open opportunities times their "
            "probability, / 100 (CRM's prorated revenue), by expected closing "
            "month. An opportunity with several lanes is shared among them in "
            "proportion to each lane's expected revenue (equally when none has "
            "one)."
        ),
    ),
    "win_rate": (
        "Win rate (%)",
        (
            "Leads and opportunities won, out of those won or lost, x 100, by "
            "the month they were closed."
        ),
    ),
    "sales_cycle_days": (
        "Sales cycle (days)",
        (
            "Mean of the whole days from a lead's creation to its being won "
            "(CRM's days to close), over the won ones."
        ),
    ),
    "nps": (
        "Net Promoter Score",
        (
            "Answers of 9 or 10 to the likelihood-to-recommend question "
            "(promoters) minus answers of 0 to 6 (detractors), out of all its "
            "answers, x 100: from -100 to 100."
        ),
    ),
    "detractor_follow_up": (
        "Detractors followed up in time (%)",
        (
            "Survey answers asking for a follow-up (a detractor or a service "
            "scored 2 or less) whose follow-up was done within the set number "
            "of working days (2 unless set), out of those asking for one, x 100."
        ),
    ),
    "quote_response_met": (
        "Quote response on time (%)",
        (
            "Quote requests answered with a firm quote within their tier's "
            "response target (working hours), out of the requests answered "
            "or past their deadline, x 100."
        ),
    ),
    "quote_response_hours": (
        "Working hours to a firm quote",
        (
            "Mean working time from a quote request to its firm quote being "
            "sent, in the tier's working calendar, over the answered requests."
        ),
    ),
    "calls_count": (
        "Calls held",
        (
            "Calls in status Held, inbound and outbound, dated by the call's "
            "date; per customer (the caller's company) and per agent (the "
            "call's responsible). Archived calls do not count."
        ),
    ),
    "fcr_rate": (
        "First-contact resolution (%)",
        (
            "Held inbound calls marked Resolved at First Contact, out of the "
            "held inbound calls, x 100. Empty without a held inbound call."
        ),
    ),
    "avg_handling_minutes": (
        "Average handling time (min)",
        "Mean duration, in minutes, of the held calls, inbound and outbound.",
    ),
    "service_breadth": (
        "Service breadth (service lines used)",
        (
            "The company's active service lines a customer used in the last 12 "
            "months: each transport mode of its counted shipments (by promised "
            "date) and each value-added service (customs, warehousing, "
            "insurance, door delivery) of its confirmed bookings (by order date)."
        ),
    ),
    "phone_complaint_share": (
        "Complaints by phone (%)",
        (
            "Complaints that came in by phone (channel Phone or Call Center), "
            "out of all complaints, x 100."
        ),
    ),
}


def kpi_help(code):
    label, formula = KPI_DEFINITIONS[code]
    return f"{label}: {formula}"


# ---------------------------------------------------------------------------
# Formulas. ``table`` is the alias of the table the row comes from.
# ---------------------------------------------------------------------------
def ratio(numerator, denominator):
    """100 x numerator / denominator, NULL without a denominator."""
    return SQL(
        "CASE WHEN %(d)s > 0 THEN 100.0 * %(n)s / %(d)s END",
        n=numerator,
        d=denominator,
    )


def growth(current, previous):
    """Change of ``current`` over ``previous``, in % of ``previous``."""
    return SQL(
        "CASE WHEN %(p)s > 0 THEN 100.0 * (%(c)s - %(p)s) / %(p)s END",
        c=current,
        p=previous,
    )


def on_time_value(table):
    """Per shipment: 100 delivered on time, 0 delivered late, else NULL."""
    return SQL(
        """CASE WHEN %(t)s.state != 'delivered' THEN NULL
                WHEN %(t)s.is_on_time THEN 100.0 ELSE 0.0 END""",
        t=SQL.identifier(table),
    )


def delay_value(table):
    """Per shipment: the delay in hours of a late delivery, else NULL."""
    return SQL(
        """CASE WHEN %(t)s.state = 'delivered' AND NOT %(t)s.is_on_time
                THEN %(t)s.delivery_delay_hours END""",
        t=SQL.identifier(table),
    )


def exception_value(exception_count):
    """Per shipment: its exceptions x 100 (the mean is the rate per 100)."""
    return SQL("100.0 * coalesce(%s, 0)", exception_count)


def margin_rate_value(margin, revenue):
    return ratio(margin, revenue)


def proactive_value(table):
    return SQL(
        "CASE WHEN %(t)s.channel = 'proactive' THEN 100.0 ELSE 0.0 END",
        t=SQL.identifier(table),
    )


def phone_complaint_value(table):
    """Per complaint: 100 came in by phone (a direct line or the call
    center), else 0."""
    return SQL(
        "CASE WHEN %(t)s.channel IN %(phone)s THEN 100.0 ELSE 0.0 END",
        t=SQL.identifier(table),
        phone=PHONE_COMPLAINT_CHANNELS,
    )


def sla_met_value(table):
    """Per SLA milestone: 100 met, 0 breached, NULL still open or cancelled."""
    return SQL(
        "CASE %(t)s.status WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0 END",
        t=SQL.identifier(table),
    )


def satisfaction_value(rating):
    """Per complaint, from its latest rating: 100 happy, 0 not, NULL unrated."""
    return SQL(
        """CASE WHEN %(r)s IS NULL THEN NULL
                WHEN %(r)s >= %(happy)s THEN 100.0 ELSE 0.0 END""",
        r=rating,
        happy=HAPPY_RATING,
    )


def dissatisfaction_value(rating):
    """Per complaint, from its latest rating: 100 unhappy, 0 not, NULL unrated."""
    return SQL(
        """CASE WHEN %(r)s IS NULL THEN NULL
                WHEN %(r)s <= %(unhappy)s THEN 100.0 ELSE 0.0 END""",
        r=rating,
        unhappy=UNHAPPY_RATING,
    )


def latest_complaint_rating(complaint, alias="rating"):
    """LEFT JOIN of the customer's latest rating of each complaint, as
    ``<alias>.rating``: the one rating a ticket counts by."""
    return SQL(
        """
        LEFT JOIN LATERAL (
                  SELECT r.rating FROM rating_rating r
                   WHERE r.res_model = 'logistics.complaint'
                     AND r.res_id = %(c)s.id AND r.consumed AND r.rating > 0
                   ORDER BY r.write_date DESC, r.id DESC
                   LIMIT 1
                  ) %(alias)s ON TRUE
        """,
        c=SQL.identifier(complaint),
        alias=SQL.identifier(alias),
    )


def complaints_by_customer(value, start, end, partner_ids=None):
    """Per customer: the complaints opened in [start, end) (``complaints``)
    and the mean of ``value``, a per-complaint formula over the latest rating
    joined as ``rating`` (``value``); for the customers given, or all."""
    return SQL(
        """
        SELECT complaint.partner_id, count(*) AS complaints,
               avg(%(value)s) AS value
          FROM logistics_complaint complaint
               %(latest_rating)s
         WHERE complaint.active %(partner_filter)s
           AND complaint.create_date >= %(start)s
           AND complaint.create_date < %(end)s
         GROUP BY complaint.partner_id
        """,
        value=value,
        latest_rating=latest_complaint_rating("complaint"),
        partner_filter=SQL("AND complaint.partner_id = ANY(%s)", list(partner_ids))
        if partner_ids is not None
        else SQL(),
        start=start,
        end=end,
    )


def shipment_exception_count(table):
    """The exceptions of a shipment, as a scalar subquery: PostgreSQL skips it
    when a report's query does not ask for the exception rate."""
    return SQL(
        """(SELECT count(*) FROM logistics_shipment_exception exception
             WHERE exception.shipment_id = %(t)s.id)""",
        t=SQL.identifier(table),
    )


def counted_shipment(table):
    """The shipments every KPI counts: active and not cancelled."""
    return SQL("%(t)s.active AND %(t)s.state != 'cancelled'", t=SQL.identifier(table))


def service_breadth_by_customer(start, end, partner_ids=None):
    """One row (partner_id, breadth, line_ids) per customer (of
    ``partner_ids``, else all) that used a service line in [start, end):
    the mode of each counted shipment, the logistics service of each
    confirmed booking line that is a value-added service line, counted
    once per active service line."""
    return SQL(
        """SELECT used.partner_id, count(DISTINCT line.id) AS breadth,
                  array_agg(DISTINCT line.id ORDER BY line.id) AS line_ids
             FROM (SELECT shipment.partner_id, shipment.mode AS code
                     FROM logistics_shipment shipment
                    WHERE %(shipment_partners)s
                      AND shipment.promised_date >= %(start)s
                      AND shipment.promised_date < %(end)s
                      AND %(counted)s
                UNION ALL
                   SELECT customer.commercial_partner_id, template.logistics_service
                     FROM sale_order booking
                     JOIN res_partner customer ON customer.id = booking.partner_id
                     JOIN sale_order_line line ON line.order_id = booking.id
                     JOIN product_product product ON product.id = line.product_id
                     JOIN product_template template
                       ON template.id = product.product_tmpl_id
                    WHERE booking.state = 'sale'
                      AND %(booking_partners)s
                      AND booking.date_order >= %(start)s
                      AND booking.date_order < %(end)s
                      AND template.logistics_service IN %(services)s) used
             JOIN logistics_service_line line ON line.code = used.code AND line.active
         GROUP BY used.partner_id""",
        shipment_partners=_partner_filter(SQL("shipment.partner_id"), partner_ids),
        booking_partners=_partner_filter(
            SQL("customer.commercial_partner_id"), partner_ids
        ),
        start=start,
        end=end,
        counted=counted_shipment("shipment"),
        services=VALUE_ADDED_SERVICE_LINES,
    )


def _partner_filter(column, partner_ids):
    if partner_ids is None:
        return SQL("TRUE")
    return SQL("%s = ANY(%s)", column, list(partner_ids))


def profit_contribution_value(table, invoiced):
    """Per shipment: ``invoiced`` (what its posted invoice lines charge, NULL
    when none) minus its cost; without a booking, its recorded margin; booked
    but not invoiced yet, 0."""
    return SQL(
        """CASE WHEN %(invoiced)s IS NOT NULL
                THEN %(invoiced)s - coalesce(%(t)s.cost, 0)
                WHEN %(t)s.sale_order_id IS NULL THEN coalesce(%(t)s.margin, 0)
                ELSE 0 END""",
        invoiced=invoiced,
        t=SQL.identifier(table),
    )


def shipment_invoiced_amount(table):
    """What the posted customer invoices and refunds charge for a shipment,
    in the company's currency (NULL when none), as a scalar subquery."""
    return SQL(
        """(SELECT sum(-aml.balance)
              FROM sale_order_line sol
              JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
              JOIN account_move_line aml ON aml.id = rel.invoice_line_id
              JOIN account_move move ON move.id = aml.move_id
             WHERE sol.logistics_shipment_id = %(t)s.id
               AND move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund'))""",
        t=SQL.identifier(table),
    )


@contextmanager
def planned_without_jit(cr):
    """Run the customer aggregates without PostgreSQL's JIT compilation.

    Their plan counts the invoice lookup of ``shipment_invoiced_amount`` as
    run for every shipment, which puts any customer batch above
    ``jit_above_cost``: compiling and inlining then took 0.8 s at 500
    customers for a query that runs in 40 ms, and more at every batch. The
    setting returns to the session's own when the block ends (an error
    rolls it back with the transaction).
    """
    cr.execute(SQL("SET LOCAL jit = off"))
    yield
    cr.execute(SQL("SET LOCAL jit TO DEFAULT"))


def days_paid_late_value(due, paid, until):
    """Per invoice: days from ``due`` to ``paid`` (or ``until`` while unpaid),
    0 when paid on time."""
    return SQL(
        "GREATEST(coalesce(%(paid)s, %(until)s) - %(due)s, 0)",
        due=due,
        paid=paid,
        until=until,
    )


def late_payment_value(due, paid, until):
    """Per invoice: 100 paid late or unpaid past its due date, else 0."""
    return SQL(
        "CASE WHEN coalesce(%(paid)s, %(until)s) > %(due)s THEN 100.0 ELSE 0.0 END",
        due=due,
        paid=paid,
        until=until,
    )


def invoice_payment_dates(partner_ids, start, end):
    """Customer invoices due in [start, end) of the customers given (or all):
    their commercial partner, due date and the date they were fully paid (the
    latest reconciliation of their receivable, NULL while not paid)."""
    return SQL(
        """
        SELECT move.commercial_partner_id AS partner_id,
               move.invoice_date_due AS due,
               CASE WHEN move.payment_state IN ('paid', 'in_payment') THEN (
                    SELECT max(apr.max_date)
                      FROM account_move_line line
                      JOIN account_account account ON account.id = line.account_id
                      JOIN account_partial_reconcile apr ON apr.debit_move_id = line.id
                     WHERE line.move_id = move.id
                       AND account.account_type = 'asset_receivable'
               ) END AS paid
          FROM account_move move
         WHERE move.move_type = 'out_invoice' AND move.state = 'posted'
           %(partner_filter)s
           AND move.invoice_date_due >= %(start)s AND move.invoice_date_due < %(end)s
        """,
        partner_filter=SQL(
            "AND move.commercial_partner_id = ANY(%s)", list(partner_ids)
        )
        if partner_ids is not None
        else SQL(),
        start=start,
        end=end,
    )


def booked_order(order):
    """A booking that counts as booked: a confirmed sale order."""
    return SQL("%(o)s.state = 'sale'", o=SQL.identifier(order))


def conversion_value(order):
    """Per sent quote, from its booking ``order`` (LEFT JOINed): 100 booked,
    0 not (yet)."""
    return SQL(
        "CASE WHEN %(booked)s THEN 100.0 ELSE 0.0 END", booked=booked_order(order)
    )


def days_to_booking_value(date_sent, order):
    """Per sent quote: days from ``date_sent`` to its booking's confirmation
    (``order.date_order``, which confirming sets), NULL while not booked."""
    return SQL(
        """CASE WHEN %(booked)s
                THEN extract(epoch FROM %(o)s.date_order - %(sent)s) / 86400.0
           END""",
        booked=booked_order(order),
        o=SQL.identifier(order),
        sent=date_sent,
    )


def campaign_roi_value(revenue, cost):
    """Per campaign: what its revenue returns over its cost, in % of the
    cost, NULL without a cost."""
    return growth(revenue, cost)


def weighted_forecast_value(lead, share):
    """Per open opportunity, or the ``share`` (0 to 1) of it a lane carries:
    crm's prorated revenue, expected revenue x probability / 100."""
    return SQL(
        "%(l)s.prorated_revenue * %(share)s", l=SQL.identifier(lead), share=share
    )


def win_value(lead):
    """Per lead: 100 won, 0 lost, NULL while open."""
    return SQL(
        """CASE %(l)s.won_status WHEN 'won' THEN 100.0
                                  WHEN 'lost' THEN 0.0 END""",
        l=SQL.identifier(lead),
    )


def sales_cycle_value(lead):
    """Per lead: crm's whole days from creation to closing, for won leads
    only (NULL otherwise)."""
    return SQL(
        "CASE WHEN %(l)s.won_status = 'won' THEN %(l)s.day_close END",
        l=SQL.identifier(lead),
    )


PROMOTER_SCORE = 9
DETRACTOR_SCORE = 6


def nps_value(score):
    """Per answer of 0 to 10: 100 a promoter, -100 a detractor, 0 a passive,
    so that the mean is the Net Promoter Score."""
    return SQL(
        """CASE WHEN %(s)s >= %(promoter)s THEN 100.0
                WHEN %(s)s <= %(detractor)s THEN -100.0
                WHEN %(s)s IS NOT NULL THEN 0.0 END""",
        s=score,
        promoter=PROMOTER_SCORE,
        detractor=DETRACTOR_SCORE,
    )


def survey_service_score(results, where=None):
    """The mean service score (1-5) of the relationship survey's result rows
    ``results`` (an aggregate): every dimension score of every answer
    pooled, so that one answer scoring six services weighs more than one
    scoring a single service; NULL without a scored service. ``where``
    restricts the rows aggregated."""
    rows = SQL(" FILTER (WHERE %s)", where) if where is not None else SQL()
    total = SQL(" + ").join(
        SQL("coalesce(%s, 0)", SQL.identifier(results, name))
        for name in SURVEY_SCORE_DIMENSIONS
    )
    answered = SQL(" + ").join(
        SQL("(%s IS NOT NULL)::int", SQL.identifier(results, name))
        for name in SURVEY_SCORE_DIMENSIONS
    )
    return SQL(
        "(sum(%(total)s)%(rows)s)::float / nullif(sum(%(answered)s)%(rows)s, 0)",
        total=total,
        answered=answered,
        rows=rows,
    )


def follow_up_in_time_value(answer, days):
    """Per survey answer: 100 followed up within ``days`` working days, 0
    later or still open, NULL when it asked for no follow-up."""
    return SQL(
        """CASE WHEN %(a)s.logistics_follow_up_state IS NULL THEN NULL
                WHEN %(a)s.logistics_follow_up_state = 'done'
                     AND %(a)s.logistics_follow_up_days <= %(days)s THEN 100.0
                ELSE 0.0 END""",
        a=SQL.identifier(answer),
        days=days,
    )


def quote_response_met_value(table):
    """Per quote request: 100 answered in time, 0 late or overdue, NULL
    while its clock still runs or was stopped by a cancellation."""
    return SQL(
        """CASE %(t)s.response_status WHEN 'met' THEN 100.0
                WHEN 'breached' THEN 0.0 END""",
        t=SQL.identifier(table),
    )


def quote_response_hours_value(table):
    """Per quote request: the working hours to its firm quote, NULL while
    unanswered."""
    return SQL(
        "CASE WHEN %(t)s.response_date IS NOT NULL THEN %(t)s.response_hours END",
        t=SQL.identifier(table),
    )


def held_call(table):
    """The calls every call KPI counts: active and held (status done)."""
    return SQL("%(t)s.active AND %(t)s.state = 'done'", t=SQL.identifier(table))


def call_held_value(table):
    """Per call: 1 held, else 0 (the sum is the calls held)."""
    return SQL("CASE WHEN %(held)s THEN 1 ELSE 0 END", held=held_call(table))


def fcr_value(table):
    """Per call: 100 a held inbound call resolved at first contact, 0 a held
    inbound call that was not, NULL any other call."""
    return SQL(
        """CASE WHEN NOT (%(held)s) OR %(t)s.direction != 'in' THEN NULL
                WHEN %(t)s.first_contact_resolved THEN 100.0 ELSE 0.0 END""",
        held=held_call(table),
        t=SQL.identifier(table),
    )


def handling_minutes_value(table):
    """Per call: the minutes a held call lasted, NULL for any other call."""
    return SQL(
        "CASE WHEN %(held)s THEN coalesce(%(t)s.duration, 0) END",
        held=held_call(table),
        t=SQL.identifier(table),
    )
