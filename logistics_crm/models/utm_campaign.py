from odoo import fields, models


class UtmCampaign(models.Model):
    """A campaign's cost and its results to revenue. The cost is tracked: the
    return on investment reads it, so a change to it must be on record."""

    _name = "utm.campaign"
    _inherit = ["utm.campaign", "mail.thread"]

    logistics_cost = fields.Monetary(
        string="Campaign Cost",
        currency_field="currency_id",
        tracking=True,
        help="What the campaign cost (agency, media, events, samples), in the "
        "company's currency; its return on investment is measured against it.",
    )
    logistics_amount_booked = fields.Monetary(
        string="Booked Revenue",
        currency_field="currency_id",
        compute="_compute_logistics_results",
        groups="logistics_crm.logistics_crm_group_manager,"
        "mass_mailing.group_mass_mailing_user",
    )
    logistics_roi = fields.Float(
        string="ROI (%)",
        compute="_compute_logistics_results",
        groups="logistics_crm.logistics_crm_group_manager,"
        "mass_mailing.group_mass_mailing_user",
    )

    def _compute_logistics_results(self):
        results = {
            row["campaign_id"][0]: row
            for row in self.env["logistics.campaign.report"].search_read(
                [("campaign_id", "in", self.ids)],
                ["campaign_id", "amount_booked", "roi"],
            )
        }
        for campaign in self:
            row = results.get(campaign.id, {})
            campaign.logistics_amount_booked = row.get("amount_booked", 0.0)
            campaign.logistics_roi = row.get("roi") or 0.0

    def action_view_logistics_results(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_campaign_report_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["view_mode"] = "list,pivot,graph"
        action["views"] = [(False, "list"), (False, "pivot"), (False, "graph")]
        return action
