"""The caller lookup as a phone system calls it, beside its raw SQL."""

import random
import statistics
import time

from .harness import Figure, Result
from .loader import bench_mobile, bench_switchboard
from .pricing import _percentile

LOOKUPS = 200
BUDGET_MS = 20.0
# How callers' numbers reach the lookup: whatever the phone system passes on.
MOBILE_FORMS = (
    lambda number: number,
    lambda number: number.replace("+86 ", "0086 "),
    lambda number: number.replace("+86 ", "").replace(" ", ""),
    lambda number: number.replace("+86 ", "").replace(" ", "-"),
)

RAW_LOOKUP = """
SELECT contact.id, contact.name, customer.id, customer.name,
       tier.name->>'en_US', manager.name,
       (SELECT json_agg(c ORDER BY c.sla_deadline, c.id)
          FROM (SELECT complaint.id, complaint.name, complaint.subject,
                       complaint.sla_status, complaint.sla_deadline
                  FROM logistics_complaint complaint
                 WHERE complaint.partner_id = customer.id
                   AND complaint.active AND NOT complaint.is_closed
                 ORDER BY complaint.sla_deadline, complaint.id LIMIT 10) c),
       (SELECT json_agg(s ORDER BY s.eta, s.id)
          FROM (SELECT shipment.id, shipment.name, shipment.state, shipment.eta
                  FROM logistics_shipment shipment
                 WHERE shipment.partner_id = customer.id AND shipment.active
                   AND shipment.state IN ('picked_up', 'in_transit', 'at_destination')
                 ORDER BY shipment.eta, shipment.id LIMIT 10) s)
  FROM res_partner contact
  JOIN res_partner customer ON customer.id = contact.commercial_partner_id
  LEFT JOIN logistics_service_tier tier ON tier.id = customer.tier_id
  LEFT JOIN res_users account_manager
         ON account_manager.id = customer.account_manager_id
  LEFT JOIN res_partner manager ON manager.id = account_manager.partner_id
 WHERE contact.active
   AND (contact.phone_e164 = %(number)s OR contact.mobile_e164 = %(number)s)
"""


def _numbers(env, count, seed):
    """Numbers of bench contacts in every form, a shared switchboard now and
    then, and unknown numbers: (as dialled, E.164)."""
    env.cr.execute(
        "SELECT count(*) FROM res_partner WHERE name LIKE 'Bench Contact %%'"
    )
    contacts = env.cr.fetchone()[0]
    env.cr.execute(
        "SELECT count(*) FROM res_partner WHERE name LIKE 'Bench Customer %%'"
    )
    customers = env.cr.fetchone()[0]
    rng = random.Random(seed)
    numbers = []
    for index in range(count):
        if index % 10 == 9:
            numbers.append(bench_switchboard(rng.randrange(customers)))
        elif index % 10 == 8:
            numbers.append(bench_mobile(contacts + rng.randrange(10_000)))
        else:
            form = MOBILE_FORMS[index % len(MOBILE_FORMS)]
            numbers.append(form(bench_mobile(rng.randrange(contacts))))
    return numbers


def op_caller_lookup(env, large_scale, lookups=LOOKUPS, seed=42):
    """``lookups`` calls of ``logistics.caller.lookup.lookup`` as a phone
    system makes them (a cold ORM cache each: every call is a request),
    p95 under 20 ms and the same number of queries for every caller found,
    beside one raw SQL query returning the same file."""
    Lookup = env["logistics.caller.lookup"]
    numbers = _numbers(env, lookups, seed)
    for number in numbers[:5]:
        Lookup.lookup(number)
    orm, sql = Figure(), Figure()
    queries, statuses = {}, {}
    agree = 0
    for number in numbers:
        env.invalidate_all()
        before = env.cr.sql_log_count
        start = time.perf_counter()
        answer = Lookup.lookup(number)
        orm.times.append(time.perf_counter() - start)
        status = answer["status"]
        statuses[status] = statuses.get(status, 0) + 1
        queries.setdefault(status, set()).add(env.cr.sql_log_count - before)
        before = env.cr.sql_log_count
        start = time.perf_counter()
        env.cr.execute(RAW_LOOKUP, {"number": answer.get("number")})
        rows = env.cr.fetchall()
        sql.times.append(time.perf_counter() - start)
        sql.queries = env.cr.sql_log_count - before
        if {row[0] for row in rows} == {
            match["contact"]["id"] for match in answer.get("matches", [])
        }:
            agree += 1
    orm.queries = max(max(counts) for counts in queries.values())
    env.cr.execute("EXPLAIN " + RAW_LOOKUP, {"number": Lookup._normalize(numbers[0])})
    plan = " ".join(row[0] for row in env.cr.fetchall())
    p95 = _percentile(orm.times, 0.95) * 1000
    constant = all(len(counts) == 1 for counts in queries.values())
    result = Result(
        f"caller lookup, {lookups} calls",
        orm,
        sql,
        f"p95 < {BUDGET_MS:.0f} ms, constant queries",
    )
    result.notes.update(
        orm_p50_ms=round(statistics.median(orm.times) * 1000, 2),
        orm_p95_ms=round(p95, 2),
        sql_p50_ms=round(statistics.median(sql.times) * 1000, 2),
        sql_p95_ms=round(_percentile(sql.times, 0.95) * 1000, 2),
        **{f"calls_{status}": count for status, count in statuses.items()},
        **{f"queries_{status}": sorted(counts) for status, counts in queries.items()},
        raw_sql_agrees=f"{agree}/{lookups}",
        e164_index_used="phone_e164_index" in plan or "mobile_e164_index" in plan,
        large=large_scale,
    )
    misses = []
    if p95 >= BUDGET_MS:
        misses.append(f"p95 {p95:.1f} ms")
    if not constant:
        misses.append("query count varies")
    if agree != lookups:
        misses.append("raw SQL disagrees")
    result.judge(misses)
    return result
