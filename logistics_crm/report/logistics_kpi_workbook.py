import base64
import io

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..models.logistics_kpi import KPI_DEFINITIONS, kpi_help
from ..models.logistics_selections import MANAGER_GROUP, XLSX_MIMETYPE

# Where each KPI's help (its translated definition) is found.
KPI_MODELS = (
    "logistics.shipment.report",
    "logistics.complaint.report",
    "logistics.complaint.analysis",
    "logistics.kpi.snapshot",
    "logistics.quote.conversion",
    "logistics.quote.response.report",
    "logistics.call.report",
    "logistics.campaign.report",
    "logistics.sales.forecast",
    "logistics.sales.outcome",
    "logistics.survey.report",
)
# Rows fetched per keyset page: large enough that the per-query cost vanishes,
# small enough that a page never weighs more than a few megabytes.
PAGE_SIZE = 10000


class LogisticsKpiWorkbook(models.AbstractModel):
    """The shipment KPIs of a period as an Excel workbook: definitions, one
    sheet per dimension with a trend chart, the call center's KPIs per
    customer and per agent, the sales forecast and win rate per salesperson,
    mode, month and source, and every shipment streamed in keyset pages
    (xlsxwriter's constant-memory mode), so large periods export without
    holding them in memory.

    Built with the rights of the environment it is called with: the dialog's
    user, the requester of a background job, an account manager."""

    _name = "logistics.kpi.workbook"
    _description = "KPI Excel Workbook"

    @api.model
    def _request_options(self, request):
        """The options of ``_build`` from a record that carries them (the
        export dialog or a background job), as values fit for ``create``."""
        return {
            "date_from": request.date_from,
            "date_to": request.date_to,
            "partner_ids": request.partner_ids.ids,
            "include_shipments": request.include_shipments,
        }

    @api.model
    def _filename(self, date_from, date_to):
        return self.env._(
            "logistics-kpis-%(start)s-%(end)s.xlsx", start=date_from, end=date_to
        )

    @api.model
    def _attach(self, record, name, content):
        """``content`` as an attachment of ``record``, created with the
        record's own environment."""
        return record.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(content),
                "res_model": record._name,
                "res_id": record.id,
                "mimetype": XLSX_MIMETYPE,
            }
        )

    @api.model
    def _build(self, date_from, date_to, partner_ids=(), include_shipments=True):
        """The workbook's bytes."""
        # The report models are views over other tables: their pending
        # writes must reach the database before the views are read.
        self.env.flush_all()
        domain = self._domain(date_from, date_to, partner_ids)
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
            sheet, rows = self._write_dimension(
                workbook, formats, domain, groupby, title
            )
            if groupby == "date:month":
                months_sheet = (sheet, rows)
        if months_sheet:
            self._write_trend_chart(workbook, *months_sheet)
        for report, measures, dimensions in self._report_sheets():
            for groupby, title in dimensions:
                self._write_dimension(
                    workbook,
                    formats,
                    domain,
                    groupby,
                    title,
                    report=report,
                    measures=measures,
                )
        if include_shipments:
            self._write_shipments(workbook, formats, domain)
        workbook.close()
        return buffer.getvalue()

    @api.model
    def _domain(self, date_from, date_to, partner_ids=()):
        domain = Domain("date", ">=", fields.Datetime.to_datetime(date_from)) & (
            Domain(
                "date",
                "<",
                fields.Datetime.to_datetime(date_to + relativedelta(days=1)),
            )
        )
        if partner_ids:
            domain &= Domain("partner_id", "in", list(partner_ids))
        return domain

    @api.model
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

    @api.model
    def _report_sheets(self):
        """[report, its measures, its [groupby, sheet title] dimensions] of
        the sheets beyond the shipment KPIs: the call center's per customer
        and agent; the sales forecast by expected closing date and the win
        rate by closing date, per salesperson, mode, month and source; the
        relationship survey's NPS by tier, account manager, industry and
        country."""
        return [
            [
                "logistics.call.report",
                [
                    ["call_count:sum", self.env._("Calls Held"), "count"],
                    [
                        "fcr_rate:avg",
                        self.env._("First-Contact Resolution (%)"),
                        "percent",
                    ],
                    [
                        "handling_minutes:avg",
                        self.env._("Average Handling Time (min)"),
                        "number",
                    ],
                ],
                [
                    ["partner_id", self.env._("Calls by Customer")],
                    ["user_id", self.env._("Calls by Agent")],
                ],
            ],
            [
                "logistics.sales.forecast",
                [
                    ["opportunity_share:sum", self.env._("Opportunities"), "number"],
                    ["expected_revenue:sum", self.env._("Pipeline"), "money"],
                    ["forecast_revenue:sum", self.env._("Weighted Forecast"), "money"],
                ],
                [
                    ["user_id", self.env._("Forecast by Salesperson")],
                    ["mode", self.env._("Forecast by Mode")],
                    ["date:month", self.env._("Forecast by Month")],
                ],
            ],
            [
                "logistics.sales.outcome",
                [
                    ["won_count:sum", self.env._("Won"), "count"],
                    ["lost_count:sum", self.env._("Lost"), "count"],
                    ["win_rate:avg", self.env._("Win Rate (%)"), "percent"],
                    ["cycle_days:avg", self.env._("Sales Cycle (days)"), "number"],
                ],
                [
                    ["user_id", self.env._("Win Rate by Salesperson")],
                    ["mode", self.env._("Win Rate by Mode")],
                    ["source_id", self.env._("Win Rate by Source")],
                ],
            ],
            [
                "logistics.survey.report",
                [
                    ["answer_count:sum", self.env._("Answers"), "count"],
                    ["nps:avg", self.env._("NPS"), "number"],
                    ["promoter_count:sum", self.env._("Promoters"), "count"],
                    ["detractor_count:sum", self.env._("Detractors"), "count"],
                    [
                        "follow_up_in_time:avg",
                        self.env._("Followed Up in Time (%)"),
                        "percent",
                    ],
                ],
                [
                    ["tier_id", self.env._("NPS by Tier")],
                    ["account_manager_id", self.env._("NPS by Account Manager")],
                    ["industry_id", self.env._("NPS by Industry")],
                    ["country_id", self.env._("NPS by Country")],
                ],
            ],
        ]

    @api.model
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

    @api.model
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

    def _write_dimension(
        self,
        workbook,
        formats,
        domain,
        groupby,
        title,
        report="logistics.shipment.report",
        measures=None,
    ):
        """A sheet of ``report``'s ``measures`` (the shipment KPIs unless
        given) per value of ``groupby``."""
        sheet = workbook.add_worksheet(title)
        measures = measures or self._measures()
        Report = self.env[report]
        label = Report._fields[groupby.split(":")[0]].string
        self._header(
            sheet,
            formats,
            [label] + [name for _spec, name, _kind in measures],
            widths={0: 32},
        )
        groups = Report._read_group(
            domain, [groupby], [spec for spec, _name, _kind in measures]
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

    @api.model
    def _shipment_pages(self, domain, page_size=PAGE_SIZE):
        """The detail rows of ``domain`` as lists of at most ``page_size``
        tuples (report id first), in id order.

        Keyset pages (``id > last ORDER BY id LIMIT n``) on the public cursor:
        each page is an index range scan that resumes where the previous one
        stopped, so the whole export is one pass over the shipments whatever
        its size, and only one page is ever held in memory. Record rules apply:
        each page is the ORM's _search; the names are fetched in the same query
        rather than read per page."""
        Report = self.env["logistics.shipment.report"]
        lang = self.env.lang or "en_US"
        shipments = self.env["logistics.shipment"]._table
        last = 0
        while True:
            query = Report._search(
                Domain(domain) & Domain("id", ">", last), order="id", limit=page_size
            )
            row = query.table
            # The shipment's name is looked up by primary key row by row, not
            # joined: PostgreSQL carries only equalities across a join, not the
            # keyset's "id > last", so the merge join it plans with a second
            # shipment table reads that table from its first id on every page,
            # and an export's time grows with the square of its pages.
            shipment_name = SQL(
                "(SELECT s.name FROM %(shipments)s s WHERE s.id = %(shipment_id)s)",
                shipments=SQL.identifier(shipments),
                shipment_id=SQL.identifier(row, "shipment_id"),
            )
            customer = query.join(row, "partner_id", "res_partner", "id", "c")
            tier = query.left_join(row, "tier_id", "logistics_service_tier", "id", "t")
            self.env.cr.execute(
                query.select(
                    SQL.identifier(row, "id"),
                    shipment_name,
                    SQL.identifier(row, "date"),
                    SQL.identifier(customer, "complete_name"),
                    SQL(
                        "coalesce(%(name)s->>%(lang)s, %(name)s->>'en_US')",
                        name=SQL.identifier(tier, "name"),
                        lang=lang,
                    ),
                    *(
                        SQL.identifier(row, column)
                        for column in (
                            "mode",
                            "state",
                            "on_time_rate",
                            "delay_hours",
                            "revenue",
                        )
                    ),
                )
            )
            page = self.env.cr.fetchall()
            if len(page) < page_size:
                if page:
                    yield page
                return
            last = page[-1][0]
            yield page
            # Let go of this page before reading the next one, so that only
            # one is ever held (the caller lets go of its reference too).
            del page

    def _write_shipments(self, workbook, formats, domain):
        """Every shipment of the period, written in the order it is read,
        which is what constant-memory mode needs."""
        sheet = workbook.add_worksheet(self.env._("Shipments"))
        labels = self._detail_labels()
        self._header(sheet, formats, labels)
        Report = self.env["logistics.shipment.report"]
        modes = dict(Report._fields["mode"]._description_selection(self.env))
        states = dict(Report._fields["state"]._description_selection(self.env))
        # Bound once: the loop below runs once per shipment.
        write_string = sheet.write_string
        write_datetime = sheet.write_datetime
        write_boolean = sheet.write_boolean
        write_number = sheet.write_number
        moment, number, money = (
            formats["datetime"],
            formats["number"],
            formats["money"],
        )
        row = 0
        for page in self._shipment_pages(domain):
            for (
                _id,
                name,
                date,
                customer,
                tier,
                mode,
                state,
                on_time,
                delay,
                revenue,
            ) in page:
                row += 1
                write_string(row, 0, name or "")
                if date:
                    write_datetime(row, 1, date, moment)
                write_string(row, 2, customer or "")
                write_string(row, 3, tier or "")
                write_string(row, 4, modes.get(mode, ""))
                write_string(row, 5, states.get(state, ""))
                if on_time is not None:
                    write_boolean(row, 6, on_time == 100)
                if delay is not None:
                    write_number(row, 7, delay, number)
                write_number(row, 8, revenue or 0.0, money)
            del page  # before the next page is read: see _shipment_pages
        if row:
            sheet.autofilter(0, 0, row, len(labels) - 1)
        return row
