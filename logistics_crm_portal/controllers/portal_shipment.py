from odoo import http
from odoo.http import request

from .portal_base import LIST_COUNT_LIMIT, LogisticsPortalBase

SHIPMENTS_IN_PROGRESS = ("booked", "picked_up", "in_transit", "at_destination")
TIMELINE_PAGE_SIZE = 30
# Filter domains, shared by the home counter and the list's filters (and
# kept out of the translated label dicts, where Babel would extract them).
SHIPMENT_DOMAINS = {
    "in_progress": [("state", "in", SHIPMENTS_IN_PROGRESS)],
    "delivered": [("state", "=", "delivered")],
    "late": [("is_late", "=", True)],
    "exception": [("has_open_exception", "=", True)],
}


class ShipmentPortal(LogisticsPortalBase):
    """The customer's shipments: list, tracking page and documents."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_shipment_count" in counters:
            values["logistics_shipment_count"] = self._logistics_count(
                "logistics.shipment", SHIPMENT_DOMAINS["in_progress"]
            )
        return values

    def _shipment_get_searchbar_sortings(self):
        return {
            # Newest booked first: a shipment's date is its pickup (ids
            # follow the order records were entered, not their dates).
            "date": {
                "label": request.env._("Newest"),
                "order": "planned_pickup_date desc, id desc",
            },
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

    @http.route(
        ["/my/shipments", "/my/shipments/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_shipments(self, page=1, **kw):
        values = self._logistics_list_values(
            "shipment", "logistics.shipment", "/my/shipments", page, kw
        )
        return request.render("logistics_crm_portal.portal_my_shipments", values)

    # Not read-only: the previous/next links of the page give those
    # shipments their access token on first use (portal's records pager).
    @http.route(
        ["/my/shipments/<int:shipment_id>"],
        type="http",
        auth="public",
        website=True,
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
        readonly=True,
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
            raise request.not_found()
        return (
            request.env["ir.binary"]
            ._get_stream_from(document)
            .get_response(as_attachment=True)
        )
