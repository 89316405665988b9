from odoo import http
from odoo.http import request

from odoo.addons.logistics_crm.models.logistics_selections import XLSX_MIMETYPE

from .portal_base import LogisticsPortalBase

STATEMENT_REPORT = "logistics_crm.logistics_statement_report_action"
STATEMENT_REASON_MAX = 2000
STATEMENT_DOMAINS = {
    "to_confirm": [("state", "=", "to_confirm")],
    "disputed": [("state", "=", "disputed")],
    "confirmed": [("state", "=", "confirmed")],
}


class StatementPortal(LogisticsPortalBase):
    """The monthly statements of account: list, page (PDF, Excel), confirming
    one and disputing a shipment's charges."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_statement_count" in counters:
            values["logistics_statement_count"] = self._logistics_count(
                "logistics.statement", STATEMENT_DOMAINS["to_confirm"]
            )
        return values

    def _statement_get_searchbar_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_to desc, id desc",
            },
            "name": {"label": request.env._("Number"), "order": "name desc, id desc"},
            "state": {"label": request.env._("Status"), "order": "state, id desc"},
        }

    def _statement_get_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "to_confirm": {
                "label": request.env._("To Confirm"),
                "domain": STATEMENT_DOMAINS["to_confirm"],
            },
            "disputed": {
                "label": request.env._("Disputed"),
                "domain": STATEMENT_DOMAINS["disputed"],
            },
            "confirmed": {
                "label": request.env._("Confirmed"),
                "domain": STATEMENT_DOMAINS["confirmed"],
            },
        }

    def _statement_get_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Number")},
        }

    def _statement_get_search_domain(self, search_in, search):
        return self._logistics_search_domain({"name": ["name"]}, search_in, search)

    @http.route(
        ["/my/statements", "/my/statements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_statements(self, page=1, **kw):
        values = self._logistics_list_values(
            "statement", "logistics.statement", "/my/statements", page, kw
        )
        return request.render("logistics_crm_portal.portal_my_statements", values)

    # Not read-only: printing may build the report's assets bundle, and
    # the previous/next links give those statements their access token.
    @http.route(
        ["/my/statements/<int:statement_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_statement(
        self, statement_id, access_token=None, report_type=None, download=False, **kw
    ):
        statement_sudo = self._logistics_check(
            "logistics.statement", statement_id, access_token
        )
        if statement_sudo is None:
            return request.redirect("/my")
        if report_type in ("html", "pdf"):
            return self._show_report(
                model=statement_sudo,
                report_type=report_type,
                report_ref=STATEMENT_REPORT,
                download=download,
            )
        if report_type == "xlsx":
            workbook = request.env["logistics.statement.workbook"]
            return request.make_response(
                workbook._build(statement_sudo),
                headers=[
                    ("Content-Type", XLSX_MIMETYPE),
                    (
                        "Content-Disposition",
                        http.content_disposition(workbook._filename(statement_sudo)),
                    ),
                ],
            )
        return self._statement_page(statement_sudo, access_token, **kw)

    def _statement_page(self, statement_sudo, access_token, **kw):
        values = self._logistics_page_values(
            "statement", statement_sudo, access_token, **kw
        )
        values["rows"] = statement_sudo._statement_rows()
        return request.render("logistics_crm_portal.portal_my_statement", values)

    @http.route(
        ["/my/statements/<int:statement_id>/confirm"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_my_statement_confirm(
        self, statement_id, access_token=None, name=None, **kw
    ):
        return self._statement_answer(
            statement_id,
            access_token,
            lambda statement_sudo: statement_sudo.action_confirm(str(name or "")[:200]),
        )

    @http.route(
        ["/my/statements/<int:statement_id>/dispute"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_my_statement_dispute(
        self, statement_id, access_token=None, shipment_id=None, reason=None, **kw
    ):
        def dispute(statement_sudo):
            # Only a shipment of this statement: another customer's id, or
            # one of another statement, is refused by action_dispute.
            shipment = self._statement_shipment(statement_sudo, shipment_id)
            contact = request.env.user.partner_id
            statement_sudo.action_dispute(
                shipment,
                str(reason or "")[:STATEMENT_REASON_MAX],
                contact=contact if not request.env.user._is_public() else None,
            )

        return self._statement_answer(statement_id, access_token, dispute)

    @staticmethod
    def _statement_shipment(statement_sudo, shipment_id):
        try:
            shipment_id = int(shipment_id)
        except (TypeError, ValueError):
            return statement_sudo.env["logistics.shipment"]
        return statement_sudo.shipment_ids.filtered(lambda s: s.id == shipment_id)

    def _statement_answer(self, statement_id, access_token, answer):
        statement_sudo = self._logistics_check(
            "logistics.statement", statement_id, access_token
        )
        if statement_sudo is None:
            return request.redirect("/my")
        return self._logistics_answer(
            statement_sudo,
            answer,
            lambda error: self._statement_page(
                statement_sudo, access_token, error=error
            ),
        )
