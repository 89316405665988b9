from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install")
class TestMarketTip(LogisticsCrmCase):
    """News of a prospect becomes a lead in one screen, with its source and
    the article; a link that is not a web address is refused."""

    def _tip(self, **values):
        with Form(self.env["logistics.market.tip"].with_user(self.user)) as form:
            form.company_name = "Danube Motors Kft."
            form.news_kind = "expansion"
            form.article_url = "https://news.example.com/danube-motors-new-plant"
            form.note = "New plant in Győr from 2027: parts inbound from Ningbo."
            for name, value in values.items():
                setattr(form, name, value)
        return form.record

    def test_tip_becomes_a_lead(self):
        action = self._tip().action_create_lead()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.partner_name, "Danube Motors Kft.")
        self.assertIn("Expansion", lead.name)
        self.assertEqual(lead.logistics_source, "market")
        self.assertEqual(lead.logistics_news_kind, "expansion")
        self.assertEqual(
            lead.logistics_source_url,
            "https://news.example.com/danube-motors-new-plant",
        )
        self.assertEqual(
            lead.source_id, self.env.ref("logistics_crm.utm_source_market_intelligence")
        )
        self.assertEqual(lead.user_id, self.user)
        self.assertIn("Győr", lead.description)

    def test_news_of_a_customer(self):
        tip = self._tip(partner_id=self.contact)
        self.assertEqual(tip.company_name, self.customer.name)
        lead = self.env["crm.lead"].browse(tip.action_create_lead()["res_id"])
        self.assertEqual(lead.partner_id, self.customer)

    def test_the_link_must_be_a_web_address(self):
        tip = self._tip(article_url="javascript:alert(1)")
        before = self.env["crm.lead"].search_count([])
        with self.assertRaisesRegex(UserError, "web address"):
            tip.action_create_lead()
        self.assertEqual(self.env["crm.lead"].search_count([]), before)
