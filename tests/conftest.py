"""pytest-odoo suite: cross-module, security and performance checks.

Run through scripts/test.sh, which passes --odoo-config and --odoo-database.
"""
