from collections import defaultdict
from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL

from .logistics_phone import display_phone, normalize_phone

SCREEN_POP_PATH = "/logistics/call"
# What an agent reads while the phone rings: more would not be read, and a
# bounded answer keeps the lookup's cost the same for the largest customer.
MAX_COMPLAINTS = 10
MAX_SHIPMENTS = 10
LAST_INTERACTIONS = 5
TRANSIT_STATES = ("picked_up", "in_transit", "at_destination")


class LogisticsCallerLookup(models.AbstractModel):
    """Who is calling: the answer a telephony system (PBX, softphone) gets for
    the caller's number, through Odoo's external API (JSON-2
    ``/json/2/logistics.caller.lookup/lookup``, XML-RPC ``execute_kw``) or
    the screen-pop page.

    The number is read in any form and compared in E.164 with the stored
    numbers of every contact, so the answer costs the same few queries
    whatever the number of contacts.
    """

    _name = "logistics.caller.lookup"
    _description = "Caller Lookup"

    @api.model
    @api.readonly
    def lookup(self, number):
        """Describe the caller of ``number``.

        Returns a dict whose ``status`` is ``invalid`` (not a phone number),
        ``unknown`` (nobody has it: the screen pop offers to create the
        contact or a lead), ``found`` (one contact) or ``several`` (a shared
        switchboard: ``matches`` lists them all). Each match holds the
        contact, its customer with tier and account manager, the customer's
        open complaints with their SLA status, its shipments on the way with
        their ETA, and its last interactions.
        """
        self._check_caller_lookup_access()
        e164 = self._normalize(number)
        if not e164:
            return {
                "status": "invalid",
                "number": number if isinstance(number, str) else "",
                "message": self.env._("This is not a phone number."),
            }
        contacts = self._contacts_of(e164)
        result = {
            "number": e164,
            "number_display": display_phone(e164),
            "screen_pop_url": self._screen_pop_url(e164),
        }
        if not contacts:
            return {
                **result,
                "status": "unknown",
                "message": self.env._(
                    "No contact has this number: create the contact or a lead."
                ),
                "matches": [],
            }
        return {
            **result,
            "status": "found" if len(contacts) == 1 else "several",
            "message": ""
            if len(contacts) == 1
            else self.env._(
                "%s contacts share this number: choose the caller.", len(contacts)
            ),
            "matches": self._describe(contacts),
        }

    @api.model
    def _check_caller_lookup_access(self):
        # A caller's file (complaints, shipments, account manager) is for
        # the company's own staff, never for portal users or the public.
        if not self.env.user._is_internal():
            raise AccessError(
                self.env._("The caller lookup answers only to internal users.")
            )

    @api.model
    def _normalize(self, number):
        if isinstance(number, int) and not isinstance(number, bool):
            number = str(number)
        return normalize_phone(number, self._default_region())

    @api.model
    def _default_region(self):
        """The company's country, where a national number is read. Read in
        SQL: the company's address fields are computed from its whole
        partner record, a cost every call would pay."""
        self.env.cr.execute(
            SQL(
                """
                SELECT country.code
                  FROM res_company company
                  JOIN res_partner partner ON partner.id = company.partner_id
                  JOIN res_country country ON country.id = partner.country_id
                 WHERE company.id = %s
                """,
                self.env.company.id,
            )
        )
        row = self.env.cr.fetchone()
        return row[0] if row else None

    @api.model
    def _contacts_of(self, e164):
        """Every contact with this number as phone or mobile (the number of a
        company is its switchboard: the company itself is a match)."""
        return self.env["res.partner"].search_fetch(
            Domain("phone_e164", "=", e164) | Domain("mobile_e164", "=", e164),
            ["name", "function", "email", "phone", "mobile", "commercial_partner_id"],
            order="is_company, name, id",
            limit=50,
        )

    @api.model
    def _screen_pop_url(self, e164):
        return f"{self.get_base_url()}{SCREEN_POP_PATH}?{urlencode({'number': e164})}"

    @api.model
    def _describe(self, contacts):
        customers = contacts.commercial_partner_id
        # Only the names shown: a user's or partner's whole row is wide.
        customers.fetch(["name", "tier_id", "account_manager_id"])
        customers.tier_id.fetch(["name"])
        managers = customers.account_manager_id
        managers.fetch(["partner_id"])
        managers.partner_id.fetch(["name"])
        complaints = self._open_complaints(customers)
        shipments = self._shipments_on_the_way(customers)
        interactions = self.env["logistics.interaction"]._last_interactions(
            customers.ids, limit=LAST_INTERACTIONS
        )
        return [
            {
                "contact": {
                    "id": contact.id,
                    "name": contact.name,
                    "function": contact.function or "",
                    "email": contact.email or "",
                    "phone": contact.phone or "",
                    "mobile": contact.mobile or "",
                },
                "customer": {
                    "id": customer.id,
                    "name": customer.name,
                    "tier": customer.tier_id.name or "",
                    "account_manager": customer.account_manager_id.partner_id.name
                    or "",
                },
                "open_complaints": complaints[customer.id],
                "shipments_in_transit": shipments[customer.id],
                "last_interactions": [
                    {**row, "date": fields.Datetime.to_string(row["date"])}
                    for row in interactions.get(customer.id, [])
                ],
                "url": f"/odoo/res.partner/{contact.id}",
            }
            for contact in contacts
            for customer in [contact.commercial_partner_id]
        ]

    @api.model
    def _open_complaints_of(self, customers, fnames=(), limit=None):
        """The customers' open complaints, soonest SLA deadline first: what
        the lookup answers and the call form shows."""
        return self.env["logistics.complaint"].search_fetch(
            [("partner_id", "in", customers.ids), ("is_closed", "=", False)],
            ["partner_id", *fnames],
            order="sla_deadline, id",
            limit=limit,
        )

    @api.model
    def _shipments_on_the_way_of(self, customers, fnames=(), limit=None):
        """The customers' shipments between pickup and delivery, soonest
        ETA first."""
        return self.env["logistics.shipment"].search_fetch(
            [("partner_id", "in", customers.ids), ("state", "in", TRANSIT_STATES)],
            ["partner_id", *fnames],
            order="eta, id",
            limit=limit,
        )

    @api.model
    def _first_per_customer(self, records, cap, describe):
        """``describe(record)`` of each customer's first ``cap`` records."""
        by_customer = defaultdict(list)
        for record in records:
            rows = by_customer[record.partner_id.id]
            if len(rows) < cap:
                rows.append(describe(record))
        return by_customer

    @api.model
    def _open_complaints(self, customers):
        complaints = self._open_complaints_of(
            customers,
            ["name", "subject", "stage_id", "sla_status", "sla_deadline"],
            limit=MAX_COMPLAINTS * len(customers),
        )
        statuses = dict(
            complaints._fields["sla_status"]._description_selection(self.env)
        )
        return self._first_per_customer(
            complaints,
            MAX_COMPLAINTS,
            lambda complaint: {
                "id": complaint.id,
                "name": complaint.name,
                "subject": complaint.subject,
                "stage": complaint.stage_id.name,
                "sla_status": statuses.get(complaint.sla_status, ""),
                "sla_deadline": fields.Datetime.to_string(complaint.sla_deadline) or "",
            },
        )

    @api.model
    def _shipments_on_the_way(self, customers):
        shipments = self._shipments_on_the_way_of(
            customers,
            ["name", "state", "eta"],
            limit=MAX_SHIPMENTS * len(customers),
        )
        states = dict(shipments._fields["state"]._description_selection(self.env))
        return self._first_per_customer(
            shipments,
            MAX_SHIPMENTS,
            lambda shipment: {
                "id": shipment.id,
                "name": shipment.name,
                "state": states.get(shipment.state, ""),
                "eta": fields.Datetime.to_string(shipment.eta) or "",
            },
        )
