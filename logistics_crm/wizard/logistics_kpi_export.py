import base64

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..models.logistics_selections import CUSTOMER_FIELD_DOMAIN

BACKGROUND_ROWS = 200000


class LogisticsKpiExport(models.TransientModel):
    """The dialog of the KPI Excel export: the file comes straight back, or,
    for a period too large to wait for, from a background job. The workbook
    itself is built by ``logistics.kpi.workbook``."""

    _name = "logistics.kpi.export"
    _description = "KPI Excel Export"

    @api.model
    def _default_date_from(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(months=11)

    date_from = fields.Date(
        required=True, default=lambda self: self._default_date_from()
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Customers",
        domain=CUSTOMER_FIELD_DOMAIN,
        help="Empty: every customer you may see.",
    )
    include_shipments = fields.Boolean(string="Include Every Shipment", default=True)
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    def action_export(self):
        self.ensure_one()
        Workbook = self.env["logistics.kpi.workbook"]
        if self._too_big_to_wait():
            self.env["logistics.kpi.export.job"].create(Workbook._request_options(self))
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._(
                        "This export is large: it runs in the background and the "
                        "file will reach you in a message when it is ready."
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        self.write(
            {
                "file": base64.b64encode(self._workbook()),
                "filename": Workbook._filename(self.date_from, self.date_to),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file/{self.filename}"
            "?download=true",
            "target": "self",
        }

    def _workbook(self):
        self.ensure_one()
        Workbook = self.env["logistics.kpi.workbook"]
        return Workbook._build(**Workbook._request_options(self))

    def _too_big_to_wait(self):
        """Beyond this many shipment rows, building the file would hold an
        HTTP worker too long: it goes to a background job."""
        if not self.include_shipments:
            return False
        limit = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("logistics_crm.export_background_rows", BACKGROUND_ROWS)
        )
        domain = self.env["logistics.kpi.workbook"]._domain(
            self.date_from, self.date_to, self.partner_ids.ids
        )
        return (
            self.env["logistics.shipment.report"].search_count(domain, limit=limit + 1)
            > limit
        )
