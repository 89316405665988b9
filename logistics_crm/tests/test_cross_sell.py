import logging

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import LogisticsCrmCase

_logger = logging.getLogger(__name__)
# Measured 16: lanes and tags written and read in batches of 1,000.
FIXED_BATCH_QUERIES = 20


@tagged("post_install", "-at_install")
class TestCrossSell(LogisticsCrmCase):
    """Key-customer discovery's hint becomes opportunities in one action: one
    per customer, on its busiest lanes with the suggested mode, assigned to
    its account manager and tagged with the campaign."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.air = cls.env.ref("logistics_crm.service_line_air")
        cls.customs = cls.env.ref("logistics_crm.service_line_customs")
        cls.customer.write(
            {
                "account_manager_id": cls.user.id,
                "logistics_peer_service_line_ids": [Command.set(cls.air.ids)],
            }
        )
        cls.lane.rate = 1500.0
        cls.campaign = cls.env["utm.campaign"].create({"name": "Sea-air 2027"})
        cls.no_hint = cls.env["res.partner"].create(
            {"name": "No Hint Co.", "is_company": True}
        )

    def _customers(self, count):
        Partner = self.env["res.partner"]
        customers = Partner.create(
            [
                {
                    "name": f"Cross-Sell {index}",
                    "is_company": True,
                    "account_manager_id": self.user.id,
                    "logistics_peer_service_line_ids": [Command.set(self.air.ids)],
                }
                for index in range(count)
            ]
        )
        self.env["logistics.lane"].create(
            [
                {
                    "partner_id": customer.id,
                    "origin_city": "Shanghai",
                    "origin_country_id": self.env.ref("base.cn").id,
                    "destination_city": "Hamburg",
                    "destination_country_id": self.env.ref("base.de").id,
                    "mode": "sea_fcl",
                }
                for customer in customers
            ]
        )
        return customers

    def _wizard(self, partners, **values):
        return self.env["logistics.cross.sell"].create(
            {"partner_ids": [Command.set(partners.ids)], **values}
        )

    def test_opportunities_from_the_hint(self):
        wizard = self._wizard(
            self.customer | self.no_hint, campaign_id=self.campaign.id
        )
        self.assertEqual(wizard.skipped_count, 1)
        action = wizard.action_create_opportunities()
        lead = self.env["crm.lead"].search(action["domain"])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, self.customer)
        self.assertEqual(lead.user_id, self.user)
        self.assertEqual(lead.campaign_id, self.campaign)
        self.assertEqual(lead.logistics_service_line_id, self.air)
        self.assertEqual(lead.logistics_source, "expansion")
        self.assertIn(self.env.ref("logistics_crm.crm_tag_cross_sell"), lead.tag_ids)
        self.assertIn("Air", lead.name)
        # The customer's lane, offered by air; the customer's own lane stays.
        self.assertEqual(len(lead.logistics_lane_ids), 1)
        offered = lead.logistics_lane_ids
        self.assertEqual(offered.mode, "air")
        self.assertFalse(offered.rate, "another mode is priced anew")
        self.assertEqual(offered.origin_city, self.lane.origin_city)
        self.assertFalse(offered.partner_id)
        self.assertEqual(self.lane.mode, "sea_fcl")

    def test_a_chosen_value_added_service_keeps_the_lane_mode(self):
        wizard = self._wizard(
            self.customer | self.no_hint, service_line_id=self.customs.id
        )
        self.assertEqual(wizard.skipped_count, 0)
        leads = self.env["crm.lead"].search(
            wizard.action_create_opportunities()["domain"]
        )
        self.assertEqual(leads.partner_id, self.customer | self.no_hint)
        mine = leads.filtered(lambda lead: lead.partner_id == self.customer)
        self.assertEqual(mine.logistics_lane_ids.mode, "sea_fcl")
        self.assertEqual(mine.logistics_lane_ids.rate, 1500.0)
        self.assertFalse(
            leads.filtered(
                lambda lead: lead.partner_id == self.no_hint
            ).logistics_lane_ids
        )

    def test_nothing_to_offer(self):
        wizard = self._wizard(self.no_hint)
        with self.assertRaisesRegex(UserError, "service to offer"):
            wizard.action_create_opportunities()
        self.assertFalse(
            self.env["crm.lead"].search([("partner_id", "=", self.no_hint.id)])
        )

    def test_from_the_discovery_list(self):
        action = (
            self.env["logistics.customer.discovery"]
            .search([], limit=1)
            .action_cross_sell()
        )
        self.assertEqual(action["res_model"], "logistics.cross.sell")
        with Form(
            self.env["logistics.cross.sell"].with_context(**action["context"])
        ) as form:
            form.campaign_id = self.campaign
        self.assertTrue(form.record.partner_ids)

    def test_queries_do_not_grow_with_the_customers(self):
        """Beyond Odoo's own per-record cost of an opportunity (its creation
        in one batch, with its salesperson as follower), the action costs the
        same queries for 10 customers as for 1,000."""
        ours_by_count, plain_by_count = {}, {}
        stage = self.env["crm.lead"]._stage_find(domain=[("fold", "=", False)])
        for count in (10, 1000):
            customers = self._customers(count)
            wizard = self._wizard(customers, campaign_id=self.campaign.id)
            ours = self._queries(wizard.action_create_opportunities)
            plain = self._queries(
                lambda customers=customers, stage=stage: self.env["crm.lead"]
                .with_context(
                    mail_create_nolog=True, mail_auto_subscribe_no_notify=True
                )
                .create(
                    [
                        {
                            "type": "opportunity",
                            "name": "Plain",
                            "partner_id": customer.id,
                            "user_id": self.user.id,
                            "stage_id": stage.id,
                            "team_id": False,
                            "campaign_id": self.campaign.id,
                        }
                        for customer in customers
                    ]
                )
            )
            ours_by_count[count], plain_by_count[count] = ours, plain
            _logger.info(
                "cross-sell of %s customers: %s queries, Odoo's create of as many "
                "opportunities %s",
                count,
                ours,
                plain,
            )
        # What 990 more customers cost: Odoo's own create of 990 more
        # opportunities, plus the fixed-size batches (of 1,000 rows or ids)
        # the lanes and tags are written in; nothing per customer.
        self.assertLessEqual(
            ours_by_count[1000] - ours_by_count[10],
            plain_by_count[1000] - plain_by_count[10] + FIXED_BATCH_QUERIES,
            (ours_by_count, plain_by_count),
        )

    def _queries(self, action):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        action()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before
