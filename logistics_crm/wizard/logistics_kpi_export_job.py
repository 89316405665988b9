from odoo import api, fields, models

JOB_CRON = "logistics_crm.ir_cron_kpi_export_jobs"


class LogisticsKpiExportJob(models.Model):
    """A large KPI export, built by a background job as the user who asked
    for it; the file reaches them as a message with the attachment."""

    _name = "logistics.kpi.export.job"
    _description = "KPI Excel Export Job"
    _inherit = ["mail.thread"]
    _order = "id desc"

    user_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        default=lambda self: self.env.user,
        index=True,
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    partner_ids = fields.Many2many(comodel_name="res.partner", string="Customers")
    include_shipments = fields.Boolean()
    state = fields.Selection(
        selection=[("queued", "Queued"), ("done", "Done"), ("failed", "Failed")],
        required=True,
        default="queued",
        index=True,
    )
    attachment_id = fields.Many2one(comodel_name="ir.attachment", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        jobs = super().create(vals_list)
        self.env.ref(JOB_CRON)._trigger()
        return jobs

    @api.model
    def _cron_run(self):
        for job in self.search([("state", "=", "queued")], order="id"):
            job._run()

    def _run(self):
        self.ensure_one()
        export = (
            self.env["logistics.kpi.export"]
            .with_user(self.user_id)
            .create(
                {
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "partner_ids": [(6, 0, self.partner_ids.ids)],
                    "include_shipments": self.include_shipments,
                }
            )
        )
        attachment = export._attach(export._default_filename(), self)
        self.write({"state": "done", "attachment_id": attachment.id})
        self.message_post(
            body=self.env._("Your KPI export is ready."),
            attachment_ids=attachment.ids,
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
