from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The monthly scorecard mailing moved from the export dialog, a
    transient model, to the export job model. Its cron is noupdate data, so
    the upgrade itself would leave it calling a method that is gone."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("logistics_crm.ir_cron_monthly_scorecards", raise_if_not_found=False)
    if cron:
        cron.model_id = env["ir.model"]._get("logistics.kpi.export.job")
