from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Strategic and key customers get their firm quote within 4 working
    hours. The tiers are noupdate data, so the upgrade leaves their new
    target at the field's default (a working day) without this."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in ("service_tier_strategic", "service_tier_key"):
        tier = env.ref(f"logistics_crm.{xmlid}", raise_if_not_found=False)
        if tier:
            tier.quote_response_hours = 4.0
