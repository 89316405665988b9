from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The customers' credit limits and payment terms move to Odoo's own
    fields (credit_limit, property_payment_term_id), which the bookings and
    invoices now use; the addon's copies are dropped."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["logistics.credit.control"]._migrate_legacy_credit()
