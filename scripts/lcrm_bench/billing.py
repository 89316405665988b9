"""Benchmark operations of quote to cash: the monthly settlement of the
monthly-settlement customers and the statement of account of the largest
one, through the addons next to a raw SQL reading of the same rows."""

import time
import tracemalloc
from datetime import datetime
from datetime import time as day_time

from dateutil.relativedelta import relativedelta

from odoo import Command

from .harness import Figure, Result, rolled_back

# One customer in ten settles monthly (月结), as most key accounts do.
MONTHLY_SHARE = 10
SETTLEMENT_BUDGET_S = 600
STATEMENT_BUDGET_S = 30


def _timed(env, func):
    figure = Figure()
    before = env.cr.sql_log_count
    begin = time.perf_counter()
    value = func()
    figure.times.append(time.perf_counter() - begin)
    figure.queries = env.cr.sql_log_count - before
    return figure, value


def _settlement_month(env):
    """The month that closed last: the one the job invoices on the 1st."""
    return datetime.now().date().replace(day=1) - relativedelta(months=1)


def _book_month(env, month):
    """Give one customer in ten the monthly policy, and its shipments
    promised in ``month`` what a booking would have left: a confirmed
    sale.order per customer with a line per shipment, the shipment linked to
    its line and delivered in the month. Returns (customers, shipments)."""
    end = month + relativedelta(months=1)
    env.cr.execute(
        """
        SELECT s.id, s.partner_id, s.mode, s.revenue, s.promised_date
          FROM logistics_shipment s
          JOIN res_partner p ON p.id = s.partner_id
         WHERE p.name LIKE 'Bench Customer %%' AND p.id %% %s = 0
           AND s.active AND s.state != 'cancelled'
           AND s.promised_date >= %s AND s.promised_date < %s
         ORDER BY s.partner_id, s.id
        """,
        (MONTHLY_SHARE, month, end),
    )
    rows = env.cr.fetchall()
    products = env["product.template"]._logistics_service_products()
    by_customer = {}
    for shipment_id, partner_id, mode, revenue, _promised in rows:
        product = products.get(f"freight_{mode or 'multimodal'}")
        by_customer.setdefault(partner_id, []).append(
            (shipment_id, product.id, float(revenue or 0.0))
        )
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner_id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product_id,
                            "product_uom_qty": 1,
                            "price_unit": revenue,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for _shipment, product_id, revenue in lines
                ],
            }
            for partner_id, lines in by_customer.items()
        ]
    )
    env.flush_all()
    pairs = [
        (line.id, shipment_id)
        for order, lines in zip(orders, by_customer.values(), strict=True)
        for line, (shipment_id, _product, _revenue) in zip(
            order.order_line, lines, strict=True
        )
    ]
    env.cr.execute(
        "UPDATE sale_order SET state = 'sale' WHERE id = ANY(%s)", (orders.ids,)
    )
    env.cr.execute(
        """
        UPDATE sale_order_line line SET logistics_shipment_id = pair.shipment
          FROM unnest(%s::int[], %s::int[]) AS pair(line, shipment)
         WHERE line.id = pair.line
        """,
        ([line for line, _s in pairs], [shipment for _l, shipment in pairs]),
    )
    env.cr.execute(
        """
        UPDATE logistics_shipment s
           SET sale_order_id = line.order_id, state = 'delivered',
               actual_delivery_date = LEAST(s.promised_date, %s), invoice_id = NULL
          FROM sale_order_line line
         WHERE line.logistics_shipment_id = s.id AND line.order_id = ANY(%s)
        """,
        (datetime.combine(end, day_time.min) - relativedelta(hours=1), orders.ids),
    )
    env.cr.execute(
        "UPDATE res_partner SET logistics_invoicing_policy = 'monthly'"
        " WHERE id = ANY(%s)",
        (list(by_customer),),
    )
    env.invalidate_all()
    return len(by_customer), len(rows)


def op_monthly_settlement(env, large_scale):
    """The month's invoicing of every monthly-settlement customer (one in ten,
    its month of shipments booked) through the settlement job: invoices
    built, posted, shipments linked, statements created; next to the raw SQL
    that reads the same rows to invoice. Then the statement of account of the
    customer with the most shipments: its Excel file and its HTML (the QWeb
    half of the PDF), with the peak memory of the Excel file. All rolled
    back."""
    month = _settlement_month(env)
    with rolled_back(env):
        customers, shipments = _book_month(env, month)
        invoicing = env["logistics.invoicing"]
        orm, invoices = _timed(env, lambda: invoicing._cron_monthly_settlement(month))
        sql, _rows = _timed(env, lambda: _raw_settlement_rows(env, month))
        statement = env["logistics.statement"].search(
            [("invoice_id", "in", invoices.ids)]
        )
        largest = max(statement, key=lambda s: s.shipment_count, default=statement)
        statement_figures = _statement_figures(env, largest) if largest else {}
    per_shipment = orm.queries / shipments if shipments else 0.0
    result = Result(
        f"Monthly settlement, {customers} customers",
        orm,
        sql,
        # "No query per shipment" is the unit test's (the same queries for a
        # customer's month of 3 or 12 shipments); here, queries per invoice.
        f"under {SETTLEMENT_BUDGET_S} s",
    )
    result.notes.update(
        month=str(month),
        shipments=shipments,
        invoices=len(invoices),
        queries_per_shipment=round(per_shipment, 3),
        queries_per_invoice=round(orm.queries / len(invoices), 1) if invoices else 0.0,
        **statement_figures,
    )
    misses = []
    if orm.median > SETTLEMENT_BUDGET_S:
        misses.append(f"over {SETTLEMENT_BUDGET_S} s")
    if statement_figures and statement_figures["statement_s"] > STATEMENT_BUDGET_S:
        misses.append(f"statement over {STATEMENT_BUDGET_S} s")
    result.judge(misses)
    return result


def _raw_settlement_rows(env, month):
    env.cr.execute(
        """
        SELECT s.partner_id, count(*), sum(line.price_subtotal)
          FROM logistics_shipment s
          JOIN res_partner p ON p.id = s.partner_id
          JOIN sale_order_line line ON line.logistics_shipment_id = s.id
         WHERE p.logistics_invoicing_policy = 'monthly' AND s.state = 'delivered'
           AND s.actual_delivery_date < %s
         GROUP BY s.partner_id
        """,
        (month + relativedelta(months=1),),
    )
    return env.cr.fetchall()


def _statement_figures(env, statement):
    """Seconds of the statement's Excel file and HTML, and the Excel file's
    peak Python memory."""
    workbook = env["logistics.statement.workbook"]
    report = env["ir.actions.report"]
    begin = time.perf_counter()
    workbook._build(statement)
    xlsx_s = time.perf_counter() - begin
    begin = time.perf_counter()
    report._render_qweb_html(
        "logistics_crm.logistics_statement_report_action", statement.ids
    )
    html_s = time.perf_counter() - begin
    tracemalloc.start()
    workbook._build(statement)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "statement_shipments": statement.shipment_count,
        "statement_xlsx_s": round(xlsx_s, 2),
        "statement_html_s": round(html_s, 2),
        "statement_s": round(xlsx_s + html_s, 2),
        "statement_xlsx_peak_mb": round(peak / 2**20, 1),
    }
