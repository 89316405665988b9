from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.base.models import ir_actions_report

from .common import LogisticsPortalCase

NO_PDF_MESSAGE = "The PDF cannot be produced at the moment."


@tagged("post_install", "-at_install")
class TestPortalQuoteReport(LogisticsPortalCase):
    """The quote's Download PDF button: a PDF when the server can produce
    one, the quote's page with a clear message when it cannot, never an
    error page."""

    def _pdf_url(self):
        return self.quote_a.get_portal_url(report_type="pdf", download=True)

    def test_pdf_download(self):
        Report = type(self.env["ir.actions.report"])
        render = Report._render_qweb_pdf

        def render_for_real(report, *args, **kwargs):
            # Odoo's test mode answers HTML for a PDF unless forced to run
            # wkhtmltopdf, which is what a customer gets.
            return render(
                report.with_context(force_report_rendering=True), *args, **kwargs
            )

        self._login(self.user_a)
        with patch.object(Report, "_render_qweb_pdf", render_for_real):
            response = self.url_open(self._pdf_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF-"))
        self.assertIn("attachment", response.headers["Content-Disposition"])

    def test_pdf_download_without_wkhtmltopdf(self):
        missing = ir_actions_report._wkhtml()._replace(state="install")
        self._login(self.user_a)
        with patch.object(ir_actions_report, "_wkhtml", return_value=missing):
            response = self.url_open(self._pdf_url())
            self.assertEqual(
                self.env["ir.actions.report"].get_wkhtmltopdf_state(), "install"
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/html", response.headers["Content-Type"])
        self.assertIn(NO_PDF_MESSAGE, response.text)
        self.assertIn(self.quote_a.name, response.text)

    def test_pdf_failing_on_the_server(self):
        """wkhtmltopdf present but failing: the same message."""
        Report = type(self.env["ir.actions.report"])
        self._login(self.user_a)
        with patch.object(
            Report,
            "_render_qweb_pdf",
            side_effect=UserError("wkhtmltopdf crashed"),
        ):
            response = self.url_open(self._pdf_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn(NO_PDF_MESSAGE, response.text)
        self.assertNotIn("wkhtmltopdf crashed", response.text)
