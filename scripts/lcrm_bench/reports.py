"""The SQL-view reports' default pivots: every report model of the addons
that has a pivot view, grouped as that view opens (each level of its rows
crossed with each level of its columns, as the pivot asks them), through
the ORM's grouped read beside the same groupings written in raw SQL over
the report's own query, over the bench's shipments and what
report_data loads for the other reports (rolled back after)."""

import re

from lxml import etree

from odoo.tools import SQL

from .harness import Result, compare, rolled_back
from .report_data import load_report_data

RATIO_BUDGET = 1.5
DATE_TYPES = ("date", "datetime")


def _report_models(env):
    """The addons' SQL-view models that ship a pivot view."""
    views = env["ir.ui.view"].search(
        [("type", "=", "pivot"), ("model", "like", "logistics.%")]
    )
    names = sorted(set(views.mapped("model")))
    return [name for name in names if not env[name]._auto]


def _pivot(env, name):
    """Rows, columns and measures of the model's default pivot view."""
    arch = env[name].get_views([(False, "pivot")])["views"]["pivot"]["arch"]
    rows, cols, measures = [], [], []
    for node in etree.fromstring(arch).iter("field"):
        kind, fname = node.get("type"), node.get("name")
        if kind == "measure":
            measures.append(fname)
        elif kind in ("row", "col"):
            field = env[name]._fields[fname]
            spec = fname
            if field.type in DATE_TYPES:
                spec = f"{fname}:{node.get('interval') or 'month'}"
            (rows if kind == "row" else cols).append(spec)
    return rows, cols, measures


def _levels(rows, cols):
    """Each grouping the pivot reads: every level of the rows with every
    level of the columns (the totals are the empty levels)."""
    return [
        rows[:i] + cols[:j] for i in range(len(rows) + 1) for j in range(len(cols) + 1)
    ]


def _raw_query(model, groupby, measures):
    source = model._table_query
    source = SQL("(%s)", source if isinstance(source, SQL) else SQL(source))
    if not model._table_query:
        source = SQL.identifier(model._table)
    keys = []
    for spec in groupby:
        fname, _sep, interval = spec.partition(":")
        column = SQL.identifier("r", fname)
        keys.append(SQL("date_trunc(%s, %s)", interval, column) if interval else column)
    aggregates = [SQL("count(*)")]
    for fname in measures:
        aggregator = model._fields[fname].aggregator or "sum"
        column = SQL.identifier("r", fname)
        aggregates.append(
            SQL("count(DISTINCT %s)", column)
            if aggregator == "count_distinct"
            else SQL("%s(%s)", SQL(aggregator), column)
        )
    query = SQL("SELECT %s FROM %s AS r", SQL(", ").join(keys + aggregates), source)
    if keys:
        query = SQL("%s GROUP BY %s", query, SQL(", ").join(keys))
    return query


def _tables_read(model, loaded):
    """The loaded tables (and their rows) that the report's query reads."""
    source = model._table_query
    code = source.code if isinstance(source, SQL) else source
    return {
        table: rows
        for table, rows in loaded.items()
        if re.search(rf"\b{table}\b", code)
    }


def op_report_pivots(env, runs, large_scale):
    """One result per report: its default pivot, ORM beside raw SQL, within
    1.5x at ``large``. Besides the bench's shipments, every report reads
    realistic volumes, loaded in a savepoint rolled back after
    (report_data): at large 200,000 calls (crm_phonecall); 100,000 leads
    won, lost and open (crm_lead) with 1-3 lanes each (logistics_lane);
    about 100,000 quotes with their revisions (logistics_quote), a freight
    line per lane and most with a fuel surcharge (logistics_quote_line);
    the bookings of the accepted ones (sale_order, sale_order_line); a quote
    request per quote chain, answered in or beyond its target
    (logistics_quote_request); 500,000 survey answers with 7 lines each
    (survey_user_input, survey_user_input_line), the detractors' and
    passives' feedback themes (logistics_feedback_theme_answer_rel); a few
    salespeople, agents, teams, campaigns and tariffs; 100,000 complaints
    (logistics_complaint) with their two SLA milestones each
    (logistics_complaint_sla), the pauses of those waiting on the customer
    (logistics_complaint_pause) and the rating requests of the resolved
    ones, a third answered (rating_rating). At small a hundredth. Each
    result's notes give the rows loaded in the tables its report reads."""
    results = []
    with rolled_back(env):
        loaded = load_report_data(env, large_scale)
        for name in _report_models(env):
            results.append(_pivot_result(env, name, runs, large_scale, loaded))
    return results


def _pivot_result(env, name, runs, large_scale, loaded):
    """The report's default pivot, ORM beside raw SQL."""
    model = env[name]
    rows, cols, measures = _pivot(env, name)
    levels = _levels(rows, cols)
    aggregates = ["__count"] + [
        f"{fname}:{model._fields[fname].aggregator or 'sum'}" for fname in measures
    ]
    # The report reads what the ORM may still hold in memory.
    env.flush_all()

    def through_orm(model=model, levels=levels, aggregates=aggregates):
        return [model._read_group([], level, aggregates) for level in levels]

    queries = [_raw_query(model, level, measures) for level in levels]

    def raw_sql(queries=queries):
        groups = []
        for query in queries:
            env.cr.execute(query)
            groups.append(env.cr.fetchall())
        return groups

    orm, sql = compare(env, through_orm, raw_sql, runs)
    result = Result(
        f"report pivot {name}", orm, sql, f"ratio <= {RATIO_BUDGET} at large"
    )
    group_counts = [len(groups) for groups in through_orm()]
    result.notes.update(
        groupings=" / ".join(",".join(level) or "total" for level in levels),
        groups=group_counts,
        raw_sql_agrees=group_counts == [len(groups) for groups in raw_sql()],
    )
    tables = _tables_read(model, loaded)
    if tables:
        result.notes["loaded"] = tables
    misses = []
    if large_scale and result.ratio > RATIO_BUDGET:
        misses.append(f"ratio above {RATIO_BUDGET}")
    if not result.notes["raw_sql_agrees"]:
        misses.append("raw SQL finds other groups")
    result.judge(misses)
    return result
