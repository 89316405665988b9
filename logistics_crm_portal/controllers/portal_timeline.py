from odoo import http
from odoo.http import request

from .portal_base import LogisticsPortalBase

# The customer's own portal page of a timeline row's document, where it has
# one: the page checks access itself, so the link only saves a step.
PORTAL_PAGES = {
    "logistics.complaint": "/my/complaints/%s",
    "logistics.shipment": "/my/shipments/%s",
    "logistics.quote": "/my/quotes/%s",
    "logistics.quote.request": "/my/quote-requests/%s",
    "sale.order": "/my/orders/%s",
}
# Calls are not on the portal (their summary is the agent's own words): the
# record rule shows public rows only, and calls never are.
PORTAL_CHANNELS = (
    "email",
    "portal",
    "meeting",
    "notification",
    "complaint",
    "quote",
    "booking",
)


class TimelinePortal(LogisticsPortalBase):
    """The customer's timeline: their touchpoints with us, newest first."""

    def _interaction_get_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date desc, id desc"},
            "oldest": {"label": request.env._("Oldest"), "order": "date asc, id asc"},
        }

    def _interaction_get_searchbar_filters(self):
        labels = dict(
            request.env["logistics.interaction"]
            ._fields["channel"]
            ._description_selection(request.env)
        )
        return {
            "all": {"label": request.env._("All"), "domain": []},
            **{
                channel: {
                    "label": labels[channel],
                    "domain": [("channel", "=", channel)],
                }
                for channel in PORTAL_CHANNELS
            },
        }

    def _interaction_get_searchbar_inputs(self):
        return {"all": {"input": "all", "label": request.env._("Search in Summary")}}

    def _interaction_get_search_domain(self, search_in, search):
        return self._logistics_search_domain({"all": ["name"]}, search_in, search)

    @http.route(
        ["/my/service/timeline", "/my/service/timeline/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_timeline(self, page=1, **kw):
        # The user's own environment: the record rule limits the rows to
        # their company's public ones.
        values = self._logistics_list_values(
            "interaction", "logistics.interaction", "/my/service/timeline", page, kw
        )
        values["portal_url"] = {
            row.id: PORTAL_PAGES[row.res_model] % row.res_id
            for row in values["records"]
            if row.res_model in PORTAL_PAGES and row.res_id
        }
        values["page_name"] = "logistics_timeline"
        return request.render("logistics_crm_portal.portal_my_timeline", values)
