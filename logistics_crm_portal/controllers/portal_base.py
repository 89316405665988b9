from odoo.exceptions import AccessError, MissingError, UserError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal_document_access import RECORD_ID_MAX

# The pager counts at most this many records: a customer with hundreds of
# thousands of shipments pages (and searches) the same way, without an
# exact count that would scan all of them on every page.
LIST_COUNT_LIMIT = 10_000
SEARCH_MAX = 100


class LogisticsPortalBase(CustomerPortal):
    """What the logistics portal pages share: the home counters, the list
    page (searchbar, pager) and the record page.

    Lists search with the portal user's own environment, so record rules
    decide what is listed; detail routes go through ``_logistics_check``
    (rules or a constant-time token comparison) before anything is read
    with sudo. Each document's routes live in their own subclass.
    """

    _logistics_items_per_page = 20

    @staticmethod
    def _logistics_count(model, domain):
        Model = request.env[model]
        return Model.search_count(domain) if Model.has_access("read") else 0

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
        search = search[:SEARCH_MAX]

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

    def _logistics_check(self, model, record_id, access_token):
        """The record, with sudo, once the user or the token may see it;
        None otherwise (the caller redirects)."""
        try:
            return self._document_check_access(
                model, record_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return None

    @staticmethod
    def _logistics_answer(record_sudo, answer, page):
        """Apply the customer's ``answer`` to a record they may see, then
        back to its page; a refusal is shown by ``page(error)``. A refusal
        found halfway (a booking over the credit limit) leaves nothing
        written: the savepoint undoes what the answer had done."""
        try:
            with request.env.cr.savepoint():
                answer(record_sudo)
        except UserError as error:
            request.env.invalidate_all()
            return page(error.args[0])
        return request.redirect(record_sudo.get_portal_url())

    @staticmethod
    def _logistics_own_record(model, value):
        """The record of that id the user may read, or an empty recordset:
        record rules decide, so another customer's id finds nothing."""
        try:
            record_id = int(value)
        except (TypeError, ValueError):
            return request.env[model]
        if not 0 < record_id < RECORD_ID_MAX:
            return request.env[model]
        return request.env[model].search([("id", "=", record_id)], limit=1)
