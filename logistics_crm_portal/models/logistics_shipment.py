from odoo import fields, models


class LogisticsShipment(models.Model):
    _inherit = "logistics.shipment"

    portal_document_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="logistics_shipment_portal_document_rel",
        column1="shipment_id",
        column2="attachment_id",
        string="Customer Documents",
        help="Documents the customer can download from the portal: proof of "
        "delivery, bill of lading, customs papers. Other attachments stay "
        "internal.",
    )

    def _compute_access_url(self):
        # Replaces the base addon's back-office link: the portal's own page.
        for shipment in self:
            shipment.access_url = f"/my/shipments/{shipment.id}"
