import base64
import io

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..models.logistics_kpi import KPI_DEFINITIONS, kpi_help
from ..models.logistics_selections import MANAGER_GROUP

# Where each KPI's help (its translated definition) is found.
KPI_MODELS = (
    "logistics.shipment.report",
    "logistics.complaint.report",
    "logistics.complaint.analysis",
    "logistics.kpi.snapshot",
)
FETCH_CHUNK = 10000
BACKGROUND_ROWS = 200000
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LogisticsKpiExport(models.TransientModel):
    """The shipment KPIs of a period as an Excel workbook: definitions, one
    sheet per dimension with a trend chart, and every shipment streamed from
    a server-side cursor (xlsxwriter's constant-memory mode), so large
    periods export without holding them in memory."""

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
        domain="[('is_company', '=', True)]",
        help="Empty: every customer you may see.",
    )
    include_shipments = fields.Boolean(string="Include Every Shipment", default=True)
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    def action_export(self):
        self.ensure_one()
        if self._too_big_to_wait():
            self.env["logistics.kpi.export.job"].create(
                {
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "partner_ids": [(6, 0, self.partner_ids.ids)],
                    "include_shipments": self.include_shipments,
                }
            )
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
                "filename": self._default_filename(),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file/{self.filename}"
            "?download=true",
            "target": "self",
        }

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
        mails = []
        for customer in customers:
            manager = customer.account_manager_id
            export = self.with_user(manager).create(
                {
                    "date_from": today.replace(day=1) - relativedelta(months=12),
                    "date_to": today.replace(day=1) - relativedelta(days=1),
                    "partner_ids": [(6, 0, customer.ids)],
                    "include_shipments": False,
                }
            )
            attachment = export._attach(
                self.env._("Scorecard %(customer)s.xlsx", customer=customer.name),
                customer,
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

    # ------------------------------------------------------------------
    # Workbook
    # ------------------------------------------------------------------
    def _default_filename(self):
        return self.env._(
            "logistics-kpis-%(start)s-%(end)s.xlsx",
            start=self.date_from,
            end=self.date_to,
        )

    def _attach(self, name, record):
        """The workbook, built with this export's rights, as an attachment of
        ``record`` created with the record's own environment."""
        return record.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(self._workbook()),
                "res_model": record._name,
                "res_id": record.id,
                "mimetype": XLSX_MIMETYPE,
            }
        )

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
        return (
            self.env["logistics.shipment.report"].search_count(
                self._domain(), limit=limit + 1
            )
            > limit
        )

    def _domain(self):
        domain = Domain("date", ">=", fields.Datetime.to_datetime(self.date_from)) & (
            Domain(
                "date",
                "<",
                fields.Datetime.to_datetime(self.date_to + relativedelta(days=1)),
            )
        )
        if self.partner_ids:
            domain &= Domain("partner_id", "in", self.partner_ids.ids)
        return domain

    def _dimensions(self):
        """One KPI sheet per dimension of the shipment report."""
        titles = {
            "partner_id": self.env._("Customers"),
            "tier_id": self.env._("Tiers"),
            "mode": self.env._("Modes"),
            "carrier_id": self.env._("Carriers"),
            "date:month": self.env._("Months"),
        }
        return list(titles.items())

    def _measures(self):
        """(aggregate, column title, number format) of each KPI column."""
        titles = {
            "shipment_count:sum": self.env._("Shipments"),
            "on_time_rate:avg": self.env._("On-Time Rate (%)"),
            "delay_hours:avg": self.env._("Average Delay (h)"),
            "exception_rate:avg": self.env._("Exceptions per 100 Shipments"),
            "revenue:sum": self.env._("Revenue"),
        }
        # Cost and margin are for managers only, as on the report itself.
        if self.env.user.has_group(MANAGER_GROUP):
            titles["margin:sum"] = self.env._("Margin")
            titles["margin_rate:avg"] = self.env._("Margin Rate (%)")
        kinds = {
            "shipment_count:sum": "count",
            "on_time_rate:avg": "percent",
            "margin_rate:avg": "percent",
            "revenue:sum": "money",
            "margin:sum": "money",
        }
        return [
            (spec, title, kinds.get(spec, "number")) for spec, title in titles.items()
        ]

    def _detail_labels(self):
        return [
            self.env._("Shipment"),
            self.env._("Promised Date"),
            self.env._("Customer"),
            self.env._("Tier"),
            self.env._("Mode"),
            self.env._("Status"),
            self.env._("On Time"),
            self.env._("Delay (h)"),
            self.env._("Revenue"),
        ]

    def _workbook(self):
        # The report models are views over other tables: their pending
        # writes must reach the database before the views are read.
        self.env.flush_all()
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(
            buffer, {"constant_memory": True, "default_date_format": "yyyy-mm-dd"}
        )
        formats = {
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#875A7B", "font_color": "#FFFFFF"}
            ),
            "count": workbook.add_format({"num_format": "#,##0"}),
            "number": workbook.add_format({"num_format": "#,##0.0"}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "percent": workbook.add_format({"num_format": "0.0"}),
            "text": workbook.add_format({}),
            "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        self._write_definitions(workbook, formats)
        months_sheet = None
        for groupby, title in self._dimensions():
            sheet, rows = self._write_dimension(workbook, formats, groupby, title)
            if groupby == "date:month":
                months_sheet = (sheet, rows)
        if months_sheet:
            self._write_trend_chart(workbook, *months_sheet)
        if self.include_shipments:
            self._write_shipments(workbook, formats)
        workbook.close()
        return buffer.getvalue()

    def _header(self, sheet, formats, labels, widths=None):
        for column, label in enumerate(labels):
            sheet.write(0, column, label, formats["header"])
            sheet.set_column(column, column, (widths or {}).get(column, 16))
        sheet.freeze_panes(1, 0)

    def _write_definitions(self, workbook, formats):
        sheet = workbook.add_worksheet(self.env._("KPI Definitions"))
        self._header(
            sheet,
            formats,
            [self.env._("KPI"), self.env._("Formula")],
            widths={0: 40, 1: 100},
        )
        kpi_fields = self._kpi_fields()
        for row, code in enumerate(KPI_DEFINITIONS, start=1):
            # The field help is "label: formula", translated with the model.
            text = kpi_fields[code]._description_help(self.env) or kpi_help(code)
            label, _sep, formula = text.partition(": ")
            sheet.write_string(row, 0, label, formats["wrap"])
            sheet.write_string(row, 1, formula, formats["wrap"])

    @api.model
    def _kpi_fields(self):
        """{kpi code: the first report field documenting it}."""
        found = {}
        for model in KPI_MODELS:
            for field in self.env[model]._fields.values():
                for code in KPI_DEFINITIONS:
                    if field.help == kpi_help(code):
                        found.setdefault(code, field)
        return found

    def _write_dimension(self, workbook, formats, groupby, title):
        sheet = workbook.add_worksheet(title)
        measures = self._measures()
        Report = self.env["logistics.shipment.report"]
        label = Report._fields[groupby.split(":")[0]].string
        self._header(
            sheet,
            formats,
            [label] + [name for _spec, name, _kind in measures],
            widths={0: 32},
        )
        groups = Report._read_group(
            self._domain(), [groupby], [spec for spec, _name, _kind in measures]
        )
        selection = (
            dict(Report._fields["mode"]._description_selection(self.env))
            if groupby == "mode"
            else {}
        )
        for row, (key, *values) in enumerate(groups, start=1):
            if groupby == "date:month":
                sheet.write_string(row, 0, key.strftime("%Y-%m") if key else "")
            elif hasattr(key, "display_name"):
                sheet.write_string(row, 0, key.display_name or "")
            else:
                sheet.write_string(row, 0, selection.get(key, key or ""))
            for column, ((_spec, _name, kind), value) in enumerate(
                zip(measures, values, strict=True), start=1
            ):
                if value is None or value is False:
                    sheet.write_blank(row, column, None)
                else:
                    sheet.write_number(row, column, value, formats[kind])
        if groups:
            sheet.autofilter(0, 0, len(groups), len(measures))
        return sheet, len(groups)

    def _write_trend_chart(self, workbook, sheet, rows):
        if not rows:
            return
        chart = workbook.add_chart({"type": "line"})
        name = sheet.get_name()
        chart.add_series(
            {
                "name": self.env._("On-Time Rate (%)"),
                "categories": [name, 1, 0, rows, 0],
                "values": [name, 1, 2, rows, 2],
            }
        )
        chart.set_title({"name": self.env._("On-time delivery by month")})
        chart.set_y_axis({"min": 0, "max": 100})
        sheet.insert_chart(1, len(self._measures()) + 2, chart)

    def _write_shipments(self, workbook, formats):
        """Every shipment of the period, streamed: the rows come from a
        server-side cursor in chunks and are written in order, which is what
        constant-memory mode needs."""
        sheet = workbook.add_worksheet(self.env._("Shipments"))
        labels = self._detail_labels()
        self._header(sheet, formats, labels)
        Report = self.env["logistics.shipment.report"]
        modes = dict(Report._fields["mode"]._description_selection(self.env))
        states = dict(Report._fields["state"]._description_selection(self.env))
        # Record rules apply: the rows come from the ORM's _search; the names
        # are joined in the same streamed query rather than read per chunk.
        query = Report._search(self._domain())
        rows_sql = query.select(
            *(
                SQL.identifier(query.table, column)
                for column in (
                    "shipment_id",
                    "date",
                    "partner_id",
                    "tier_id",
                    "mode",
                    "state",
                    "on_time_rate",
                    "delay_hours",
                    "revenue",
                )
            )
        )
        stream_sql = SQL(
            """
            SELECT shipment.name, row.date, customer.complete_name,
                   coalesce(tier.name->>%(lang)s, tier.name->>'en_US'),
                   row.mode, row.state, row.on_time_rate, row.delay_hours,
                   row.revenue
              FROM (%(rows)s) row
              JOIN logistics_shipment shipment ON shipment.id = row.shipment_id
              JOIN res_partner customer ON customer.id = row.partner_id
         LEFT JOIN logistics_service_tier tier ON tier.id = row.tier_id
             ORDER BY row.date, row.shipment_id
            """,
            lang=self.env.lang or "en_US",
            rows=rows_sql,
        )
        row = 0
        with self.env.cr._cnx.cursor(name=f"lcrm_export_{self.id}") as stream:
            stream.itersize = FETCH_CHUNK
            stream.execute(stream_sql.code, stream_sql.params)
            while chunk := stream.fetchmany(FETCH_CHUNK):
                for (
                    name,
                    date,
                    customer,
                    tier,
                    mode,
                    state,
                    on_time,
                    delay,
                    revenue,
                ) in chunk:
                    row += 1
                    sheet.write_string(row, 0, name or "")
                    if date:
                        sheet.write_datetime(row, 1, date, formats["datetime"])
                    sheet.write_string(row, 2, customer or "")
                    sheet.write_string(row, 3, tier or "")
                    sheet.write_string(row, 4, modes.get(mode, ""))
                    sheet.write_string(row, 5, states.get(state, ""))
                    if on_time is not None:
                        sheet.write_boolean(row, 6, on_time == 100)
                    if delay is not None:
                        sheet.write_number(row, 7, delay, formats["number"])
                    sheet.write_number(row, 8, revenue or 0.0, formats["money"])
        if row:
            sheet.autofilter(0, 0, row, len(labels) - 1)
        return row
