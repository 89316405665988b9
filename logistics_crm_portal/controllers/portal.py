from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

SHIPMENTS_IN_PROGRESS = ("booked", "picked_up", "in_transit", "at_destination")
QUOTES_ANSWERED = ("accepted", "rejected", "expired")
COMPLAINT_SUBJECT_MAX = 200
COMPLAINT_DESCRIPTION_MAX = 20_000
COMPLAINT_ATTACHMENTS_MAX = 5
COMPLAINT_ATTACHMENT_BYTES_MAX = 10 * 1024 * 1024
TIMELINE_PAGE_SIZE = 30
# The pager counts at most this many records: a customer with hundreds of
# thousands of shipments pages (and searches) the same way, without an
# exact count that would scan all of them on every page.
LIST_COUNT_LIMIT = 10_000
# Filter domains, shared by the home counters and the lists' filters (and
# kept out of the translated label dicts, where Babel would extract them).
SHIPMENT_DOMAINS = {
    "in_progress": [("state", "in", SHIPMENTS_IN_PROGRESS)],
    "delivered": [("state", "=", "delivered")],
    "late": [
        "|",
        ("is_late_risk", "=", True),
        "&",
        ("state", "=", "delivered"),
        ("delivery_delay_hours", ">", 0),
    ],
    "exception": [("has_open_exception", "=", True)],
}
COMPLAINT_DOMAINS = {
    "open": [("is_closed", "=", False)],
    "closed": [("is_closed", "=", True)],
}
QUOTE_DOMAINS = {
    "sent": [("state", "=", "sent")],
    "answered": [("state", "in", QUOTES_ANSWERED)],
}


class LogisticsCustomerPortal(CustomerPortal):
    """The customer's shipments, complaints, quotes, service level and
    notification preferences.

    Lists search with the portal user's own environment, so record rules
    decide what is listed; detail routes go through
    ``_document_check_access`` (rules or a constant-time token comparison)
    before anything is read with sudo.
    """

    _logistics_items_per_page = 20

    # ------------------------------------------------------------------
    # Home tiles (/my/counters)
    # ------------------------------------------------------------------
    def _logistics_counter_domains(self):
        return {
            "logistics_shipment_count": (
                "logistics.shipment",
                SHIPMENT_DOMAINS["in_progress"],
            ),
            "logistics_complaint_count": (
                "logistics.complaint",
                COMPLAINT_DOMAINS["open"],
            ),
            "logistics_quote_count": ("logistics.quote", QUOTE_DOMAINS["sent"]),
        }

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        for counter, (model, domain) in self._logistics_counter_domains().items():
            if counter in counters:
                Model = request.env[model]
                values[counter] = (
                    Model.search_count(domain) if Model.has_access("read") else 0
                )
        return values

    # ------------------------------------------------------------------
    # Searchbar, one set of overridable methods per list
    # ------------------------------------------------------------------
    def _shipment_get_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "id desc"},
            "eta": {"label": request.env._("ETA"), "order": "eta desc, id desc"},
            "name": {"label": request.env._("Number"), "order": "name desc, id desc"},
            "state": {"label": request.env._("Status"), "order": "state, id desc"},
        }

    def _shipment_get_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "in_progress": {
                "label": request.env._("In Progress"),
                "domain": SHIPMENT_DOMAINS["in_progress"],
            },
            "delivered": {
                "label": request.env._("Delivered"),
                "domain": SHIPMENT_DOMAINS["delivered"],
            },
            "late": {
                "label": request.env._("Late"),
                "domain": SHIPMENT_DOMAINS["late"],
            },
            "exception": {
                "label": request.env._("With Exception"),
                "domain": SHIPMENT_DOMAINS["exception"],
            },
        }

    def _shipment_get_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Number")},
            "reference": {
                "input": "reference",
                "label": request.env._("Search in Reference"),
            },
            "lane": {"input": "lane", "label": request.env._("Search in Lane")},
        }

    def _shipment_get_search_domain(self, search_in, search):
        fields_by_input = {
            "name": ["name"],
            "reference": ["reference"],
            "lane": ["lane_id"],
        }
        return self._logistics_search_domain(fields_by_input, search_in, search)

    def _complaint_get_searchbar_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "create_date desc, id desc",
            },
            "name": {"label": request.env._("Number"), "order": "name desc, id desc"},
            "stage": {"label": request.env._("Stage"), "order": "stage_id, id desc"},
        }

    def _complaint_get_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {
                "label": request.env._("Open"),
                "domain": COMPLAINT_DOMAINS["open"],
            },
            "closed": {
                "label": request.env._("Closed"),
                "domain": COMPLAINT_DOMAINS["closed"],
            },
        }

    def _complaint_get_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Number")},
            "subject": {
                "input": "subject",
                "label": request.env._("Search in Subject"),
            },
            "shipment": {
                "input": "shipment",
                "label": request.env._("Search in Shipment"),
            },
        }

    def _complaint_get_search_domain(self, search_in, search):
        fields_by_input = {
            "name": ["name"],
            "subject": ["subject"],
            "shipment": ["shipment_id.name"],
        }
        return self._logistics_search_domain(fields_by_input, search_in, search)

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

    @staticmethod
    def _logistics_search_domain(fields_by_input, search_in, search):
        if search_in == "all":
            field_names = [name for names in fields_by_input.values() for name in names]
        else:
            field_names = fields_by_input.get(search_in, [])
        if not search or not field_names:
            return Domain.TRUE
        return Domain.OR(Domain(name, "ilike", search) for name in field_names)

    def _logistics_list_values(self, kind, model, url, page, params):
        """Values of a list page: the searchbar's options from the
        ``_<kind>_get_searchbar_*`` methods, the page of records found with
        the user's own rights, and the pager. Unknown sort, filter or search
        keys fall back to the defaults instead of failing."""
        sortings = getattr(self, f"_{kind}_get_searchbar_sortings")()
        filters = getattr(self, f"_{kind}_get_searchbar_filters")()
        inputs = getattr(self, f"_{kind}_get_searchbar_inputs")()
        sortby = params.get("sortby")
        sortby = sortby if sortby in sortings else next(iter(sortings))
        filterby = params.get("filterby")
        filterby = filterby if filterby in filters else next(iter(filters))
        search_in = params.get("search_in")
        search_in = search_in if search_in in inputs else "all"
        search = params.get("search") or ""
        if not isinstance(search, str):
            search = ""
        search = search[:100]

        Model = request.env[model]
        domain = Domain(filters[filterby]["domain"]) & Domain(
            getattr(self, f"_{kind}_get_search_domain")(search_in, search)
        )
        pager = portal_pager(
            url=url,
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search_in": search_in,
                "search": search,
            },
            total=Model.search_count(domain, limit=LIST_COUNT_LIMIT),
            page=page,
            step=self._logistics_items_per_page,
        )
        records = Model.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._logistics_items_per_page,
            offset=pager["offset"],
        )
        request.session[f"my_logistics_{kind}s_history"] = records.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "records": records,
                "page_name": f"logistics_{kind}s",
                "pager": pager,
                "default_url": url,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return values

    def _logistics_page_values(self, kind, record_sudo, access_token, **kwargs):
        values = {"page_name": f"logistics_{kind}", kind: record_sudo}
        return self._get_page_view_values(
            record_sudo,
            access_token,
            values,
            f"my_logistics_{kind}s_history",
            False,
            **kwargs,
        )

    def _document_check_access(self, model_name, document_id, access_token=None):
        # Odoo's constant-time comparison raises TypeError on a non-ASCII
        # token and ids beyond PostgreSQL's integer reach no record: both
        # are refused here, for every portal route, instead of answering a
        # crafted link with a server error.
        if not 0 < document_id < 2**31:
            raise MissingError(request.env._("This document does not exist."))
        if not isinstance(access_token, str) or not access_token.isascii():
            access_token = None
        return super()._document_check_access(
            model_name, document_id, access_token=access_token
        )

    def _logistics_check(self, model, record_id, access_token):
        """The record, with sudo, once the user or the token may see it;
        None otherwise (the caller redirects)."""
        try:
            return self._document_check_access(
                model, record_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return None

    # ------------------------------------------------------------------
    # Shipments
    # ------------------------------------------------------------------
    @http.route(
        ["/my/shipments", "/my/shipments/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_shipments(self, page=1, **kw):
        values = self._logistics_list_values(
            "shipment", "logistics.shipment", "/my/shipments", page, kw
        )
        return request.render("logistics_crm_portal.portal_my_shipments", values)

    @http.route(
        ["/my/shipments/<int:shipment_id>"], type="http", auth="public", website=True
    )
    def portal_my_shipment(self, shipment_id, access_token=None, event_page=1, **kw):
        shipment_sudo = self._logistics_check(
            "logistics.shipment", shipment_id, access_token
        )
        if shipment_sudo is None:
            return request.redirect("/my")
        values = self._logistics_page_values(
            "shipment", shipment_sudo, access_token, **kw
        )
        values.update(self._shipment_timeline_values(shipment_sudo, event_page))
        return request.render("logistics_crm_portal.portal_my_shipment", values)

    def _shipment_timeline_values(self, shipment_sudo, event_page):
        """One page of the tracking timeline: a shipment with thousands of
        events renders in the same number of queries as one with ten."""
        Event = request.env["logistics.shipment.event"].sudo()
        domain = [("shipment_id", "=", shipment_sudo.id)]
        try:
            event_page = max(int(event_page), 1)
        except (TypeError, ValueError):
            event_page = 1
        total = Event.search_count(domain, limit=LIST_COUNT_LIMIT)
        offset = (event_page - 1) * TIMELINE_PAGE_SIZE
        events = Event.search(domain, limit=TIMELINE_PAGE_SIZE, offset=offset)
        return {
            "events": events,
            "event_page": event_page,
            "event_pages": max((total - 1) // TIMELINE_PAGE_SIZE + 1, 1),
            "open_exceptions": shipment_sudo.exception_ids.filtered(
                lambda exception: exception.state != "resolved"
            ),
            "documents": shipment_sudo.portal_document_ids,
        }

    @http.route(
        ["/my/shipments/<int:shipment_id>/documents/<int:attachment_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_shipment_document(
        self, shipment_id, attachment_id, access_token=None, **kw
    ):
        shipment_sudo = self._logistics_check(
            "logistics.shipment", shipment_id, access_token
        )
        if shipment_sudo is None:
            return request.redirect("/my")
        document = shipment_sudo.portal_document_ids.filtered(
            lambda attachment: attachment.id == attachment_id
        )
        if not document:
            return request.not_found()
        return (
            request.env["ir.binary"]
            ._get_stream_from(document)
            .get_response(as_attachment=True)
        )

    # ------------------------------------------------------------------
    # Complaints
    # ------------------------------------------------------------------
    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_complaints(self, page=1, **kw):
        values = self._logistics_list_values(
            "complaint", "logistics.complaint", "/my/complaints", page, kw
        )
        return request.render("logistics_crm_portal.portal_my_complaints", values)

    @http.route(
        ["/my/complaints/<int:complaint_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_complaint(self, complaint_id, access_token=None, **kw):
        complaint_sudo = self._logistics_check(
            "logistics.complaint", complaint_id, access_token
        )
        if complaint_sudo is None:
            return request.redirect("/my")
        values = self._logistics_page_values(
            "complaint", complaint_sudo, access_token, **kw
        )
        values.update(self._complaint_service_values(complaint_sudo))
        return request.render("logistics_crm_portal.portal_my_complaint", values)

    def _complaint_service_values(self, complaint_sudo):
        """What the customer is told of the SLA: when an answer and a
        resolution are due and when they came, not the internal clocks."""
        slas = {sla.kind: sla for sla in complaint_sudo.sla_ids}
        rating_token = False
        if (
            complaint_sudo.stage_id.is_resolved
            and not complaint_sudo.rating_last_value
            and complaint_sudo._rating_get_partner()
        ):
            rating_token = complaint_sudo._rating_get_access_token()
        return {
            "first_response_sla": slas.get("first_response"),
            "resolution_sla": slas.get("resolution"),
            "can_close": complaint_sudo.stage_id.portal_can_close
            and not complaint_sudo.is_closed,
            "rating_token": rating_token,
        }

    @http.route(
        ["/my/complaints/<int:complaint_id>/close"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_my_complaint_close(self, complaint_id, access_token=None, **kw):
        complaint_sudo = self._logistics_check(
            "logistics.complaint", complaint_id, access_token
        )
        if complaint_sudo is None:
            return request.redirect("/my")
        try:
            complaint_sudo._portal_close(request.env.user.partner_id)
        except (UserError, ValidationError) as error:
            values = self._logistics_page_values(
                "complaint", complaint_sudo, access_token, error=error.args[0]
            )
            values.update(self._complaint_service_values(complaint_sudo))
            return request.render("logistics_crm_portal.portal_my_complaint", values)
        return request.redirect(complaint_sudo.get_portal_url())

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_my_complaint_new(self, **kw):
        form = {
            "category_id": kw.get("category_id") or "",
            "shipment_id": kw.get("shipment_id") or "",
            "subject": kw.get("subject") or "",
            "description": kw.get("description") or "",
        }
        errors = {}
        if request.httprequest.method == "POST":
            vals, attachments, errors = self._complaint_validate_form(form)
            if not errors:
                complaint_sudo = self._complaint_create_from_portal(vals, attachments)
                return request.redirect(complaint_sudo.get_portal_url())
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_complaint_new",
                "form": form,
                "errors": errors,
                "categories": request.env["logistics.complaint.category"].search([]),
                # The latest shipments, and the one the form came from even
                # when it is older: a long history is not one long list.
                "shipments": request.env["logistics.shipment"].search(
                    [("state", "!=", "cancelled")], limit=200
                )
                | self._logistics_own_record("logistics.shipment", form["shipment_id"]),
            }
        )
        return request.render("logistics_crm_portal.portal_complaint_new", values)

    def _complaint_validate_form(self, form):
        """Complaint values from the portal form, only the fields the form
        offers: anything else posted is ignored. Errors are per field, in
        the user's language, and nothing is created while there is one."""
        errors = {}
        subject = form["subject"].strip()
        description = form["description"].strip()
        if not subject:
            errors["subject"] = request.env._("Give your complaint a subject.")
        elif len(subject) > COMPLAINT_SUBJECT_MAX:
            errors["subject"] = request.env._(
                "The subject is limited to %s characters.", COMPLAINT_SUBJECT_MAX
            )
        if len(description) > COMPLAINT_DESCRIPTION_MAX:
            errors["description"] = request.env._(
                "The description is limited to %s characters.",
                COMPLAINT_DESCRIPTION_MAX,
            )
        category = self._logistics_own_record(
            "logistics.complaint.category", form["category_id"]
        )
        if not category:
            errors["category_id"] = request.env._("Choose a category.")
        shipment = request.env["logistics.shipment"]
        if form["shipment_id"]:
            shipment = self._logistics_own_record(
                "logistics.shipment", form["shipment_id"]
            )
            if not shipment:
                errors["shipment_id"] = request.env._("Choose one of your shipments.")
        attachments = [
            upload
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        if len(attachments) > COMPLAINT_ATTACHMENTS_MAX:
            errors["attachments"] = request.env._(
                "Attach at most %s files.", COMPLAINT_ATTACHMENTS_MAX
            )
        files = []
        for upload in attachments[:COMPLAINT_ATTACHMENTS_MAX]:
            content = upload.read(COMPLAINT_ATTACHMENT_BYTES_MAX + 1)
            if len(content) > COMPLAINT_ATTACHMENT_BYTES_MAX:
                errors["attachments"] = request.env._(
                    "%(file)s is larger than %(size)s MB.",
                    file=upload.filename,
                    size=COMPLAINT_ATTACHMENT_BYTES_MAX // (1024 * 1024),
                )
            files.append((upload.filename[:255], content, upload.mimetype))
        contact = request.env.user.partner_id
        vals = {
            "subject": subject,
            "description": plaintext2html(description) if description else False,
            "category_id": category.id,
            "shipment_id": shipment.id or False,
            "partner_id": contact.commercial_partner_id.id,
            "contact_id": contact.id,
            "channel": "portal",
        }
        return vals, files, errors

    @staticmethod
    def _logistics_own_record(model, value):
        """The record of that id the user may read, or an empty recordset:
        record rules decide, so another customer's id finds nothing."""
        try:
            record_id = int(value)
        except (TypeError, ValueError):
            return request.env[model]
        if not 0 < record_id < 2**31:
            return request.env[model]
        return request.env[model].search([("id", "=", record_id)], limit=1)

    def _complaint_create_from_portal(self, vals, files):
        """Create the complaint: with sudo, because the portal user has no
        create right on complaints, from values that were all checked
        against the user's own rights."""
        contact = request.env.user.partner_id
        complaint_sudo = request.env["logistics.complaint"].sudo().create(vals)
        complaint_sudo.message_subscribe(partner_ids=contact.ids)
        if files:
            attachments = (
                request.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {
                            "name": name,
                            "raw": content,
                            "mimetype": mimetype,
                            "res_model": complaint_sudo._name,
                            "res_id": complaint_sudo.id,
                        }
                        for name, content, mimetype in files
                    ]
                )
            )
            complaint_sudo.message_post(
                body=request.env._("Attachments sent with the complaint."),
                author_id=contact.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachment_ids=attachments.ids,
            )
        return complaint_sudo

    # ------------------------------------------------------------------
    # Quotes
    # ------------------------------------------------------------------
    @http.route(
        ["/my/quotes", "/my/quotes/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_quotes(self, page=1, **kw):
        values = self._logistics_list_values(
            "quote", "logistics.quote", "/my/quotes", page, kw
        )
        return request.render("logistics_crm_portal.portal_my_quotes", values)

    @http.route(["/my/quotes/<int:quote_id>"], type="http", auth="public", website=True)
    def portal_my_quote(self, quote_id, access_token=None, report_type=None, **kw):
        quote_sudo = self._logistics_check("logistics.quote", quote_id, access_token)
        if quote_sudo is None or quote_sudo.state == "draft":
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=quote_sudo,
                report_type=report_type,
                report_ref="logistics_crm.logistics_quote_report_action",
                download=kw.get("download"),
            )
        values = self._logistics_page_values("quote", quote_sudo, access_token, **kw)
        return request.render("logistics_crm_portal.portal_my_quote", values)

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
                str(name or "")[:200], request.httprequest.remote_addr
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

    def _quote_answer(self, quote_id, access_token, answer):
        """Apply the customer's answer to a sent quote they may see; a refusal
        (expired, already answered, no name) shows on the quote's page."""
        quote_sudo = self._logistics_check("logistics.quote", quote_id, access_token)
        if quote_sudo is None or quote_sudo.state == "draft":
            return request.redirect("/my")
        try:
            answer(quote_sudo)
        except UserError as error:
            values = self._logistics_page_values(
                "quote", quote_sudo, access_token, error=error.args[0]
            )
            return request.render("logistics_crm_portal.portal_my_quote", values)
        return request.redirect(quote_sudo.get_portal_url())

    # ------------------------------------------------------------------
    # Service level and scorecard
    # ------------------------------------------------------------------
    @http.route(["/my/service"], type="http", auth="user", website=True)
    def portal_my_service(self, **kw):
        # The user's own company is the only record shown: no id is taken
        # from the request, so there is nothing to check a token against.
        customer_sudo = request.env.user.partner_id.commercial_partner_id.sudo()
        snapshots_sudo = request.env["logistics.kpi.snapshot"].sudo()
        scorecard = snapshots_sudo._scorecard(customer_sudo)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_service",
                "customer": customer_sudo,
                "service": customer_sudo._logistics_service_level(),
                "scorecard": scorecard,
                "chart": snapshots_sudo._scorecard_chart_html(scorecard),
            }
        )
        return request.render("logistics_crm_portal.portal_my_service", values)

    # ------------------------------------------------------------------
    # Notification preferences
    # ------------------------------------------------------------------
    @http.route(
        ["/my/notifications"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_my_notifications(self, **kw):
        contact = request.env.user.partner_id
        Subscription = request.env["logistics.notification.subscription"]
        events = Subscription._fields["event_code"]._description_selection(request.env)
        saved = False
        if request.httprequest.method == "POST":
            modes = {}
            for code, _label in events:
                mode = kw.get(f"mode_{code}")
                modes[code] = mode if mode in ("immediate", "digest") else False
            # The contact edits only their own subscriptions: sudo because
            # portal users have no write right on the model, scoped here.
            contact.sudo()._logistics_portal_save_subscriptions(
                modes, bool(kw.get("opt_out"))
            )
            saved = True
        subscriptions = {
            subscription.event_code: subscription
            for subscription in Subscription.search(
                [("partner_id", "=", contact.id), ("channel", "=", "email")]
            )
        }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_notifications",
                "events": events,
                "subscriptions": subscriptions,
                "opt_out": contact.sudo().logistics_notify_opt_out,
                "saved": saved,
            }
        )
        return request.render("logistics_crm_portal.portal_my_notifications", values)
