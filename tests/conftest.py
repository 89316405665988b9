"""pytest-odoo suite: cross-module, security and performance checks.

Run through scripts/test.sh, which passes --odoo-config and --odoo-database.
"""

import sys
from pathlib import Path

# The benchmark harness lives beside the scripts that run it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
