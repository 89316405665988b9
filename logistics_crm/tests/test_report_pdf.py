import shutil
import subprocess
import unittest

from odoo.tests import HttpCase, tagged

from odoo.addons.base.models.ir_actions_report import _wkhtml

ADDONS = ("logistics_crm", "logistics_crm_portal")
# Unpatched-Qt wkhtmltopdf (the distributions' package) draws web fonts as
# outlines, which no text extraction reads back: the test prints with a
# system font there, as Odoo's own rendering tests do.
SYSTEM_FONT = "<style>* { font-family: sans-serif !important; }</style></head>"


@tagged("post_install", "-at_install")
class TestReportPdf(HttpCase):
    """Every report of both addons prints as a real PDF that names its record:
    test mode renders HTML unless forced, which hides a broken wkhtmltopdf
    page. An HTTP case, so wkhtmltopdf fetches the report's assets from the
    test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not shutil.which("pdftotext") or _wkhtml().state != "ok":
            raise unittest.SkipTest("wkhtmltopdf and pdftotext are needed")

    def setUp(self):
        super().setUp()
        if not _wkhtml().is_patched_qt:
            Report = type(self.env["ir.actions.report"])
            run = Report._run_wkhtmltopdf

            def run_with_system_font(report, bodies, *args, **kwargs):
                bodies = [
                    str(body).replace("</head>", SYSTEM_FONT, 1) for body in bodies
                ]
                return run(report, bodies, *args, **kwargs)

            self.patch(Report, "_run_wkhtmltopdf", run_with_system_font)

    def _reports(self):
        data = self.env["ir.model.data"].search(
            [("model", "=", "ir.actions.report"), ("module", "in", ADDONS)]
        )
        return self.env["ir.actions.report"].browse(data.mapped("res_id"))

    def _pdf_text(self, pdf):
        return subprocess.run(
            ["pdftotext", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode()

    def test_every_report_prints_a_pdf_of_its_record(self):
        reports = self._reports().filtered(
            lambda report: report.report_type == "qweb-pdf"
        )
        self.assertTrue(reports, "no PDF report found in the addons")
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        for report in reports:
            with self.subTest(report=report.report_name):
                record = self.env[report.model].search([], limit=1)
                self.assertTrue(record, f"no demo record of {report.model}")
                pdf, kind = Report._render_qweb_pdf(report, record.ids)
                self.assertEqual(kind, "pdf")
                self.assertTrue(pdf.startswith(b"%PDF"), pdf[:60])
                reference = record[record._rec_name or "display_name"]
                self.assertIn(reference, self._pdf_text(pdf))
