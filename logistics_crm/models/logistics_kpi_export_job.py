import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

JOB_CRON = "logistics_crm.ir_cron_kpi_export_jobs"


class LogisticsKpiExportJob(models.Model):
    """A large KPI export, built by a background job as the user who asked
    for it; the file, or why it could not be built, reaches them as a
    message. Also home of the monthly scorecard mailing, the other export
    that runs without anyone waiting for it."""

    _name = "logistics.kpi.export.job"
    _description = "KPI Excel Export Job"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_names_search = ["user_id"]

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
    error = fields.Text(readonly=True)

    @api.depends("user_id", "date_from", "date_to")
    def _compute_display_name(self):
        for job in self:
            job.display_name = self.env._(
                "%(user)s: %(start)s to %(end)s",
                user=job.user_id.name or "",
                start=job.date_from or "",
                end=job.date_to or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        jobs = super().create(vals_list)
        self.env.ref(JOB_CRON)._trigger()
        return jobs

    @api.model
    def _cron_run(self):
        """Every queued job, each in its own transaction: the progress is
        committed after each one, so a failing export neither rolls back
        nor holds up the others, and a run cut short by the cron's time
        budget resumes with the jobs left."""
        jobs = self.search([("state", "=", "queued")], order="id")
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(jobs))
        for job in jobs:
            job._run_isolated()
            if not cron._commit_progress(1):
                break

    def _run_isolated(self):
        """Run the job; on any error, undo its partial work and mark it
        failed: the cron must go on with the next job whatever went wrong
        in this one, hence the broad catch."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._run()
        except Exception as error:
            # A warning, not an error: the failure is handled and reported.
            _logger.warning("KPI export job %s failed", self.id, exc_info=True)
            self._fail(error)

    def _run(self):
        self.ensure_one()
        Workbook = self.env["logistics.kpi.workbook"].with_user(self.user_id)
        content = Workbook._build(**Workbook._request_options(self))
        attachment = Workbook._attach(
            self, Workbook._filename(self.date_from, self.date_to), content
        )
        self.write({"state": "done", "attachment_id": attachment.id})
        self._notify_requester(self.env._("Your KPI export is ready."), attachment.ids)

    def _fail(self, error):
        message = str(error) or type(error).__name__
        self.write({"state": "failed", "error": message})
        self._notify_requester(
            self.env._("Your KPI export failed: %(error)s", error=message)
        )

    def _notify_requester(self, body, attachment_ids=()):
        self.message_post(
            body=body,
            attachment_ids=list(attachment_ids),
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

    @api.model
    def _cron_send_scorecards(self):
        """Each Strategic and Key customer's last 12 months, as a workbook
        mailed to its account manager, built with the manager's own rights."""
        today = fields.Date.context_today(self)
        customers = self.env["res.partner"].search(
            [
                ("is_company", "=", True),
                ("tier_id.code", "in", ("strategic", "key")),
                ("account_manager_id", "!=", False),
            ]
        )
        Workbook = self.env["logistics.kpi.workbook"]
        mails = []
        for customer in customers:
            manager = customer.account_manager_id
            content = Workbook.with_user(manager)._build(
                date_from=today.replace(day=1) - relativedelta(months=12),
                date_to=today.replace(day=1) - relativedelta(days=1),
                partner_ids=customer.ids,
                include_shipments=False,
            )
            attachment = Workbook._attach(
                customer,
                self.env._("Scorecard %(customer)s.xlsx", customer=customer.name),
                content,
            )
            mails.append(
                {
                    "subject": self.env._(
                        "Monthly scorecard: %(customer)s", customer=customer.name
                    ),
                    "body_html": self.env._(
                        "The last 12 months of %(customer)s are attached.",
                        customer=customer.name,
                    ),
                    "recipient_ids": [(4, manager.partner_id.id)],
                    "attachment_ids": [(4, attachment.id)],
                    "model": "res.partner",
                    "res_id": customer.id,
                    "auto_delete": False,
                }
            )
        self.env["mail.mail"].sudo().create(mails)
