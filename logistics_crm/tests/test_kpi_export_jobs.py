import base64
import io
from datetime import date
from unittest.mock import patch

import openpyxl

from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import LogisticsCrmCase

JOB_CRON = "logistics_crm.ir_cron_kpi_export_jobs"
JOB_LOGGER = "odoo.addons.logistics_crm.models.logistics_kpi_export_job"


@freeze_time("2026-03-20 12:00:00")
@tagged("post_install", "-at_install")
class TestKpiExportJobs(LogisticsCrmCase):
    def _queue(self, user):
        return (
            self.env["logistics.kpi.export.job"]
            .with_user(user)
            .create(
                {
                    "date_from": "2026-01-01",
                    "date_to": "2026-03-31",
                    "partner_ids": [(6, 0, self.customer.ids)],
                    "include_shipments": True,
                }
            )
            .sudo()
        )

    def test_failing_job_does_not_stop_the_others(self):
        self._create_shipments(2)
        failing, working = self._queue(self.user), self._queue(self.manager)
        Workbook = type(self.env["logistics.kpi.workbook"])
        build = Workbook._build

        def build_or_fail(workbook, *args, **kwargs):
            # The failing job writes before it fails: that work must go too.
            if workbook.env.user == self.user:
                workbook.env["res.partner"].sudo().create({"name": "Half-done"})
                raise OSError("No space left on device")
            return build(workbook, *args, **kwargs)

        with (
            patch.object(Workbook, "_build", build_or_fail),
            mute_logger(JOB_LOGGER),
        ):
            self._run_cron(JOB_CRON)

        self.assertEqual(working.state, "done")
        book = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(working.attachment_id.datas))
        )
        self.assertEqual(book["Shipments"].max_row, 3)
        self.assertEqual(failing.state, "failed")
        self.assertEqual(failing.error, "No space left on device")
        self.assertFalse(failing.attachment_id)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Half-done")]))
        # The requester is told why, on the job and in their notifications.
        message = failing.message_ids[:1]
        self.assertIn("No space left on device", message.body)
        self.assertIn(self.user.partner_id, message.partner_ids)
        self.assertTrue(
            message.notification_ids.filtered(
                lambda notification: notification.res_partner_id == self.user.partner_id
            )
        )
        # ... and may read it, as it is their own job.
        self.assertEqual(failing.with_user(self.user).error, "No space left on device")

    def test_cron_reports_its_progress(self):
        jobs = self._queue(self.user) | self._queue(self.user)
        with (
            patch.object(
                type(self.env["logistics.kpi.workbook"]), "_build", return_value=b""
            ),
            patch.object(
                type(self.env["ir.cron"]), "_commit_progress", return_value=1.0
            ) as progress,
        ):
            self.env["logistics.kpi.export.job"]._cron_run()
        self.assertEqual(set(jobs.mapped("state")), {"done"})
        self.assertEqual(
            [call.args or call.kwargs for call in progress.call_args_list],
            [{"remaining": 2}, (1,), (1,)],
        )

    def test_keyset_pages_yield_every_row_once(self):
        shipments = self._create_shipments(10)
        Workbook = self.env["logistics.kpi.workbook"]
        domain = Workbook._domain(
            date(2026, 1, 1), date(2026, 3, 31), self.customer.ids
        )
        self.env.flush_all()
        pages = list(Workbook._shipment_pages(domain, page_size=3))
        self.assertEqual([len(page) for page in pages], [3, 3, 3, 1])
        ids = [row[0] for page in pages for row in page]
        self.assertEqual(ids, sorted(shipments.ids))
        self.assertEqual(
            {row[1] for page in pages for row in page}, set(shipments.mapped("name"))
        )
        # A page boundary on the last row: no empty page, nothing repeated.
        pages = list(Workbook._shipment_pages(domain, page_size=5))
        self.assertEqual([len(page) for page in pages], [5, 5])
        self.assertEqual([row[0] for page in pages for row in page], ids)

    def test_keyset_pages_apply_record_rules(self):
        mine = self._create_shipments(2)
        elsewhere = self.env["res.company"].create({"name": "Other Forwarder Ltd"})
        theirs = self._create_shipments(2, company_id=elsewhere.id)
        Workbook = self.env["logistics.kpi.workbook"]
        domain = Workbook._domain(
            date(2026, 1, 1), date(2026, 3, 31), self.customer.ids
        )
        self.env.flush_all()

        def exported(workbook):
            pages = workbook._shipment_pages(domain, page_size=1)
            return [row[0] for page in pages for row in page]

        # The report's multi-company rule holds on every page: a user of the
        # first company exports its shipments only, the superuser all of them.
        self.assertEqual(exported(Workbook.with_user(self.user)), mine.ids)
        self.assertEqual(exported(Workbook), sorted((mine | theirs).ids))
