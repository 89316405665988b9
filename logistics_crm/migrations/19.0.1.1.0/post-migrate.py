from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The customers' credit limits and payment terms move to Odoo's own
    fields (credit_limit, property_payment_term_id), which the bookings and
    invoices now use; the addon's copies are dropped. Profit in the tier
    rules comes from the invoices."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["logistics.credit.control"]._migrate_legacy_credit()
    # The default profit rule weighs invoiced profit now; a rule changed by
    # hand is left as it is.
    rule = env.ref("logistics_crm.tier_rule_margin", raise_if_not_found=False)
    if rule and rule.metric == "margin_12m":
        rule.metric = "profit_contribution_12m"
