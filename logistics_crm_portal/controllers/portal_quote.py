import logging

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.logistics_quote_request import FormReader
from .portal_base import LogisticsPortalBase
from .portal_booking import read_pickup_details

_logger = logging.getLogger(__name__)

QUOTES_ANSWERED = ("accepted", "rejected", "expired")
QUOTE_DOMAINS = {
    "sent": [("state", "=", "sent")],
    "answered": [("state", "in", QUOTES_ANSWERED)],
}
QUOTE_REPORT = "logistics_crm.logistics_quote_report_action"
# wkhtmltopdf states (ir.actions.report) in which no PDF can be produced.
PDF_TOOL_MISSING = ("install", "broken")


def _quote_list_readonly(_controller, _rule, _args):
    """The freight quotes list only reads. It takes over sale's /my/quotes,
    which is read/write, and Odoo turns an override's plain readonly=True
    back to read/write; a callable is how an override decides for itself."""
    return True


class QuotePortal(LogisticsPortalBase):
    """The customer's freight quotes: list, page, PDF and the answer."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_quote_count" in counters:
            values["logistics_quote_count"] = self._logistics_count(
                "logistics.quote", QUOTE_DOMAINS["sent"]
            )
        return values

    def _quote_get_searchbar_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_quote desc, id desc",
            },
            "validity": {
                "label": request.env._("Valid Until"),
                "order": "validity_date, id",
            },
            "name": {"label": request.env._("Number"), "order": "name desc, id desc"},
        }

    def _quote_get_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "sent": {
                "label": request.env._("Awaiting Answer"),
                "domain": QUOTE_DOMAINS["sent"],
            },
            "answered": {
                "label": request.env._("Answered"),
                "domain": QUOTE_DOMAINS["answered"],
            },
        }

    def _quote_get_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Number")},
        }

    def _quote_get_search_domain(self, search_in, search):
        return self._logistics_search_domain({"name": ["name"]}, search_in, search)

    @http.route(
        ["/my/quotes", "/my/quotes/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=_quote_list_readonly,
    )
    def portal_my_quotes(self, page=1, **kw):
        values = self._logistics_list_values(
            "quote", "logistics.quote", "/my/quotes", page, kw
        )
        return request.render("logistics_crm_portal.portal_my_quotes", values)

    def _quote_check(self, quote_id, access_token):
        """The sent quote, with sudo, once the user or the token may see it;
        None for a draft, which the customer was never shown."""
        quote_sudo = self._logistics_check("logistics.quote", quote_id, access_token)
        if quote_sudo is None or quote_sudo.state == "draft":
            return None
        return quote_sudo

    def _quote_page(self, quote_sudo, access_token, **kw):
        values = self._logistics_page_values("quote", quote_sudo, access_token, **kw)
        return request.render("logistics_crm_portal.portal_my_quote", values)

    # Not read-only: printing may build the report's assets bundle, and
    # the previous/next links give those quotes their access token.
    @http.route(["/my/quotes/<int:quote_id>"], type="http", auth="public", website=True)
    def portal_my_quote(self, quote_id, access_token=None, report_type=None, **kw):
        quote_sudo = self._quote_check(quote_id, access_token)
        if quote_sudo is None:
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._quote_report(
                quote_sudo, access_token, report_type, kw.get("download")
            )
        return self._quote_page(quote_sudo, access_token, **kw)

    def _quote_report(self, quote_sudo, access_token, report_type, download):
        """The quote printed; when the server cannot produce a PDF (no
        working wkhtmltopdf) the quote's page says so instead of an error
        page."""
        pdf_state = request.env["ir.actions.report"].get_wkhtmltopdf_state()
        if report_type != "pdf" or pdf_state not in PDF_TOOL_MISSING:
            try:
                return self._show_report(
                    model=quote_sudo,
                    report_type=report_type,
                    report_ref=QUOTE_REPORT,
                    download=download,
                )
            except UserError as error:
                # The customer is told below, like for a missing tool; the
                # administrator reads why here.
                _logger.warning("Quote %s: no PDF: %s", quote_sudo.name, error)
        return self._quote_page(
            quote_sudo,
            access_token,
            error=request.env._(
                "The PDF cannot be produced at the moment. Please try again "
                "later, or print this page from your browser."
            ),
        )

    @http.route(
        ["/my/quotes/<int:quote_id>/accept"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_my_quote_accept(self, quote_id, access_token=None, name=None, **kw):
        return self._quote_answer(
            quote_id,
            access_token,
            lambda quote_sudo: quote_sudo.action_accept(
                str(name or "")[:200],
                request.httprequest.remote_addr,
                self_service=True,
            ),
        )

    @http.route(
        ["/my/quotes/<int:quote_id>/reject"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_my_quote_reject(self, quote_id, access_token=None, reason=None, **kw):
        return self._quote_answer(
            quote_id,
            access_token,
            lambda quote_sudo: quote_sudo.action_reject(str(reason or "")[:2000]),
        )

    @http.route(
        ["/my/quotes/<int:quote_id>/book"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_my_quote_book(self, quote_id, access_token=None, **form):
        """The pickup and consignee of an accepted quote's booking, which the
        customer confirms here."""
        read = FormReader(request.env, form)
        details = read_pickup_details(read)

        def book(quote_sudo):
            if read.errors:
                raise UserError(next(iter(read.errors.values())))
            request.env["logistics.booking"].sudo()._book_accepted_quote(
                quote_sudo, details
            )

        return self._quote_answer(quote_id, access_token, book)

    def _quote_answer(self, quote_id, access_token, answer):
        """Apply the customer's answer to a sent quote they may see; a refusal
        (expired, already answered, no name) shows on the quote's page."""
        quote_sudo = self._quote_check(quote_id, access_token)
        if quote_sudo is None:
            return request.redirect("/my")
        return self._logistics_answer(
            quote_sudo,
            answer,
            lambda error: self._quote_page(quote_sudo, access_token, error=error),
        )
