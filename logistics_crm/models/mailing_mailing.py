from odoo import api, fields, models
from odoo.exceptions import ValidationError

SEGMENT_MODEL = "res.partner"


class MailingMailing(models.Model):
    """A mailing can write to a customer segment: its recipients are the
    segment's contacts when it is sent, whatever the segment was when the
    mailing was drafted."""

    _inherit = "mailing.mailing"

    logistics_segment_id = fields.Many2one(
        comodel_name="logistics.segment",
        string="Customer Segment",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        help="Writes to the contacts of the segment's customers as the segment "
        "stands when the mailing is sent, minus the blacklisted and those who "
        "take no marketing e-mail.",
    )

    @api.depends("logistics_segment_id")
    def _compute_mailing_domain(self):
        result = super()._compute_mailing_domain()
        for mailing in self:
            if (
                mailing.logistics_segment_id
                and mailing.mailing_model_name == SEGMENT_MODEL
            ):
                mailing.mailing_domain = repr(
                    list(mailing.logistics_segment_id._recipient_domain())
                )
        return result

    @api.constrains("logistics_segment_id", "mailing_model_id")
    def _check_segment_model(self):
        for mailing in self:
            if (
                mailing.logistics_segment_id
                and mailing.mailing_model_name != SEGMENT_MODEL
            ):
                raise ValidationError(
                    self.env._(
                        "A mailing to the customer segment %s must have Contacts "
                        "as its recipients.",
                        mailing.logistics_segment_id.name,
                    )
                )

    @api.onchange("logistics_segment_id")
    def _onchange_logistics_segment_id(self):
        if self.logistics_segment_id:
            self.mailing_model_id = self.env["ir.model"]._get(SEGMENT_MODEL)

    def _action_send_mail(self, res_ids=None):
        # The scheduler sends as the superuser, who reads every field: a
        # segment's mailing renders with its responsible's rights instead, so
        # no template shows a customer field its author may not read (a
        # confidential one fails the sending, it never reaches the e-mail).
        if not self.env.su:
            return super()._action_send_mail(res_ids)
        by_segment = self.filtered("logistics_segment_id")
        for mailing in by_segment:
            author = mailing.user_id or mailing.write_uid
            super(MailingMailing, mailing.with_user(author))._action_send_mail(res_ids)
        others = self - by_segment
        return (
            super(MailingMailing, others)._action_send_mail(res_ids) if others else True
        )

    def _get_recipients_domain(self):
        if self.logistics_segment_id and self.mailing_model_real == SEGMENT_MODEL:
            return self.logistics_segment_id._recipient_domain()
        return super()._get_recipients_domain()
