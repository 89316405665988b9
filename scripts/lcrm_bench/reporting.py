"""The on-time KPI report and the 1 000 000-row Excel export."""

import io
import time
import tracemalloc
from datetime import datetime, timedelta

import xlsxwriter

from .harness import Figure, Result, compare, rolled_back


def op_kpi_on_time(env, runs):
    """The dashboard's on-time rate by tier x month, through the report
    model's read_group (what the pivot calls) vs the same raw SQL. Tiers are
    spread over the customers in a rolled-back savepoint first."""
    Report = env["logistics.shipment.report"]

    def through_orm():
        return Report._read_group(
            [("state", "=", "delivered")],
            ["tier_id", "date:month"],
            ["on_time_rate:avg"],
        )

    def raw_sql():
        env.cr.execute(
            """
            SELECT customer.tier_id,
                   date_trunc('month', shipment.promised_date),
                   avg(CASE WHEN shipment.is_on_time THEN 100.0 ELSE 0.0 END)
              FROM logistics_shipment shipment
              JOIN res_partner customer ON customer.id = shipment.partner_id
             WHERE shipment.active AND shipment.state = 'delivered'
             GROUP BY 1, 2
            """
        )
        return env.cr.fetchall()

    with rolled_back(env):
        env.cr.execute(
            """
            UPDATE res_partner partner
               SET tier_id = tier.id
              FROM (SELECT id, row_number() OVER (ORDER BY min_score) - 1 AS rank
                      FROM logistics_service_tier WHERE active) tier,
                   (SELECT count(*) AS n FROM logistics_service_tier
                     WHERE active) tiers
             WHERE partner.name LIKE 'Bench Customer %'
               AND tier.rank = partner.id % tiers.n
            """
        )
        env.invalidate_all()
        orm, sql = compare(env, through_orm, raw_sql, runs)
        groups = len(raw_sql())
    result = Result("on-time rate by tier x month (pivot)", orm, sql, "ratio <= 1.5")
    result.notes["groups"] = groups
    result.verdict = "OK" if result.ratio <= 1.5 else "MISS: ratio above 1.5"
    return result


def op_export(env, large_scale):
    """The KPI Excel export of the latest 1 000 000 shipments (every shipment
    at small scale): the wizard's workbook (definitions, dimension sheets and
    the streamed shipment rows) vs the same shipment rows written with
    xlsxwriter straight from a raw server-side cursor. One timed run each,
    the files being large; then a run under tracemalloc for the peak memory
    of the export."""
    target = 1_000_000 if large_scale else 20_000
    env.cr.execute(
        """
        SELECT promised_date FROM logistics_shipment
         WHERE active AND state != 'cancelled' AND promised_date IS NOT NULL
         ORDER BY promised_date DESC OFFSET %s LIMIT 1
        """,
        (target - 1,),
    )
    row = env.cr.fetchone()
    env.cr.execute("SELECT max(promised_date) FROM logistics_shipment")
    last = env.cr.fetchone()[0]
    start = row[0] if row else datetime(2000, 1, 1)
    wizard = env["logistics.kpi.export"].create(
        {
            "date_from": start.date(),
            "date_to": last.date(),
            "include_shipments": True,
        }
    )
    env.cr.execute(
        """
        SELECT count(*) FROM logistics_shipment
         WHERE active AND state != 'cancelled'
           AND promised_date >= %s AND promised_date < %s
        """,
        (start.date(), last.date() + timedelta(days=1)),
    )
    rows = env.cr.fetchone()[0]

    def raw_sql():
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
        sheet = book.add_worksheet("Shipments")
        moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        with env.cr._cnx.cursor(name="lcrm_bench_export") as stream:
            stream.itersize = 10000
            stream.execute(
                """
                SELECT s.name, s.promised_date, p.complete_name,
                       t.name->>'en_US', s.mode, s.state,
                       CASE WHEN s.state = 'delivered' THEN s.is_on_time END,
                       s.delivery_delay_hours, s.revenue
                  FROM logistics_shipment s
                  JOIN res_partner p ON p.id = s.partner_id
             LEFT JOIN logistics_service_tier t ON t.id = p.tier_id
                 WHERE s.active AND s.state != 'cancelled'
                   AND s.promised_date >= %s AND s.promised_date < %s
                 ORDER BY s.promised_date, s.id
                """,
                (start.date(), last.date() + timedelta(days=1)),
            )
            number = 0
            while chunk := stream.fetchmany(10000):
                for values in chunk:
                    number += 1
                    sheet.write_string(number, 0, values[0] or "")
                    if values[1]:
                        sheet.write_datetime(number, 1, values[1], moment)
                    sheet.write_string(number, 2, values[2] or "")
                    sheet.write_string(number, 3, values[3] or "")
                    sheet.write_string(number, 4, values[4] or "")
                    sheet.write_string(number, 5, values[5] or "")
                    if values[6] is not None:
                        sheet.write_boolean(number, 6, values[6])
                    if values[7] is not None:
                        sheet.write_number(number, 7, values[7])
                    sheet.write_number(number, 8, float(values[8] or 0))
        book.close()
        env.cr.sql_log_count += 1
        return buffer.getvalue()

    def timed(func):
        figure = Figure()
        before = env.cr.sql_log_count
        begin = time.perf_counter()
        func()
        figure.times.append(time.perf_counter() - begin)
        figure.queries = env.cr.sql_log_count - before
        return figure

    orm = timed(wizard._workbook)
    sql = timed(raw_sql)
    tracemalloc.start()
    wizard._workbook()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result = Result(
        f"Excel export, {rows} shipment rows",
        orm,
        sql,
        "ratio <= 1.5 and peak memory < 300 MB",
    )
    result.notes.update(rows=rows, peak_python_memory_mb=round(peak / 2**20, 1))
    misses = []
    if result.ratio > 1.5:
        misses.append("ratio above 1.5")
    if peak >= 300 * 2**20:
        misses.append("300 MB or more")
    result.judge(misses)
    return result
