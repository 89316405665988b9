"""Helpers for the project's shell scripts: checks, database chores, test totals.

Kept in Python because the logic (version checks, socket probes, parsing JUnit
XML) reads better here than in shell; every sub-command prints at most one line.
"""

import argparse
import json
import os
import socket
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

REQUIRED_SERIE = "19.0"


def cmd_check_odoo(_args):
    try:
        import odoo.release  # noqa: PLC0415
    except ImportError:
        sys.exit(
            "error: Odoo is missing: `python3 -c 'import odoo'` fails. Install Odoo "
            f"{REQUIRED_SERIE} Community into this python3 (README.rst, Prerequisites)."
        )
    if odoo.release.serie != REQUIRED_SERIE:
        sys.exit(
            f"error: Odoo {odoo.release.version} is installed, these addons need "
            f"Odoo {REQUIRED_SERIE}."
        )


def cmd_addons_path(_args):
    """Print Odoo's own addons folder(s), ODOO_ADDONS_PATH winning."""
    configured = os.environ.get("ODOO_ADDONS_PATH")
    if configured:
        missing = [p for p in configured.split(",") if not Path(p).is_dir()]
        if missing:
            sys.exit(f"error: ODOO_ADDONS_PATH names missing folders: {missing}")
        print(configured)
        return
    import odoo  # noqa: PLC0415

    # A source install keeps the standard addons in addons/ beside the package.
    for package_dir in odoo.__path__:
        candidate = Path(package_dir).resolve().parent / "addons"
        if (candidate / "web" / "__manifest__.py").is_file():
            print(candidate)
            return
    sys.exit(
        "error: Odoo's addons folder (the one holding web/, crm/, portal/) was not "
        "found beside the odoo package: set ODOO_ADDONS_PATH to it."
    )


def cmd_port_free(args):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((args.host, args.port))
        except OSError:
            sys.exit(
                f"error: port {args.port} on {args.host} is taken: stop what uses it "
                f"or choose another port with {args.variable}."
            )


def _connect(dbname="postgres"):
    import psycopg2  # noqa: PLC0415

    params = {
        "dbname": dbname,
        "host": os.environ["LCRM_DB_HOST"],
        "port": os.environ["LCRM_DB_PORT"],
        "user": os.environ["LCRM_DB_USER"],
    }
    if os.environ.get("LCRM_DB_PASSWORD"):
        params["password"] = os.environ["LCRM_DB_PASSWORD"]
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    return conn


def cmd_db_exists(args):
    with _connect() as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (args.name,))
        sys.exit(0 if cr.fetchone() else 1)


def cmd_drop_db(args):
    conn = _connect()
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (args.name,),
            )
            cr.execute(f'DROP DATABASE IF EXISTS "{args.name}"')
    finally:
        conn.close()


def _row_counts(dbname):
    """Rows of every table the addons own, and of the history they feed."""
    with _connect(dbname) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND (tablename LIKE 'logistics\\_%%' OR tablename IN"
            " ('res_partner', 'mail_message', 'mail_tracking_value',"
            " 'rating_rating')) ORDER BY tablename"
        )
        counts = {}
        for (table,) in cr.fetchall():
            cr.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cr.fetchone()[0]
    return counts


def cmd_row_counts(args):
    Path(args.output).write_text(json.dumps(_row_counts(args.name), indent=1))


def cmd_same_rows(args):
    """Exit 1, naming the tables, when rows appeared or vanished."""
    before = json.loads(Path(args.before).read_text())
    after = _row_counts(args.name)
    changed = {
        table: (before.get(table), after.get(table))
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    }
    if changed:
        sys.exit(f"error: rows changed (before, after): {changed}")
    print(f"{len(after)} tables, {sum(after.values())} rows kept")


def _odoo_totals(path):
    data = json.loads(Path(path).read_text()) if Path(path).is_file() else None
    if data is None:
        # Odoo died before its test report existed: count it as one failure.
        return 0, 1, 0
    failed = data["failures"] + data["errors"]
    skipped = data["skipped"]
    return data["run"] - failed - skipped, failed, skipped


def _junit_totals(path):
    if not Path(path).is_file():
        return 0, 1, 0
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    run = failed = skipped = 0
    for suite in suites:
        run += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return run - failed - skipped, failed, skipped


def cmd_summary(args):
    passed = failed = skipped = 0
    totals = [_odoo_totals(path) for path in args.odoo] + [_junit_totals(args.junit)]
    for p, f, s in totals:
        passed, failed, skipped = passed + p, failed + f, skipped + s
    for check in args.check:
        _name, status = check.rsplit("=", 1)
        if status == "0":
            passed += 1
        else:
            failed += 1
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check-odoo").set_defaults(func=cmd_check_odoo)
    sub.add_parser("addons-path").set_defaults(func=cmd_addons_path)
    port = sub.add_parser("port-free")
    port.add_argument("port", type=int)
    port.add_argument("--host", default="127.0.0.1")
    port.add_argument("--variable", default="LCRM_HTTP_PORT")
    port.set_defaults(func=cmd_port_free)
    for name, func in (("db-exists", cmd_db_exists), ("drop-db", cmd_drop_db)):
        db = sub.add_parser(name)
        db.add_argument("name")
        db.set_defaults(func=func)
    rows = sub.add_parser("row-counts")
    rows.add_argument("name")
    rows.add_argument("output")
    rows.set_defaults(func=cmd_row_counts)
    same = sub.add_parser("same-rows")
    same.add_argument("name")
    same.add_argument("before")
    same.set_defaults(func=cmd_same_rows)
    summary = sub.add_parser("summary")
    summary.add_argument("--odoo", action="append", required=True)
    summary.add_argument("--junit", required=True)
    summary.add_argument("--check", action="append", default=[])
    summary.set_defaults(func=cmd_summary)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
