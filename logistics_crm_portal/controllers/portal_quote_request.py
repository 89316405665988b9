import base64

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import email_normalize

from odoo.addons.logistics_crm.models.logistics_quote_request import DG_CLASSES
from odoo.addons.logistics_crm.models.logistics_selections import (
    CONTAINER_TYPES,
)

from .portal_base import LogisticsPortalBase

ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENTS_MAX = 3
HONEYPOT = "website_url"
REQUEST_DOMAINS = {
    "open": [("state", "in", ("priced", "to_price"))],
    "quoted": [("state", "in", ("quoted", "booked"))],
}


class QuoteRequestPortal(LogisticsPortalBase):
    """The customer's quote requests: the form with its instant price, the
    list and the request's page."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_quote_request_count" in counters:
            values["logistics_quote_request_count"] = self._logistics_count(
                "logistics.quote.request", REQUEST_DOMAINS["open"]
            )
        return values

    def _quote_request_get_searchbar_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "create_date desc, id desc",
            },
            "name": {"label": request.env._("Number"), "order": "name desc, id desc"},
        }

    def _quote_request_get_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {
                "label": request.env._("Awaiting a Quote"),
                "domain": REQUEST_DOMAINS["open"],
            },
            "quoted": {
                "label": request.env._("Quoted"),
                "domain": REQUEST_DOMAINS["quoted"],
            },
        }

    def _quote_request_get_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Number")},
            "city": {"input": "city", "label": request.env._("Search in Cities")},
        }

    def _quote_request_get_search_domain(self, search_in, search):
        return self._logistics_search_domain(
            {"name": ["name"], "city": ["origin_city", "destination_city"]},
            search_in,
            search,
        )

    @http.route(
        ["/my/quote-requests", "/my/quote-requests/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_quote_requests(self, page=1, **kw):
        values = self._logistics_list_values(
            "quote_request",
            "logistics.quote.request",
            "/my/quote-requests",
            page,
            kw,
        )
        return request.render("logistics_crm_portal.portal_my_quote_requests", values)

    @http.route(
        ["/my/quote-requests/<int:request_id>"],
        type="http",
        auth="public",
        website=True,
        readonly=True,
    )
    def portal_my_quote_request(self, request_id, access_token=None, **kw):
        request_sudo = self._logistics_check(
            "logistics.quote.request", request_id, access_token
        )
        if request_sudo is None:
            return request.redirect("/my")
        values = self._logistics_page_values(
            "quote_request", request_sudo, access_token, **kw
        )
        return request.render("logistics_crm_portal.portal_my_quote_request", values)

    @http.route(
        ["/my/quotes/request"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_quote_request_form(self, **form):
        if request.env.user._is_public() or not request.env.user.share:
            return request.redirect("/my")
        if request.httprequest.method != "POST":
            return self._quote_request_form_page({}, {})
        return self._quote_request_submit(
            form,
            request.env.user.partner_id,
            lambda values, errors: self._quote_request_form_page(values, errors),
        )

    def _quote_request_submit(
        self, form, contact, form_page, extra=None, prospect=None
    ):
        """Validate, then create the request for ``contact``'s company with
        its attachments (``prospect``: the company and contact to create
        first); the form again with the errors and the input kept when
        something is wrong, nothing written."""
        Request = request.env["logistics.quote.request"]
        values, errors = Request._portal_form_values(form)
        files = request.httprequest.files.getlist("attachments")[: ATTACHMENTS_MAX + 1]
        attachments = []
        for upload in files:
            if not upload or not upload.filename:
                continue
            content = upload.read(ATTACHMENT_MAX_BYTES + 1)
            if len(content) > ATTACHMENT_MAX_BYTES:
                errors["attachments"] = request.env._("Each file may weigh up to 5 MB.")
            attachments.append((upload.filename[:200], content))
        if len(attachments) > ATTACHMENTS_MAX:
            errors["attachments"] = request.env._("Attach up to 3 files.")
        if errors:
            return form_page(form, errors)
        try:
            with request.env.cr.savepoint():
                if prospect:
                    contact = Request.sudo()._create_prospect(**prospect)
                values.update(
                    partner_id=contact.commercial_partner_id.id,
                    contact_id=contact.id,
                    **(extra or {}),
                )
                # The customer is the user's own company, set here; creating
                # the opportunity and the quote is the company's own work.
                request_sudo = Request.sudo().create(values)
                if prospect:
                    request_sudo._send_received_mail()
        except ValidationError as error:
            request.env.invalidate_all()
            return form_page(form, {"form": error.args[0]})
        if attachments:
            records = (
                request.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {
                            "name": name,
                            "datas": base64.b64encode(content),
                            "res_model": request_sudo._name,
                            "res_id": request_sudo.id,
                        }
                        for name, content in attachments
                    ]
                )
            )
            request_sudo.message_post(
                body=request.env._("Attached to the request."),
                attachment_ids=records.ids,
                author_id=contact.id,
            )
        return request.redirect(request_sudo.get_portal_url())

    def _quote_request_form_page(self, values, errors):
        page = self._prepare_portal_layout_values()
        page.update(self._quote_request_form_choices())
        page.update(
            {
                "page_name": "logistics_quote_request_form",
                "form": values,
                "errors": errors,
            }
        )
        return request.render("logistics_crm_portal.portal_quote_request_form", page)

    def _quote_request_form_choices(self):
        env = request.env
        return {
            "countries": env["res.country"].sudo().search([]),
            "cargo_categories": env["logistics.cargo.category"].sudo().search([]),
            "incoterms": env["account.incoterms"].sudo().search([]),
            "modes": env["logistics.quote.request"]
            ._fields["mode"]
            ._description_selection(env),
            "container_types": CONTAINER_TYPES,
            "dg_classes": DG_CLASSES,
        }


class PublicQuoteRequest(QuoteRequestPortal):
    """The public quote page for prospects: a lead and a contact, never a
    portal user; limited per address and per e-mail, with a honeypot."""

    @http.route(
        ["/freight-quote"],
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=True,
    )
    def public_quote_request(self, **form):
        if request.httprequest.method != "POST":
            return self._public_form_page({}, {})
        # Robots fill every field: a filled honeypot gets the thank-you
        # page and nothing is written.
        if form.get(HONEYPOT):
            return request.render("logistics_crm_portal.public_quote_request_thanks")
        errors = {}
        company = str(form.get("company_name") or "").strip()[:200]
        name = str(form.get("contact_name") or "").strip()[:200]
        email = email_normalize(str(form.get("email") or "")[:200])
        phone = str(form.get("phone") or "").strip()[:40]
        for field_name, value in (
            ("company_name", company),
            ("contact_name", name),
        ):
            if not value:
                errors[field_name] = request.env._("This field is required.")
        if not email:
            errors["email"] = request.env._("Enter a valid e-mail address.")
        Request = request.env["logistics.quote.request"].sudo()
        ip_address = request.httprequest.remote_addr
        if Request._prospect_rate_exceeded(ip_address, email):
            return self._public_form_page(
                form,
                {
                    "form": request.env._(
                        "You have sent several requests in a short time. "
                        "Please try again later."
                    )
                },
                status=429,
            )
        if errors:
            _values, more = Request._portal_form_values(form)
            return self._public_form_page(form, {**more, **errors})
        return self._quote_request_submit(
            form,
            None,
            self._public_form_page,
            extra={"is_prospect": True, "request_ip": ip_address},
            prospect={
                "company": company,
                "name": name,
                "email": email,
                "phone": phone,
            },
        )

    def _public_form_page(self, values, errors, status=200):
        page = self._quote_request_form_choices()
        page.update({"form": values, "errors": errors, "honeypot": HONEYPOT})
        response = request.render(
            "logistics_crm_portal.public_quote_request_form", page
        )
        response.status_code = status
        return response
