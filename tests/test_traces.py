"""Nothing lost: every change that matters leaves a trace, and what carries
history is archived, never deleted, by the people who work with it."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTraces(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, login="trace_user", groups="logistics_crm.logistics_crm_group_user"
        )
        cls.manager = new_test_user(
            cls.env,
            login="trace_manager",
            groups="logistics_crm.logistics_crm_group_manager",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Trace Customer", "is_company": True}
        )

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _traces(self, record, field_name):
        return self.env["mail.tracking.value"].search_count(
            [
                ("mail_message_id.model", "=", record._name),
                ("mail_message_id.res_id", "=", record.id),
                ("field_id.name", "=", field_name),
            ]
        )

    def test_complaint_stage_and_sla_status(self):
        complaint = (
            self.env["logistics.complaint"]
            .with_user(self.user)
            .create(
                {
                    "subject": "Trace me",
                    "partner_id": self.customer.id,
                    "category_id": self.env.ref(
                        "logistics_crm.logistics_complaint_category_delay"
                    ).id,
                }
            )
        )
        self._flush_tracking()
        stages = [
            "logistics_crm.logistics_complaint_stage_in_progress",
            "logistics_crm.logistics_complaint_stage_resolved",
            "logistics_crm.logistics_complaint_stage_closed",
        ]
        complaint.write(
            {
                "resolution": "<p>Done</p>",
                "root_cause_id": self.env["logistics.complaint.root.cause"]
                .search([], limit=1)
                .id,
            }
        )
        for stage in stages:
            complaint.stage_id = self.env.ref(stage)
            self._flush_tracking()
        self.assertEqual(self._traces(complaint, "stage_id"), len(stages))
        self.assertGreaterEqual(self._traces(complaint, "sla_status"), 1)
        self.assertGreaterEqual(self._traces(complaint, "closed_date"), 1)

        # Operational users archive; nobody deletes a ticket with a
        # conversation, not even a manager.
        with self.assertRaises(AccessError):
            complaint.with_user(self.user).unlink()
        complaint.message_post(body="We are on it.", message_type="comment")
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).unlink()
        complaint.with_user(self.manager).active = False
        self.assertFalse(complaint.active)
        self.assertTrue(complaint.exists())

    def test_shipment_status_and_eta(self):
        shipment = (
            self.env["logistics.shipment"]
            .with_user(self.user)
            .create({"partner_id": self.customer.id})
        )
        self._flush_tracking()
        self.env["logistics.shipment.event"].ingest_events(
            [
                {
                    "shipment": shipment.name,
                    "external_id": f"trace-{code}",
                    "code": code,
                    "event_time": moment,
                    "new_eta": eta,
                }
                for code, moment, eta in (
                    ("booked", "2026-05-01 08:00:00", None),
                    ("picked_up", "2026-05-02 08:00:00", "2026-05-20 08:00:00"),
                    ("departed", "2026-05-03 08:00:00", "2026-05-22 08:00:00"),
                )
            ]
        )
        self._flush_tracking()
        self.assertGreaterEqual(self._traces(shipment, "state"), 1)
        self.assertGreaterEqual(self._traces(shipment, "eta"), 1)
        self.assertEqual(len(shipment.event_ids), 3)
        for record in (shipment, shipment.event_ids[:1]):
            with self.assertRaises(AccessError):
                record.with_user(self.user).unlink()

    def test_tier_change_leaves_history_and_tracking(self):
        key = self.env.ref("logistics_crm.service_tier_key")
        strategic = self.env.ref("logistics_crm.service_tier_strategic")
        self.customer.with_user(self.manager).write(
            {"tier_override_id": key.id, "tier_override_reason": "Tender won"}
        )
        self.customer._recompute_logistics_tiers()
        self._flush_tracking()
        self.customer.with_user(self.manager).write(
            {"tier_override_id": strategic.id, "tier_override_reason": "Merger"}
        )
        self.customer._recompute_logistics_tiers()
        self._flush_tracking()
        self.assertEqual(self.customer.tier_id, strategic)
        history = self.env["logistics.tier.history"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(history.mapped("new_tier_id"), strategic | key)
        self.assertGreaterEqual(self._traces(self.customer, "tier_id"), 1)
        with self.assertRaises(AccessError):
            history.with_user(self.user).unlink()
