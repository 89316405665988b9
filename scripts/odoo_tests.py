"""Run Odoo's server command and write its test report's totals as JSON.

Odoo logs failures but no final count; the totals live in the registry's
assertion report once the post-install tests ran, so read them from there.
Usage: python3 odoo_tests.py REPORT.json <odoo server arguments>
"""

import json
import sys
from pathlib import Path

import odoo.service.server as odoo_server
from odoo.cli.command import main as odoo_main
from odoo.modules.registry import Registry

report_path = Path(sys.argv.pop(1))
_preload_registries = odoo_server.preload_registries


def preload_and_report(dbnames):
    rc = _preload_registries(dbnames)
    totals = {"run": 0, "failures": 0, "errors": 0, "skipped": 0}
    for dbname in dbnames:
        try:
            report = Registry.registries[dbname]._assertion_report
        except KeyError:  # the registry never loaded: the install itself failed
            totals["errors"] += 1
            continue
        totals["run"] += report.testsRun
        totals["failures"] += report.failures_count
        totals["errors"] += report.errors_count
        totals["skipped"] += report.skipped
    report_path.write_text(json.dumps(totals))
    return rc


odoo_server.preload_registries = preload_and_report
odoo_main()
