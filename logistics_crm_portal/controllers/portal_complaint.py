from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from .portal_base import LogisticsPortalBase

COMPLAINT_SUBJECT_MAX = 200
COMPLAINT_DESCRIPTION_MAX = 20_000
COMPLAINT_ATTACHMENTS_MAX = 5
COMPLAINT_ATTACHMENT_BYTES_MAX = 10 * 1024 * 1024
COMPLAINT_DOMAINS = {
    "open": [("is_closed", "=", False)],
    "closed": [("is_closed", "=", True)],
}


class ComplaintPortal(LogisticsPortalBase):
    """The customer's complaints: list, page, closing and the form."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_complaint_count" in counters:
            values["logistics_complaint_count"] = self._logistics_count(
                "logistics.complaint", COMPLAINT_DOMAINS["open"]
            )
        return values

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

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_complaints(self, page=1, **kw):
        values = self._logistics_list_values(
            "complaint", "logistics.complaint", "/my/complaints", page, kw
        )
        return request.render("logistics_crm_portal.portal_my_complaints", values)

    # Not read-only: the rating link of a resolved complaint is created on
    # the first visit, and the previous/next links give those complaints
    # their access token (portal's records pager).
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
        return self._complaint_page(complaint_sudo, access_token, **kw)

    def _complaint_page(self, complaint_sudo, access_token, **kw):
        """The complaint's page, with what the customer is told of the SLA:
        when an answer and a resolution are due and when they came, not the
        internal clocks."""
        values = self._logistics_page_values(
            "complaint", complaint_sudo, access_token, **kw
        )
        slas = {sla.kind: sla for sla in complaint_sudo.sla_ids}
        rating_token = False
        if (
            complaint_sudo.stage_id.is_resolved
            and not complaint_sudo.rating_last_value
            and complaint_sudo._rating_get_partner()
        ):
            rating_token = complaint_sudo._rating_get_access_token()
        values.update(
            {
                "first_response_sla": slas.get("first_response"),
                "resolution_sla": slas.get("resolution"),
                "can_close": complaint_sudo.stage_id.portal_can_close
                and not complaint_sudo.is_closed,
                "rating_token": rating_token,
            }
        )
        return request.render("logistics_crm_portal.portal_my_complaint", values)

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
            return self._complaint_page(
                complaint_sudo, access_token, error=error.args[0]
            )
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
            files.append((upload.filename[:255], content))
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

    def _complaint_create_from_portal(self, vals, files):
        """Create the complaint: with sudo, because the portal user has no
        create right on complaints, from values that were all checked
        against the user's own rights."""
        contact = request.env.user.partner_id
        complaint_sudo = request.env["logistics.complaint"].sudo().create(vals)
        complaint_sudo.message_subscribe(partner_ids=contact.ids)
        if files:
            # Created by message_post itself, on the complaint and on the
            # message: existing attachments passed by id would be dropped,
            # mail keeps a portal user from posting files not uploaded
            # through the composer.
            complaint_sudo.message_post(
                body=request.env._("Attachments sent with the complaint."),
                author_id=contact.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachments=files,
            )
        return complaint_sudo
