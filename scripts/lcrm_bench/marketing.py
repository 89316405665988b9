"""Customer segments at scale: the live count of a segment, through the
addon's domain, beside raw SQL counting the same customers."""

import time

from dateutil.relativedelta import relativedelta

from odoo import Command, fields

from odoo.addons.logistics_crm.models.logistics_selections import CUSTOMER_DOMAIN

from .harness import Result, compare

BUDGET_MS = 200.0
CUSTOMER_SQL = "p.active AND p.is_company AND p.logistics_carrier_type IS NULL"


def _lines(env, *codes):
    return env["logistics.service.line"].search([("code", "in", codes)]).ids


def _segments(env):
    """(name, segment values, raw SQL count, its parameters) of segments
    reading each kind of criterion: stored facts, service lines, lanes."""
    sea = _lines(env, "sea_fcl", "sea_lcl")
    air = _lines(env, "air")
    rail = _lines(env, "rail")
    china = env.ref("base.cn").id
    since = fields.Date.context_today(env.user) - relativedelta(months=3)
    return [
        (
            "uses sea, 10+ shipments",
            {"uses_service_line_ids": [Command.set(sea)], "shipments_min": 10},
            f"""SELECT count(*) FROM res_partner p
                 WHERE {CUSTOMER_SQL} AND p.logistics_shipments_12m >= 10
                   AND EXISTS (SELECT 1 FROM logistics_partner_service_line_rel r
                                WHERE r.partner_id = p.id AND r.line_id = ANY(%s))""",
            (sea,),
        ),
        (
            "ships only by air",
            {"only_service_line_ids": [Command.set(air)]},
            f"""SELECT count(*) FROM res_partner p
                 WHERE {CUSTOMER_SQL}
                   AND EXISTS (SELECT 1 FROM logistics_partner_service_line_rel r
                                WHERE r.partner_id = p.id)
                   AND NOT EXISTS (SELECT 1 FROM logistics_partner_service_line_rel r
                                    WHERE r.partner_id = p.id
                                      AND NOT r.line_id = ANY(%s))""",
            (air,),
        ),
        (
            "breadth 3+, revenue 50k+",
            {"service_breadth_min": 3, "revenue_min": 50_000.0},
            f"""SELECT count(*) FROM res_partner p
                 WHERE {CUSTOMER_SQL} AND p.logistics_service_breadth >= 3
                   AND p.logistics_revenue_12m >= 50000""",
            (),
        ),
        (
            "quiet for 3 months",
            {"months_without_shipment": 3},
            f"""SELECT count(*) FROM res_partner p
                 WHERE {CUSTOMER_SQL}
                   AND (p.logistics_last_shipment_date IS NULL
                        OR p.logistics_last_shipment_date < %s)""",
            (since,),
        ),
        (
            "rail lanes from China",
            {
                "lane_origin_country_ids": [Command.set([china])],
                "lane_mode_ids": [Command.set(rail)],
            },
            f"""SELECT count(*) FROM res_partner p
                 WHERE {CUSTOMER_SQL}
                   AND EXISTS (SELECT 1 FROM logistics_lane l
                                WHERE l.partner_id = p.id AND l.active
                                  AND l.origin_country_id = %s
                                  AND l.mode = 'rail')""",
            (china,),
        ),
    ]


def op_segment_count(env, runs, large_scale):
    """The customers' segment facts refreshed once (the daily job), then each
    segment's live count: under 200 ms at ``large``, beside raw SQL."""
    customers = env["res.partner"].search(CUSTOMER_DOMAIN, order="id")
    start = time.perf_counter()
    env["logistics.customer.facts"]._refresh_facts(customers)
    env.flush_all()
    refresh_seconds = time.perf_counter() - start
    env.cr.execute(
        "ANALYZE res_partner, logistics_partner_service_line_rel,"
        " logistics_partner_peer_service_line_rel"
    )
    results = []
    for name, values, raw, params in _segments(env):
        segment = env["logistics.segment"].create({"name": name, **values})
        domain = segment._customer_domain()
        counted = {}

        def orm(domain=domain, counted=counted):
            counted["orm"] = env["res.partner"].search_count(domain)

        def sql(raw=raw, params=params, counted=counted):
            env.cr.execute(raw, params)
            counted["sql"] = env.cr.fetchone()[0]

        result = Result(
            f"segment count: {name}",
            *compare(env, orm, sql, runs),
            f"< {BUDGET_MS:.0f} ms",
        )
        result.notes.update(
            customers=counted["orm"],
            raw_sql_agrees=counted["orm"] == counted["sql"],
            large=large_scale,
        )
        if not results:
            result.notes["facts_refresh_s"] = round(refresh_seconds, 1)
            result.notes["customers_refreshed"] = len(customers)
        misses = []
        if result.orm.median * 1000 >= BUDGET_MS:
            misses.append(f"{result.orm.median * 1000:.0f} ms")
        if counted["orm"] != counted["sql"]:
            misses.append("raw SQL disagrees")
        result.judge(misses)
        results.append(result)
    return results
