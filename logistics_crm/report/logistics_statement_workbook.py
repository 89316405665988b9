import io

import xlsxwriter

from odoo import api, models

from ..models.logistics_selections import XLSX_MIMETYPE


class LogisticsStatementWorkbook(models.AbstractModel):
    """A statement of account as an Excel workbook: one row per shipment with
    its charges, then the totals of the invoice, written in xlsxwriter's
    constant-memory mode so that a statement of thousands of shipments is
    never held in memory as cells."""

    _name = "logistics.statement.workbook"
    _description = "Statement of Account Workbook"

    @api.model
    def _filename(self, statement):
        return self.env._(
            "statement-%(name)s.xlsx", name=statement.name.replace("/", "-")
        )

    @api.model
    def _attach(self, statement):
        """The workbook as an attachment of the statement (its invoice's
        customer reads it on the portal)."""
        return self.env["ir.attachment"].create(
            {
                "name": self._filename(statement),
                "raw": self._build(statement),
                "res_model": statement._name,
                "res_id": statement.id,
                "mimetype": XLSX_MIMETYPE,
            }
        )

    @api.model
    def _build(self, statement):
        statement.ensure_one()
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(
            buffer, {"constant_memory": True, "default_date_format": "yyyy-mm-dd"}
        )
        header = workbook.add_format(
            {"bold": True, "bg_color": "#875A7B", "font_color": "#FFFFFF"}
        )
        money = workbook.add_format({"num_format": "#,##0.00"})
        number = workbook.add_format({"num_format": "#,##0.0"})
        date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        bold_money = workbook.add_format({"num_format": "#,##0.00", "bold": True})
        sheet = workbook.add_worksheet(self.env._("Statement"))
        modes = dict(
            self.env["logistics.shipment"]
            ._fields["mode"]
            ._description_selection(self.env)
        )
        labels = [
            self.env._("Shipment"),
            self.env._("Reference"),
            self.env._("Lane"),
            self.env._("Mode"),
            self.env._("Picked Up"),
            self.env._("Delivered"),
            self.env._("Weight (kg)"),
            self.env._("Volume (m³)"),
            self.env._("Charges"),
        ]
        for column, label in enumerate(labels):
            sheet.write_string(0, column, label, header)
        sheet.set_column(0, 3, 22)
        sheet.set_column(4, 8, 14)
        row = 0
        for shipment, charges in statement._statement_rows():
            row += 1
            sheet.write_string(row, 0, shipment.name)
            sheet.write_string(row, 1, shipment.reference or "")
            sheet.write_string(row, 2, shipment.lane_id.display_name or "")
            sheet.write_string(row, 3, modes.get(shipment.mode, ""))
            if shipment.actual_pickup_date:
                sheet.write_datetime(row, 4, shipment.actual_pickup_date, date)
            if shipment.actual_delivery_date:
                sheet.write_datetime(row, 5, shipment.actual_delivery_date, date)
            sheet.write_number(row, 6, shipment.weight_kg or 0.0, number)
            sheet.write_number(row, 7, shipment.volume_m3 or 0.0, number)
            sheet.write_number(row, 8, charges, money)
        totals = (
            (self.env._("Untaxed amount"), statement.amount_untaxed),
            (self.env._("Taxes"), statement.amount_tax),
            (self.env._("Total invoiced"), statement.amount_total),
        )
        row += 1
        for label, amount in totals:
            row += 1
            sheet.write_string(row, 7, label)
            sheet.write_number(row, 8, amount, bold_money)
        workbook.close()
        return buffer.getvalue()
