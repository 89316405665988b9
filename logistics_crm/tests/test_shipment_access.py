from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install")
class TestShipmentAccess(LogisticsCrmCase):
    def test_user_cannot_unlink_shipments(self):
        draft = self._create_shipments(1)
        with self.assertRaises(AccessError):
            draft.with_user(self.user).unlink()
        self.assertTrue(draft.exists())
        # Archiving is the way out for users.
        draft.with_user(self.user).action_archive()
        self.assertFalse(draft.active)

    def test_manager_can_unlink_only_drafts(self):
        draft, booked = self._create_shipments(2)
        booked.with_user(self.user).action_book()
        self.assertEqual(booked.state, "booked")
        with self.assertRaisesRegex(UserError, "Only draft shipments"):
            booked.with_user(self.manager).unlink()
        self.assertTrue(booked.exists())
        draft.with_user(self.manager).unlink()
        self.assertFalse(draft.exists())

    def test_users_cannot_unlink_events_nor_edit_configuration(self):
        shipment = self._create_shipments(1)
        shipment.action_book()
        with self.assertRaises(AccessError):
            shipment.event_ids.with_user(self.user).unlink()
        with self.assertRaises(AccessError):
            self.env.ref("logistics_crm.cargo_category_general").with_user(
                self.user
            ).write({"name": "Anything"})

    def test_cancel(self):
        shipment = self._create_shipments(1)
        shipment.action_book()
        shipment.action_cancel()
        self.assertEqual(shipment.state, "cancelled")
        # A cancelled shipment stays cancelled whatever the feed says.
        self._ingest(
            [
                {
                    "shipment": shipment.name,
                    "code": "picked_up",
                    "external_id": "p",
                    "event_time": "2026-03-01T00:00:00Z",
                }
            ]
        )
        self.assertEqual(shipment.state, "cancelled")
