from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import LogisticsPortalCase


@tagged("post_install", "-at_install")
class TestPortalTimeline(LogisticsPortalCase):
    """The customer's timeline on the portal: their own public touchpoints,
    never another customer's, never an internal note or a call summary."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a.message_post(
            body="ALPHA-INTERNAL-NOTE they may churn", subtype_xmlid="mail.mt_note"
        )
        cls.customer_a.with_user(cls.staff).message_post(
            body="Alpha rates for Q3",
            subject="ALPHA-MAIL Q3 rates",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        cls.customer_b.with_user(cls.staff).message_post(
            body="Beta rates",
            subject="BETA-MAIL secret rates",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        cls.env["crm.phonecall"].create(
            {
                "name": "ALPHA-CALL agent thinks they are difficult",
                "partner_id": cls.user_a.partner_id.id,
                "direction": "in",
                "state": "done",
            }
        )
        start = fields.Datetime.now() - timedelta(days=1)
        cls.env["calendar.event"].create(
            {
                "name": "ALPHA-PRIVATE dinner",
                "start": start,
                "stop": start + timedelta(hours=1),
                "privacy": "private",
                "partner_ids": [cls.user_a.partner_id.id],
            }
        )
        cls.env["calendar.event"].create(
            {
                "name": "BETA-MEETING review",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [cls.user_b.partner_id.id],
            }
        )

    def _timeline(self, query=""):
        response = self.url_open(f"/my/service/timeline{query}")
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_own_public_rows_only(self):
        self._login(self.user_a)
        page = self._timeline()
        self.assertIn("ALPHA-MAIL Q3 rates", page)
        self.assertIn(self.complaint_a.subject, page)
        self.assertIn(self.quote_a.name, page)
        self.assertIn(f'href="/my/complaints/{self.complaint_a.id}"', page)
        for secret in (
            "ALPHA-INTERNAL-NOTE",
            "ALPHA-CALL",
            "ALPHA-PRIVATE",
            "BETA-MAIL",
            "BETA-MEETING",
            self.complaint_b.subject,
            self.quote_b.name,
        ):
            self.assertNotIn(secret, page)

    def test_channel_filter_and_pages(self):
        self._login(self.user_a)
        quotes = self._timeline("?filterby=quote")
        self.assertIn(self.quote_a.name, quotes)
        self.assertNotIn("ALPHA-MAIL", quotes)
        # A channel the portal does not list falls back to all rows.
        calls = self._timeline("?filterby=call")
        self.assertNotIn("ALPHA-CALL", calls)
        self.assertIn("ALPHA-MAIL", calls)
        self.assertEqual(self.url_open("/my/service/timeline/page/2").status_code, 200)

    def test_service_page_links_the_timeline(self):
        self._login(self.user_a)
        page = self.url_open("/my/service").text
        self.assertIn('href="/my/service/timeline"', page)

    def test_user_without_company_sees_nothing(self):
        self._login(self.user_alone)
        page = self._timeline()
        self.assertNotIn("ALPHA-MAIL", page)
        self.assertNotIn("BETA-MAIL", page)
