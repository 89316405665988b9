from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_datetime

from .logistics_naming import name_after_parent
from .logistics_selections import NOTIFICATION_EVENTS

DISPATCH_CRON = "logistics_crm.ir_cron_notification_dispatch"
DISPATCH_BATCH = 1000
DIGEST_TEMPLATE = "logistics_crm.notification_digest"
SMS_TEMPLATE = "logistics_crm.sms_template_notification_%s"


class LogisticsNotificationLog(models.Model):
    """One notification decided for one contact: queued, then sent.

    The unique key (shipment, contact, event, dedup key, channel) is what
    makes a notification go out once on each channel the contact chose: a
    repeated or reordered feed inserts nothing.
    """

    _name = "logistics.notification.log"
    _description = "Shipment Notification Log"
    _order = "event_date desc, id desc"
    _rec_names_search = ["shipment_id", "partner_id"]

    shipment_id = fields.Many2one(
        comodel_name="logistics.shipment",
        required=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        required=True,
        index=True,
        ondelete="cascade",
    )
    event_code = fields.Selection(
        selection=NOTIFICATION_EVENTS, string="Event", required=True
    )
    dedup_key = fields.Char(
        default="",
        help="Distinguishes repeatable events: the new ETA, the exception.",
    )
    event_date = fields.Datetime(required=True)
    channel = fields.Selection(
        selection=lambda self: self.env[
            "logistics.notification.subscription"
        ]._selection_channel(),
        required=True,
    )
    mode = fields.Selection(
        selection=[("immediate", "Immediately"), ("digest", "Daily Digest")],
        required=True,
    )
    state = fields.Selection(
        selection=[
            ("pending", "Queued"),
            ("sent", "Sent"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="pending",
    )
    sent_date = fields.Datetime(string="Sent On")
    mail_id = fields.Many2one(comodel_name="mail.mail", string="Mail", index=True)
    mail_message_id = fields.Many2one(
        comodel_name="mail.message", string="Message", ondelete="set null"
    )
    # Odoo's SMS queue deletes a text once the gateway took it: the log keeps
    # the number it went to.
    sms_id = fields.Many2one(
        comodel_name="sms.sms",
        string="SMS",
        index="btree_not_null",
        ondelete="set null",
    )
    sms_number = fields.Char(string="SMS Number")

    _dedup_unique = models.UniqueIndex(
        "(shipment_id, partner_id, event_code, dedup_key, channel)",
        "This notification was already decided for this contact on this channel.",
    )
    _pending_index = models.Index("(mode, id) WHERE state = 'pending'")

    @api.depends("shipment_id.display_name", "event_code")
    def _compute_display_name(self):
        name_after_parent(self, "shipment_id", "event_code")

    # ------------------------------------------------------------------
    # Queue: called in batch from the tracking ingest
    # ------------------------------------------------------------------
    @api.model
    def _queue(self, notices):
        """Decide the notifications of a batch of shipment events, in one
        statement whatever the batch size.

        ``notices``: (shipment_id, event_code, dedup_key, event_date) tuples.
        Each is matched to the active subscriptions of the shipment's
        customer's contacts (opted-out contacts excluded, and those the
        channel cannot reach: see ``_reachable_sql``). A company never
        receives one at its generic address: with no contact to reach, nobody
        is notified. The unique key drops what was already decided, on each
        channel. Immediate notifications are sent by the dispatch job right
        after this transaction commits, never inside it.
        Loading history (demo data, imports of past events) passes the context
        key ``logistics_skip_notifications``.
        """
        if not notices or self.env.context.get("logistics_skip_notifications"):
            return 0
        self.env["logistics.notification.subscription"].flush_model()
        self.env["logistics.shipment"].flush_model(["partner_id"])
        self.env["res.partner"].flush_model(
            ["logistics_notify_opt_out", "active", "is_company"]
        )
        reachable = self._reachable_sql("contact")
        self.env.flush_query(reachable)
        shipments, codes, keys, dates = zip(*notices, strict=True)
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO logistics_notification_log (
                       shipment_id, partner_id, event_code, dedup_key,
                       event_date, channel, mode, state,
                       create_uid, create_date, write_uid, write_date)
                SELECT DISTINCT ON (notice.shipment_id, subscription.partner_id,
                                    notice.event_code, notice.dedup_key,
                                    subscription.channel)
                       notice.shipment_id, subscription.partner_id,
                       notice.event_code, notice.dedup_key, notice.event_date,
                       subscription.channel, subscription.mode, 'pending',
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(shipments)s::int[], %(codes)s::varchar[],
                              %(keys)s::varchar[], %(dates)s::timestamp[])
                       AS notice(shipment_id, event_code, dedup_key, event_date)
                  JOIN logistics_shipment shipment
                    ON shipment.id = notice.shipment_id
                  JOIN logistics_notification_subscription subscription
                    ON subscription.customer_id = shipment.partner_id
                   AND subscription.event_code = notice.event_code
                   AND subscription.active
                  JOIN res_partner contact
                    ON contact.id = subscription.partner_id
                   AND contact.active
                   AND NOT coalesce(contact.is_company, FALSE)
                   AND NOT coalesce(contact.logistics_notify_opt_out, FALSE)
                   AND (%(reachable)s)
                 ORDER BY notice.shipment_id, subscription.partner_id,
                          notice.event_code, notice.dedup_key,
                          subscription.channel, notice.event_date
                    ON CONFLICT (shipment_id, partner_id, event_code, dedup_key,
                                 channel)
                    DO NOTHING
             RETURNING mode
                """,
                uid=self.env.uid,
                now=now,
                shipments=list(shipments),
                codes=list(codes),
                keys=list(keys),
                dates=list(dates),
                reachable=reachable,
            )
        )
        modes = [mode for (mode,) in self.env.cr.fetchall()]
        if "immediate" in modes:
            self.env.ref(DISPATCH_CRON)._trigger()
        return len(modes)

    @api.model
    def _reachable_sql(self, contact):
        """The condition that the subscription's channel can reach the
        ``contact`` (the alias of its res_partner row): one branch per channel
        of the registry, each its own ``_reachable_sql_<channel>``."""
        channels = self.env["logistics.notification.subscription"]._selection_channel()
        return SQL(" OR ").join(
            SQL(
                "(subscription.channel = %s AND %s)",
                channel,
                getattr(self, f"_reachable_sql_{channel}")(contact),
            )
            for channel, _label in channels
        )

    @api.model
    def _reachable_sql_email(self, contact):
        email = SQL.identifier(
            contact, "email", to_flush=self.env["res.partner"]._fields["email"]
        )
        return SQL("coalesce(%s, '') != ''", email)

    @api.model
    def _reachable_sql_sms(self, contact):
        """A number in E.164 (the mobile, else the phone) that is not in
        Odoo's phone blacklist, which stores E.164 too."""
        Blacklist = self.env["phone.blacklist"]
        return SQL(
            """%(number)s IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM phone_blacklist blacklist
                                WHERE %(listed)s = %(number)s AND %(active)s)""",
            number=self._sms_number_sql(contact),
            listed=SQL.identifier(
                "blacklist", "number", to_flush=Blacklist._fields["number"]
            ),
            active=SQL.identifier(
                "blacklist", "active", to_flush=Blacklist._fields["active"]
            ),
        )

    @api.model
    def _sms_number_sql(self, contact):
        fields_ = self.env["res.partner"]._fields
        return SQL(
            "coalesce(nullif(%s, ''), nullif(%s, ''))",
            SQL.identifier(contact, "mobile_e164", to_flush=fields_["mobile_e164"]),
            SQL.identifier(contact, "phone_e164", to_flush=fields_["phone_e164"]),
        )

    # ------------------------------------------------------------------
    # Dispatch: immediate notifications and daily digests
    # ------------------------------------------------------------------
    @api.model
    def _cron_dispatch(self):
        pending = self.search(
            [("state", "=", "pending"), ("mode", "=", "immediate")],
            limit=DISPATCH_BATCH,
        )
        pending._send()
        if len(pending) == DISPATCH_BATCH:
            self.env.ref(DISPATCH_CRON)._trigger()

    @api.model
    def _cron_send_digests(self):
        self.search([("state", "=", "pending"), ("mode", "=", "digest")])._send()

    def _send(self):
        """Send these queued notifications on their channels; contacts who
        opted out since they were queued get nothing."""
        opted_out = self.filtered("partner_id.logistics_notify_opt_out")
        opted_out.write({"state": "cancelled"})
        for channel, logs in (self - opted_out).grouped("channel").items():
            getattr(logs, f"_send_{channel}")()

    def _send_email(self):
        immediate = self.filtered(lambda log: log.mode == "immediate")
        values = (
            immediate._immediate_mail_values()
            + (self - immediate)._digest_mail_values()
        )
        if not values:
            return
        mails = self.env["mail.mail"].sudo().create([vals for _logs, vals in values])
        now = fields.Datetime.now()
        for (logs, _vals), mail in zip(values, mails, strict=True):
            logs.write(
                {
                    "state": "sent",
                    "sent_date": now,
                    "mail_id": mail.id,
                    "mail_message_id": mail.mail_message_id.id,
                }
            )

    def _send_sms(self):
        """One short text per notification, rendered from the event's SMS
        template in the contact's language and time zone (one rendering per
        group, as for mail), to the contact's number in E.164. The texts go to
        Odoo's SMS queue, whose job hands them to the gateway after this
        transaction: a rolled-back dispatch can never have texted anyone.
        A number removed or blacklisted since the notification was queued
        gets nothing."""
        numbers = {log: log.partner_id._logistics_sms_number() for log in self}
        blacklisted = set(
            self.env["phone.blacklist"]
            .sudo()
            .search_fetch(
                [("number", "in", list(set(filter(None, numbers.values()))))],
                ["number"],
            )
            .mapped("number")
        )
        unreachable = self.filtered(
            lambda log: not numbers[log] or numbers[log] in blacklisted
        )
        unreachable.write({"state": "cancelled"})
        logs = self - unreachable
        if not logs:
            return
        for shipment in logs.shipment_id:
            shipment._portal_ensure_token()
        groups = defaultdict(lambda: self.browse())
        for log in logs:
            partner = log.partner_id
            groups[log.event_code, partner.lang or "en_US", partner.tz or "UTC"] |= log
        values = []
        for (event_code, lang, tz), group in groups.items():
            template = self.env.ref(SMS_TEMPLATE % event_code).with_context(
                lang=lang, logistics_tz=tz
            )
            bodies = template._render_field(
                "body", group.shipment_id.ids, compute_lang=False
            )
            values += [
                (
                    log,
                    {
                        "number": numbers[log],
                        "body": bodies[log.shipment_id.id],
                        "partner_id": log.partner_id.id,
                    },
                )
                for log in group
            ]
        texts = self.env["sms.sms"].sudo().create([vals for _log, vals in values])
        now = fields.Datetime.now()
        for (log, vals), sms in zip(values, texts, strict=True):
            log.write(
                {
                    "state": "sent",
                    "sent_date": now,
                    "sms_id": sms.id,
                    "sms_number": vals["number"],
                }
            )

    def _immediate_mail_values(self):
        """One mail per notification, rendered from the event's template in
        the contact's language and time zone: one rendering per (event,
        language, time zone) for all its shipments."""
        for shipment in self.shipment_id:
            shipment._portal_ensure_token()
        groups = defaultdict(lambda: self.browse())
        for log in self:
            partner = log.partner_id
            groups[log.event_code, partner.lang or "en_US", partner.tz or "UTC"] |= log
        result = []
        for (event_code, lang, tz), logs in groups.items():
            template = self.env.ref(
                f"logistics_crm.mail_template_notification_{event_code}"
            ).with_context(lang=lang, logistics_tz=tz)
            res_ids = logs.shipment_id.ids
            subjects = template._render_field("subject", res_ids, compute_lang=False)
            bodies = template._render_field("body_html", res_ids, compute_lang=False)
            for log in logs:
                shipment = log.shipment_id
                result.append(
                    (
                        log,
                        log._mail_values(
                            subjects[shipment.id],
                            bodies[shipment.id] + log._unsubscribe_footer(lang),
                        ),
                    )
                )
        return result

    def _digest_mail_values(self):
        """One mail per contact listing the day's events."""
        result = []
        for partner, logs in self.grouped("partner_id").items():
            lang = partner.lang or "en_US"
            env = self.with_context(lang=lang).env
            labels = dict(self._fields["event_code"]._description_selection(env))
            rows = [
                {
                    "shipment": log.shipment_id.name,
                    "event": labels.get(log.event_code, log.event_code),
                    "date": format_datetime(
                        env, log.event_date, tz=partner.tz or "UTC", dt_format="short"
                    ),
                    "url": log.shipment_id.get_portal_url(),
                }
                for log in logs.sorted("event_date")
            ]
            body = env["ir.qweb"]._render(
                DIGEST_TEMPLATE, {"partner": partner, "rows": rows}
            )
            subject = env._(
                "%(company)s: your shipment updates", company=self.env.company.name
            )
            result.append(
                (
                    logs,
                    logs[:1]._mail_values(
                        subject, body + logs[:1]._unsubscribe_footer(lang)
                    ),
                )
            )
        return result

    def _mail_values(self, subject, body):
        self.ensure_one()
        return {
            "subject": subject,
            "body_html": body,
            "recipient_ids": [(4, self.partner_id.id)],
            "email_from": self.env.company.email_formatted
            or self.env.user.email_formatted,
            "model": "logistics.shipment" if self.mode == "immediate" else False,
            "res_id": self.shipment_id.id if self.mode == "immediate" else False,
            "message_type": "email_outgoing",
            "auto_delete": False,
        }

    @api.model
    def _cancel_pending_for(self, partners):
        """An opt-out is honoured at once: what is queued for them is dropped."""
        self.sudo().search(
            [("partner_id", "in", partners.ids), ("state", "=", "pending")]
        ).write({"state": "cancelled"})

    def _unsubscribe_footer(self, lang):
        self.ensure_one()
        env = self.with_context(lang=lang).env
        return Markup(
            '<p style="font-size:12px;color:#888888;margin-top:24px;">'
            '%s <a href="%s">%s</a></p>'
        ) % (
            env._("You receive this message as a contact of your company."),
            env["logistics.notification.subscription"]._unsubscribe_url(
                self.partner_id
            ),
            env._("Unsubscribe from all shipment notifications"),
        )
