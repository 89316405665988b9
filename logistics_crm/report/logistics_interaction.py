from odoo import api, fields, models
from odoo.fields import Domain
from odoo.orm.domains import DomainAnd, DomainCondition
from odoo.tools import SQL

from ..models.logistics_selections import (
    INTERACTION_CHANNELS,
    INTERACTION_DIRECTIONS,
)

# A row's id is its source record's id times this, plus the source's number:
# unique and stable per row, and the source record's id is the id divided
# by it (see _search). Numbers up to 15 are free for other addons' sources.
SOURCE_SLOTS = 16
SOURCE_CALL = 1
SOURCE_MESSAGE = 2
SOURCE_MEETING = 3
SOURCE_NOTIFICATION = 4
SOURCE_COMPLAINT_OPENED = 5
SOURCE_COMPLAINT_RESOLVED = 6
SOURCE_QUOTE = 7
SOURCE_BOOKING = 8
# Messages on these documents are the customer's, through the column that
# holds its partner (the partner itself for res.partner).
MESSAGE_DOCUMENTS = {
    "res.partner": ("res_partner", "id"),
    "logistics.complaint": ("logistics_complaint", "partner_id"),
    "logistics.shipment": ("logistics_shipment", "partner_id"),
    "logistics.quote": ("logistics_quote", "partner_id"),
    "logistics.quote.request": ("logistics_quote_request", "partner_id"),
    "sale.order": ("sale_order", "partner_id"),
}
# The contact a document is about, when it names one.
DOCUMENT_CONTACT_COLUMNS = {
    "res.partner": "id",
    "logistics.complaint": "contact_id",
    "logistics.shipment": "contact_id",
    "logistics.quote.request": "contact_id",
    "sale.order": "partner_id",
}
# What a customer may see on their timeline: a call's summary is the agent's
# own words, so calls stay off the portal (is_public is false for them).
CONTACT_CHANNELS = ("call", "email", "meeting", "portal")
# The columns every source selects, in the view's order, with their SQL type.
INTERACTION_COLUMNS = {
    "date": "timestamp",
    "channel": "varchar",
    "direction": "varchar",
    "customer_id": "integer",
    "contact_id": "integer",
    "user_id": "integer",
    "name": "varchar",
    "res_model": "varchar",
    "res_id": "integer",
    "is_public": "boolean",
    "is_contact": "boolean",
}
# Context key: the timeline is read for these customers only (see
# _table_query).
CUSTOMERS_CONTEXT_KEY = "logistics_interaction_customer_ids"


class LogisticsInteraction(models.Model):
    """Every touchpoint with a customer in time order: calls, e-mails and
    portal messages, meetings, notifications, complaints, quotes and
    bookings, one row each, read from the records themselves.

    Each source is one SELECT built by its own method, listed by
    ``_interaction_sources``: an addon adds a source by extending that list.
    """

    _name = "logistics.interaction"
    _description = "Customer Interaction"
    _auto = False
    _order = "date desc, id desc"
    # What the sources read: flushed before the timeline is searched.
    _depends = {
        "crm.phonecall": [
            "active",
            "customer_id",
            "date",
            "direction",
            "name",
            "partner_id",
            "state",
            "user_id",
        ],
        "mail.message": [
            "author_id",
            "body",
            "date",
            "is_internal",
            "message_type",
            "model",
            "res_id",
            "subject",
            "subtype_id",
        ],
        "mail.message.subtype": ["internal"],
        "res.partner": ["commercial_partner_id", "name"],
        "res.users": ["active", "partner_id", "share"],
        "res.users.settings": ["calendar_default_privacy", "user_id"],
        "res.company": ["partner_id"],
        "calendar.event": ["active", "name", "privacy", "start", "user_id"],
        "calendar.attendee": ["event_id", "partner_id", "state"],
        "logistics.notification.log": [
            "event_code",
            "event_date",
            "partner_id",
            "sent_date",
            "shipment_id",
            "state",
        ],
        "logistics.complaint": [
            "channel",
            "contact_id",
            "name",
            "partner_id",
            "resolved_date",
            "subject",
            "user_id",
        ],
        "logistics.shipment": ["contact_id", "name", "partner_id"],
        "logistics.quote": ["date_sent", "name", "partner_id", "state", "user_id"],
        "logistics.quote.request": ["contact_id", "partner_id"],
        "sale.order": [
            "date_order",
            "logistics_quote_id",
            "name",
            "partner_id",
            "state",
            "user_id",
        ],
    }

    source_id = fields.Integer(string="Source Record", readonly=True)
    date = fields.Datetime(readonly=True)
    channel = fields.Selection(selection=INTERACTION_CHANNELS, readonly=True)
    direction = fields.Selection(selection=INTERACTION_DIRECTIONS, readonly=True)
    customer_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    contact_id = fields.Many2one(
        comodel_name="res.partner", string="Contact", readonly=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Staff Member", readonly=True
    )
    name = fields.Char(string="Summary", readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", readonly=True
    )
    is_public = fields.Boolean(
        string="Shown to the Customer",
        readonly=True,
        help="Shown on the customer's portal timeline.",
    )
    is_contact = fields.Boolean(
        string="Account Team in Touch",
        readonly=True,
        help="A held call, a meeting (once its date has passed), or an e-mail or "
        "message our staff sent: counts for the contact cadence of the "
        "customer's tier.",
    )

    @property
    def _table_query(self):
        sources = SQL(" UNION ALL ").join(
            SQL("(%s)", source) for source in self._interaction_sources()
        )
        customer_ids = self.env.context.get(CUSTOMERS_CONTEXT_KEY)
        if not customer_ids:
            return sources
        # The sources find a row's customer through the partner it names.
        # When the customers are known, their partners are read once and
        # joined instead of res_partner: the planner then weighs none of
        # res_partner's many indexes for each of its joins, which halves
        # the time to plan a customer's timeline (the caller lookup pays it
        # while the phone rings).
        return SQL(
            """WITH %s AS MATERIALIZED (
                   SELECT id, commercial_partner_id
                     FROM res_partner
                    WHERE commercial_partner_id IN %s)
               %s""",
            self._interaction_partners(),
            tuple(customer_ids),
            sources,
        )

    @api.model
    def _search(self, domain, *args, **kwargs):
        # Reading rows by id (fetch, access checks) filters on the computed
        # id, which no index serves: the source record's id, which the
        # sources' primary keys serve, narrows every SELECT first.
        domain = Domain(domain)
        ids = self._ids_of_domain(domain)
        if ids:
            domain &= Domain(
                "source_id", "in", sorted({row_id // SOURCE_SLOTS for row_id in ids})
            )
        return super()._search(domain, *args, **kwargs)

    def _as_query(self, ordered=True):
        query = super()._as_query(ordered)
        ids = [row_id for row_id in self._ids if isinstance(row_id, int)]
        if ids:
            query.add_where(
                SQL(
                    "%s IN %s",
                    SQL.identifier(self._table, "source_id"),
                    tuple({row_id // SOURCE_SLOTS for row_id in ids}),
                )
            )
        return query

    @staticmethod
    def _ids_of_domain(domain):
        """The ids a domain restricts to at its top level, else None."""
        conditions = domain.children if isinstance(domain, DomainAnd) else (domain,)
        for condition in conditions:
            if (
                isinstance(condition, DomainCondition)
                and condition.field_expr == "id"
                and condition.operator == "in"
                and isinstance(condition.value, list | tuple | set | frozenset)
                and all(isinstance(value, int) for value in condition.value)
            ):
                return condition.value
        return None

    def action_open_source(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
            "target": "current",
        }

    # Sources -------------------------------------------------------------

    @api.model
    def _interaction_sources(self):
        """The SELECTs of the timeline, one per source."""
        return [
            self._interaction_calls(),
            self._interaction_messages(),
            self._interaction_meetings(),
            self._interaction_notifications(),
            self._interaction_complaints_opened(),
            self._interaction_complaints_resolved(),
            self._interaction_quotes(),
            self._interaction_bookings(),
        ]

    @api.model
    def _interaction_partners(self):
        """The relation the sources join to read a partner's customer: the
        known customers' partners, or every partner."""
        if self.env.context.get(CUSTOMERS_CONTEXT_KEY):
            return SQL.identifier("customer_partner")
        return SQL.identifier("res_partner")

    @api.model
    def _interaction_select(self, source, source_id, columns, from_clause):
        """One source's SELECT, its columns in the view's order; ``columns``
        maps a column to its SQL (NULL when missing)."""
        return SQL(
            "SELECT %s::bigint * %s + %s AS id, %s AS source_id, %s %s",
            source_id,
            SOURCE_SLOTS,
            source,
            source_id,
            SQL(", ").join(
                SQL(
                    "(%s)::%s AS %s",
                    columns.get(name, SQL("NULL")),
                    SQL(sql_type),
                    SQL.identifier(name),
                )
                for name, sql_type in INTERACTION_COLUMNS.items()
            ),
            from_clause,
        )

    @api.model
    def _interaction_calls(self):
        return self._interaction_select(
            SOURCE_CALL,
            SQL("call.id"),
            {
                "date": SQL("call.date"),
                "channel": SQL("'call'"),
                "direction": SQL("call.direction"),
                "customer_id": SQL("call.customer_id"),
                "contact_id": SQL("nullif(call.partner_id, call.customer_id)"),
                "user_id": SQL("call.user_id"),
                "name": SQL("call.name"),
                "res_model": SQL("'crm.phonecall'"),
                "res_id": SQL("call.id"),
                "is_public": SQL("FALSE"),
                "is_contact": SQL("call.state = 'done'"),
            },
            SQL(
                """FROM crm_phonecall call
                  WHERE call.customer_id IS NOT NULL
                    AND call.active
                    AND call.state != 'cancel'"""
            ),
        )

    @api.model
    def _interaction_message_documents(self):
        """The customer's documents whose messages are on the timeline, one
        SELECT (model, res_id, customer_id, contact_id) per kind."""
        documents = []
        partners = self._interaction_partners()
        for model, (table, column) in MESSAGE_DOCUMENTS.items():
            contact_column = DOCUMENT_CONTACT_COLUMNS.get(model)
            contact = (
                SQL(
                    "nullif(%s, partner.commercial_partner_id)",
                    SQL.identifier("document", contact_column),
                )
                if contact_column
                else SQL("NULL::integer")
            )
            documents.append(
                SQL(
                    """SELECT %(model)s::varchar AS model, document.id AS res_id,
                              partner.commercial_partner_id AS customer_id,
                              %(contact)s AS contact_id
                         FROM %(table)s document
                         JOIN %(partners)s partner ON partner.id = %(column)s""",
                    model=model,
                    contact=contact,
                    partners=partners,
                    table=partners if table == "res_partner" else SQL.identifier(table),
                    column=SQL.identifier("document", column),
                )
            )
        return documents

    @api.model
    def _interaction_messages(self):
        """E-mails and messages (never notes) on the customer's documents."""
        inbound = SQL("author.commercial_partner_id = document.customer_id")
        staff_author = SQL("author_user.share IS FALSE")
        return self._interaction_select(
            SOURCE_MESSAGE,
            SQL("message.id"),
            {
                "date": SQL("message.date"),
                # A customer writing on the portal; e-mails stay e-mails.
                "channel": SQL(
                    "CASE WHEN message.message_type = 'comment' "
                    "AND author_user.share THEN 'portal' ELSE 'email' END"
                ),
                "direction": SQL("CASE WHEN %s THEN 'in' ELSE 'out' END", inbound),
                "customer_id": SQL("document.customer_id"),
                "contact_id": SQL(
                    "CASE WHEN %s THEN nullif(message.author_id, document.customer_id) "
                    "ELSE document.contact_id END",
                    inbound,
                ),
                "user_id": SQL("CASE WHEN %s THEN author_user.id END", staff_author),
                "name": SQL(
                    "coalesce(nullif(message.subject, ''), left(btrim("
                    "regexp_replace(message.body, '<[^>]*>', ' ', 'g')), 120))"
                ),
                "res_model": SQL("message.model"),
                "res_id": SQL("message.res_id"),
                "is_public": SQL("TRUE"),
                "is_contact": SQL("%s AND NOT %s", staff_author, inbound),
            },
            SQL(
                """FROM mail_message message
                   JOIN (%(documents)s) document
                     ON document.model = message.model
                    AND document.res_id = message.res_id
                   JOIN mail_message_subtype subtype
                     ON subtype.id = message.subtype_id AND subtype.internal IS NOT TRUE
                   LEFT JOIN res_partner author ON author.id = message.author_id
                   -- the author's user, an internal one first
                   LEFT JOIN LATERAL (
                        SELECT users.id, users.share
                          FROM res_users users
                         WHERE users.active AND users.partner_id = message.author_id
                      ORDER BY users.share, users.id
                         LIMIT 1
                   ) author_user ON TRUE
                  WHERE message.message_type IN ('email', 'comment', 'email_outgoing')
                    AND message.is_internal IS NOT TRUE""",
                documents=SQL(" UNION ALL ").join(
                    self._interaction_message_documents()
                ),
            ),
        )

    @api.model
    def _interaction_meetings(self):
        """A meeting once per customer whose contacts attend it."""
        return self._interaction_select(
            SOURCE_MEETING,
            SQL("attendee.id"),
            {
                "date": SQL("event.start"),
                "channel": SQL("'meeting'"),
                "customer_id": SQL("partner.commercial_partner_id"),
                "contact_id": SQL("nullif(partner.id, partner.commercial_partner_id)"),
                "user_id": SQL("event.user_id"),
                "name": SQL("event.name"),
                "res_model": SQL("'calendar.event'"),
                "res_id": SQL("event.id"),
                "is_public": SQL(
                    "coalesce(event.privacy, settings.calendar_default_privacy, "
                    "'public') = 'public'"
                ),
                # Counts once held: readers keep the rows up to now.
                "is_contact": SQL("TRUE"),
            },
            SQL(
                # NOT IN for our own company and staff: a hashed list, which
                # costs less to plan than one more join.
                """FROM calendar_attendee attendee
                   JOIN calendar_event event ON event.id = attendee.event_id
                   JOIN %(partners)s partner ON partner.id = attendee.partner_id
                   LEFT JOIN res_users_settings settings
                     ON settings.user_id = event.user_id
                  WHERE event.active
                    AND attendee.state IS DISTINCT FROM 'declined'
                    -- our own staff's attendance is no customer's
                    AND partner.commercial_partner_id NOT IN (
                        SELECT company.partner_id FROM res_company company)
                    AND partner.id NOT IN (
                        SELECT staff.partner_id FROM res_users staff
                         WHERE NOT staff.share)
                    -- one row per customer: its first attendee's
                    AND NOT EXISTS (
                        SELECT 1
                          FROM calendar_attendee other
                          JOIN %(partners)s other_partner
                            ON other_partner.id = other.partner_id
                         WHERE other.event_id = attendee.event_id
                           AND other.id < attendee.id
                           AND other.state IS DISTINCT FROM 'declined'
                           AND other_partner.commercial_partner_id
                               = partner.commercial_partner_id)""",
                partners=self._interaction_partners(),
            ),
        )

    @api.model
    def _interaction_notifications(self):
        Log = self.env["logistics.notification.log"]
        labels = dict(Log._fields["event_code"]._description_selection(self.env))
        event_label = SQL(
            "CASE log.event_code %s END",
            SQL(" ").join(
                SQL("WHEN %s THEN %s", code, label) for code, label in labels.items()
            ),
        )
        return self._interaction_select(
            SOURCE_NOTIFICATION,
            SQL("log.id"),
            {
                "date": SQL("coalesce(log.sent_date, log.event_date)"),
                "channel": SQL("'notification'"),
                "direction": SQL("'out'"),
                "customer_id": SQL("partner.commercial_partner_id"),
                "contact_id": SQL("nullif(partner.id, partner.commercial_partner_id)"),
                "name": SQL("concat_ws(': ', shipment.name, %s)", event_label),
                "res_model": SQL("'logistics.shipment'"),
                "res_id": SQL("log.shipment_id"),
                "is_public": SQL("TRUE"),
                "is_contact": SQL("FALSE"),
            },
            SQL(
                """FROM logistics_notification_log log
                   JOIN %s partner ON partner.id = log.partner_id
                   JOIN logistics_shipment shipment ON shipment.id = log.shipment_id
                  WHERE log.state = 'sent'""",
                self._interaction_partners(),
            ),
        )

    @api.model
    def _interaction_complaint(self, source, date, direction, prefix, where):
        return self._interaction_select(
            source,
            SQL("complaint.id"),
            {
                "date": date,
                "channel": SQL("'complaint'"),
                "direction": direction,
                "customer_id": SQL("customer.commercial_partner_id"),
                "contact_id": SQL("complaint.contact_id"),
                "user_id": SQL("complaint.user_id"),
                "name": SQL(
                    "concat(%s, complaint.name, ' ', complaint.subject)", prefix
                ),
                "res_model": SQL("'logistics.complaint'"),
                "res_id": SQL("complaint.id"),
                "is_public": SQL("TRUE"),
                "is_contact": SQL("FALSE"),
            },
            SQL(
                """FROM logistics_complaint complaint
                   JOIN %s customer ON customer.id = complaint.partner_id
                  WHERE %s""",
                self._interaction_partners(),
                where,
            ),
        )

    @api.model
    def _interaction_complaints_opened(self):
        return self._interaction_complaint(
            SOURCE_COMPLAINT_OPENED,
            SQL("complaint.create_date"),
            # A complaint we raise ourselves goes out to the customer.
            SQL("CASE WHEN complaint.channel = 'proactive' THEN 'out' ELSE 'in' END"),
            self.env._("Opened: "),
            SQL("TRUE"),
        )

    @api.model
    def _interaction_complaints_resolved(self):
        return self._interaction_complaint(
            SOURCE_COMPLAINT_RESOLVED,
            SQL("complaint.resolved_date"),
            SQL("'out'"),
            self.env._("Resolved: "),
            SQL("complaint.resolved_date IS NOT NULL"),
        )

    @api.model
    def _interaction_quotes(self):
        return self._interaction_select(
            SOURCE_QUOTE,
            SQL("quote.id"),
            {
                "date": SQL("quote.date_sent"),
                "channel": SQL("'quote'"),
                "direction": SQL("'out'"),
                "customer_id": SQL("customer.commercial_partner_id"),
                "contact_id": SQL(
                    "nullif(customer.id, customer.commercial_partner_id)"
                ),
                "user_id": SQL("quote.user_id"),
                "name": SQL("quote.name"),
                "res_model": SQL("'logistics.quote'"),
                "res_id": SQL("quote.id"),
                "is_public": SQL("TRUE"),
                "is_contact": SQL("FALSE"),
            },
            SQL(
                """FROM logistics_quote quote
                   JOIN %s customer ON customer.id = quote.partner_id
                  WHERE quote.date_sent IS NOT NULL AND quote.state != 'draft'""",
                self._interaction_partners(),
            ),
        )

    @api.model
    def _interaction_bookings(self):
        return self._interaction_select(
            SOURCE_BOOKING,
            SQL("booking.id"),
            {
                "date": SQL("booking.date_order"),
                "channel": SQL("'booking'"),
                "customer_id": SQL("customer.commercial_partner_id"),
                "contact_id": SQL(
                    "nullif(customer.id, customer.commercial_partner_id)"
                ),
                "user_id": SQL("booking.user_id"),
                "name": SQL("booking.name"),
                "res_model": SQL("'sale.order'"),
                "res_id": SQL("booking.id"),
                "is_public": SQL("TRUE"),
                "is_contact": SQL("FALSE"),
            },
            SQL(
                """FROM sale_order booking
                   JOIN %s customer ON customer.id = booking.partner_id
                  WHERE booking.state != 'cancel'
                    AND (booking.state = 'sale'
                         OR booking.logistics_quote_id IS NOT NULL)""",
                self._interaction_partners(),
            ),
        )

    # Readers ------------------------------------------------------------------

    @api.model
    def _last_interactions(self, customer_ids, limit=5):
        """The latest ``limit`` interactions of each customer, newest first,
        in one query: {customer_id: [{"date", "channel" (its label),
        "direction", "name", "contact"}, ...]}. Record rules apply."""
        customer_ids = list(customer_ids)
        result = {customer_id: [] for customer_id in customer_ids}
        if not customer_ids:
            return result
        query = self.with_context(**{CUSTOMERS_CONTEXT_KEY: customer_ids})._search(
            [("customer_id", "in", customer_ids)]
        )
        table = SQL.identifier(self._table)
        rows = self.env.execute_query(
            SQL(
                """SELECT ranked.customer_id, ranked.date, ranked.channel,
                          ranked.direction, ranked.name, contact.name
                     FROM (SELECT %(table)s.customer_id, %(table)s.date,
                                  %(table)s.channel, %(table)s.direction,
                                  %(table)s.name, %(table)s.contact_id,
                                  row_number() OVER (
                                      PARTITION BY %(table)s.customer_id
                                      ORDER BY %(table)s.date DESC, %(table)s.id DESC
                                  ) AS rank
                             FROM %(from)s
                            WHERE %(where)s) ranked
                LEFT JOIN res_partner contact ON contact.id = ranked.contact_id
                    WHERE ranked.rank <= %(limit)s
                 ORDER BY ranked.customer_id, ranked.rank""",
                table=table,
                limit=limit,
                **{"from": query.from_clause, "where": query.where_clause},
            )
        )
        labels = dict(self._fields["channel"]._description_selection(self.env))
        for customer_id, date, channel, direction, name, contact in rows:
            result[customer_id].append(
                {
                    "date": date,
                    "channel": labels.get(channel, channel),
                    "direction": direction,
                    "name": name,
                    "contact": contact,
                }
            )
        return result

    @api.model
    def _last_dates_by_channel(self, customers, channels=CONTACT_CHANNELS):
        """{(customer_id, channel): date of the latest interaction so far}, one
        _read_group for all ``customers``."""
        groups = self._read_group(
            [
                ("customer_id", "in", customers.ids),
                ("channel", "in", list(channels)),
                ("date", "<=", fields.Datetime.now()),
            ],
            ["customer_id", "channel"],
            ["date:max"],
        )
        return {(customer.id, channel): date for customer, channel, date in groups}
