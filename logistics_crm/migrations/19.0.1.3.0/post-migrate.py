from odoo import SUPERUSER_ID, api

CONTACT_CADENCE_DAYS = {"service_tier_strategic": 30, "service_tier_key": 90}


def migrate(cr, version):
    """Strategic customers are to be in touch monthly, key ones quarterly.
    The tiers are noupdate data, so the upgrade leaves them without a
    cadence (the field's default) without this."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, days in CONTACT_CADENCE_DAYS.items():
        tier = env.ref(f"logistics_crm.{xmlid}", raise_if_not_found=False)
        if tier:
            tier.contact_cadence_days = days
