"""Benchmark command: load a scale into its own database, then time each
operation through the addons and as raw SQL, in the same run.

Usage (through scripts/bench.sh): python3 -m lcrm_bench CONFIG DB SCALE
    [--seed N] [--runs N] (--output FILE | --load-only)
"""

import argparse
import json
import math
import os
import sys
import time
from contextlib import closing
from pathlib import Path

import psycopg2

import odoo
from odoo import SUPERUSER_ID, api, sql_db
from odoo.modules.registry import Registry
from odoo.tools import config

SCALE_NAMES = ("small", "large")
WARM_RUNS = 5
LOADED_PARAM = "logistics_crm.bench_loaded"


def vacuum(db):
    """VACUUM (ANALYZE) the database, outside any transaction. Every write
    operation rolls back, and the dead rows of the runs before slowed the
    next one: 9.6 s instead of 8.7 s for the first tier assignment at
    large, once res_partner held 700 000 of them."""
    _name, connection_info = sql_db.connection_info_for(db)
    with closing(psycopg2.connect(**connection_info)) as connection:
        connection.autocommit = True
        with connection.cursor() as cr:
            cr.execute("VACUUM (ANALYZE)")


def load_once(env, scale, seed):
    """Load the scale unless this database already holds it."""
    params = env["ir.config_parameter"]
    loaded = params.get_param(LOADED_PARAM)
    if loaded:
        return json.loads(loaded)
    from .loader import Loader  # noqa: PLC0415 (needs Odoo's addons path)

    start = time.perf_counter()
    stats = Loader(env, scale, seed).load()
    stats.update(scale=scale, seed=seed, seconds=round(time.perf_counter() - start, 1))
    params.set_param(LOADED_PARAM, json.dumps(stats))
    return stats


def machine(env):
    env.cr.execute("SHOW server_version")
    return {
        "cores": os.cpu_count(),
        "postgresql": env.cr.fetchone()[0],
        "odoo": odoo.release.version,
        "python": sys.version.split()[0],
    }


def table(results):
    header = (
        f"{'operation':46} {'addons median (min-max) ms':>28} {'q':>4} "
        f"{'raw SQL median ms':>18} {'q':>4} {'ratio':>6}  verdict"
    )
    lines = [header, "-" * len(header)]
    for result in results:
        orm, sql = result.orm, result.sql
        lines.append(
            f"{result.name:46} "
            f"{orm.median * 1000:>9.1f} ({min(orm.times) * 1000:.1f}-"
            f"{max(orm.times) * 1000:.1f})".ljust(75)
            + f" {orm.queries:>4} {sql.median * 1000:>18.1f} {sql.queries:>4} "
            f"{result.ratio:>6.2f}  {result.verdict} [{result.budget}]"
        )
        if result.notes:
            notes = ", ".join(f"{key}={value}" for key, value in result.notes.items())
            lines.append(f"{'':46}   {notes}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config")
    parser.add_argument("db")
    parser.add_argument("scale", choices=SCALE_NAMES)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=WARM_RUNS)
    parser.add_argument("--output", help="JSON file for the figures")
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="load the scale into the database and stop",
    )
    parser.add_argument(
        "--only",
        nargs="*",
        help="operations to run (e.g. portal_pages ingest); all by default",
    )
    args = parser.parse_args()
    if not (args.output or args.load_only):
        parser.error("--output is required unless --load-only")
    config.parse_config(["-c", args.config, "-d", args.db, "--log-level=warn"])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        stats = load_once(env, args.scale, args.seed)
        cr.commit()
        print(
            f"data ({args.scale}, seed {stats['seed']}, "
            f"loaded in {stats['seconds']} s): "
            f"{stats['customers']} customers, {stats.get('contacts', 0)} contacts, "
            f"{stats['lanes']} lanes, "
            f"{stats['shipments']} shipments, {stats['events']} tracking events, "
            f"{stats['exceptions']} exceptions"
        )
        if args.load_only:
            return
        vacuum(args.db)
        from .operations import run_all  # noqa: PLC0415

        results = run_all(
            env, large_scale=args.scale == "large", runs=args.runs, only=args.only
        )
        cr.rollback()
        report = {
            "machine": machine(env),
            "data": stats,
            "runs": args.runs,
            "operations": [result.as_dict() for result in results],
        }
    print(table(results))
    Path(args.output).write_text(json.dumps(report, indent=2, default=str))
    print(f"figures written to {args.output}")
    if not all(math.isfinite(result.ratio) for result in results):
        sys.exit("error: a ratio to raw SQL could not be computed")


if __name__ == "__main__":
    main()
