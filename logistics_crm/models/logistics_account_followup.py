from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .logistics_selections import CUSTOMER_DOMAIN

PROFILE_REVIEW_ACTIVITY = "logistics_crm.mail_activity_type_profile_review"
CONTACT_CADENCE_ACTIVITY = "logistics_crm.mail_activity_type_contact_cadence"
BUSINESS_REVIEW_ACTIVITY = "logistics_crm.mail_activity_type_business_review"
BUSINESS_REVIEW_TYPE = "logistics_crm.calendar_event_type_business_review"
# A quarterly business review is due within this many days of the last one.
QBR_CADENCE_DAYS = 92
# What the cadence run keeps on the customer, in its UPDATE's column order.
CADENCE_FIELDS = (
    "last_contact_date",
    "contact_due_date",
    "out_of_cadence",
    "contact_gap_notified_date",
    "last_qbr_date",
    "qbr_due_date",
    "qbr_overdue",
    "qbr_gap_notified_date",
)


class LogisticsAccountFollowup(models.AbstractModel):
    """What the account managers are asked to do about their customers:
    activities created in one batch for many customers (profile reviews, tier
    changes, churn alerts), rather than one ``activity_schedule`` each."""

    _name = "logistics.account.followup"
    _description = "Account Manager Follow-up"

    @api.model
    def _create_account_manager_activities(self, activity_type, entries, **values):
        """One activity per (partner, summary) for the partner's account
        manager."""
        if not entries:
            return
        res_model_id = self.env["ir.model"]._get_id("res.partner")
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": res_model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "user_id": partner.account_manager_id.id,
                    "summary": summary,
                    **values,
                }
                for partner, summary in entries
            ]
        )

    @api.model
    def _schedule_profile_reviews(self):
        """Give each overdue profile one review activity for its account manager.

        A profile that already has an open review activity gets no second one.
        """
        today = fields.Date.context_today(self)
        overdue = self.env["res.partner"].search(
            [
                ("is_company", "=", True),
                ("account_manager_id", "!=", False),
                ("profile_review_due_date", "<=", today),
            ]
        )
        if not overdue:
            return
        activity_type = self.env.ref(PROFILE_REVIEW_ACTIVITY)
        already_open = {
            res_id
            for [res_id] in self.env["mail.activity"]._read_group(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", overdue.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
            )
        }
        summary = self.env._("Review the logistics profile")
        self._create_account_manager_activities(
            activity_type,
            [
                (partner, summary)
                for partner in overdue
                if partner.id not in already_open
            ],
            date_deadline=today,
        )

    @api.model
    def _mark_profile_reviewed(self, customers):
        """Record the review and close the open review activities it answers."""
        customers.write(
            {
                "profile_reviewed_date": fields.Date.context_today(self),
                "profile_reviewed_by_id": self.env.uid,
            }
        )
        activity_type = self.env.ref(PROFILE_REVIEW_ACTIVITY)
        customers.activity_ids.filtered(
            lambda act: act.activity_type_id == activity_type
        ).action_done()

    @api.model
    def _cadence_due_dates(self, customers, last_contacts, last_reviews):
        """{customer: (contact due, review due)}: the tier's cadence from the
        last contact and review, a due date off the tier's working calendar
        (a public holiday, a weekend) moved to its next working day, one
        working-time read per calendar."""
        dues = {}
        for customer in customers:
            start = customer.customer_since or customer.create_date.date()
            tier = customer.tier_id
            dues[customer] = (
                (last_contacts.get(customer.id) or start)
                + timedelta(days=tier.contact_cadence_days)
                if tier.contact_cadence_days > 0
                else False,
                (last_reviews.get(customer.id) or start)
                + timedelta(days=QBR_CADENCE_DAYS)
                if tier.qbr_required
                else False,
            )
        for calendar, group in customers.grouped(
            lambda customer: customer.tier_id.resource_calendar_id
        ).items():
            dated = [day for customer in group for day in dues[customer] if day]
            moved = dict(
                zip(dated, calendar._logistics_next_working_days(dated), strict=True)
            )
            for customer in group:
                dues[customer] = tuple(moved.get(day, day) for day in dues[customer])
        return dues

    @api.model
    def _schedule_contact_cadence(self):
        """Flag the customers their tier's contact cadence or quarterly
        business review has lapsed for, and ask each one's account manager to
        act once per gap: a new activity only when a new gap starts (the due
        date moved on after a contact, then passed again), not every day, nor
        again once the activity is done while the gap lasts.

        One search, two grouped reads and one update for all customers."""
        today = fields.Date.context_today(self)
        Partner = self.env["res.partner"]
        customers = Partner.search(
            [
                *CUSTOMER_DOMAIN,
                "|",
                "|",
                "|",
                ("tier_id.contact_cadence_days", ">", 0),
                ("tier_id.qbr_required", "=", True),
                ("out_of_cadence", "=", True),
                ("qbr_overdue", "=", True),
            ]
        )
        if not customers:
            return
        customers.fetch(
            [
                "create_date",
                "customer_since",
                "tier_id",
                "account_manager_id",
                *CADENCE_FIELDS,
            ]
        )
        last_contacts, last_reviews = self._last_contacts(customers)
        dues = self._cadence_due_dates(customers, last_contacts, last_reviews)
        rows, contact_gaps, review_gaps = [], [], []
        for customer in customers:
            last_contact = last_contacts.get(customer.id)
            last_review = last_reviews.get(customer.id)
            contact_due, review_due = dues[customer]
            values = {
                "last_contact_date": last_contact or False,
                "contact_due_date": contact_due,
                "out_of_cadence": bool(contact_due and contact_due < today),
                "contact_gap_notified_date": customer.contact_gap_notified_date,
                "last_qbr_date": last_review or False,
                "qbr_due_date": review_due,
                "qbr_overdue": bool(review_due and review_due < today),
                "qbr_gap_notified_date": customer.qbr_gap_notified_date,
            }
            if customer.account_manager_id:
                if values["out_of_cadence"] and contact_due != (
                    customer.contact_gap_notified_date
                ):
                    contact_gaps.append(customer)
                    values["contact_gap_notified_date"] = contact_due
                if values["qbr_overdue"] and review_due != (
                    customer.qbr_gap_notified_date
                ):
                    review_gaps.append(customer)
                    values["qbr_gap_notified_date"] = review_due
            if any(customer[name] != value for name, value in values.items()):
                rows.append((customer.id, values))
        self._write_cadence(rows)
        self._create_account_manager_activities(
            self.env.ref(CONTACT_CADENCE_ACTIVITY),
            [
                (customer, self._cadence_summary(last_contacts, customer))
                for customer in contact_gaps
            ],
            date_deadline=today,
        )
        self._create_account_manager_activities(
            self.env.ref(BUSINESS_REVIEW_ACTIVITY),
            [
                (customer, self.env._("Hold the quarterly business review"))
                for customer in review_gaps
            ],
            date_deadline=today,
        )

    @api.model
    def _cadence_summary(self, last_contacts, customer):
        last_contact = last_contacts.get(customer.id)
        if last_contact:
            return self.env._("Get in touch: no contact since %s", last_contact)
        return self.env._("Get in touch: no contact yet")

    @api.model
    def _last_contacts(self, customers):
        """({customer id: date of the last contact}, {customer id: date of
        the last business review held}), from the timeline."""
        now = fields.Datetime.now()
        Interaction = self.env["logistics.interaction"]
        base = [
            ("customer_id", "in", customers.ids),
            ("is_contact", "=", True),
            ("date", "<=", now),
        ]
        contacts = {
            customer.id: date.date()
            for customer, date in Interaction._read_group(
                base, ["customer_id"], ["date:max"]
            )
        }
        review_type = self.env.ref(BUSINESS_REVIEW_TYPE, raise_if_not_found=False)
        reviews = {}
        if review_type:
            events = self.env["calendar.event"].search(
                [("categ_ids", "in", review_type.ids), ("start", "<=", now)]
            )
            reviews = {
                customer.id: date.date()
                for customer, date in Interaction._read_group(
                    [
                        *base,
                        ("channel", "=", "meeting"),
                        ("res_id", "in", events.ids),
                    ],
                    ["customer_id"],
                    ["date:max"],
                )
            }
        return contacts, reviews

    @api.model
    def _write_cadence(self, rows):
        """Write the cadence fields of many customers in one UPDATE: plain
        values kept by this run, nothing depends on them."""
        if not rows:
            return
        values = SQL(", ").join(
            SQL(
                "(%s, %s::date, %s::date, %s::boolean, %s::date, "
                "%s::date, %s::date, %s::boolean, %s::date)",
                partner_id,
                *(row[name] or None for name in CADENCE_FIELDS),
            )
            for partner_id, row in rows
        )
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner partner SET %s FROM (VALUES %s) AS row(id, %s) "
                "WHERE partner.id = row.id",
                SQL(", ").join(
                    SQL("%s = row.%s", SQL.identifier(name), SQL.identifier(name))
                    for name in CADENCE_FIELDS
                ),
                values,
                SQL(", ").join(SQL.identifier(name) for name in CADENCE_FIELDS),
            )
        )
        self.env["res.partner"].invalidate_model(list(CADENCE_FIELDS))
