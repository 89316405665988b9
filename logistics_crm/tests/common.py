from odoo import Command
from odoo.tests import TransactionCase, freeze_time, new_test_user


class LogisticsCrmCase(TransactionCase):
    """Users of each group and a customer with a lane, for every test class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="lcrm_user",
            groups="logistics_crm.logistics_crm_group_user",
            tz="Asia/Shanghai",
        )
        cls.manager = new_test_user(
            cls.env,
            login="lcrm_manager",
            groups="logistics_crm.logistics_crm_group_manager",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Test Customer Co.", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Test Contact", "parent_id": cls.customer.id}
        )
        cls.lane = cls.env["logistics.lane"].create(
            {
                "partner_id": cls.customer.id,
                "origin_city": "Shanghai",
                "origin_country_id": cls.env.ref("base.cn").id,
                "destination_city": "Rotterdam",
                "destination_country_id": cls.env.ref("base.nl").id,
                "mode": "sea_fcl",
                "volume_quantity": 4,
                "volume_unit": "teu",
                "transit_time_target_hours": 720,
            }
        )
        cls.env.company.logistics_on_time_tolerance_hours = 2.0

    @classmethod
    def _weekday_calendar(cls, name, tz, periods):
        """A Monday-to-Friday calendar in ``tz`` working each day's
        ``periods``: [(hour from, hour to, day period)]."""
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": tz,
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": stop,
                            "day_period": period,
                        },
                    )
                    for day in range(5)
                    for start, stop, period in periods
                ],
            }
        )

    @classmethod
    def _create_shipments(cls, count, **values):
        return cls.env["logistics.shipment"].create(
            [
                {
                    "partner_id": cls.customer.id,
                    "lane_id": cls.lane.id,
                    "promised_date": "2026-03-10 12:00:00",
                    "revenue": 1000.0,
                    "cost": 800.0,
                    **values,
                }
                for _index in range(count)
            ]
        )

    def _ingest(self, items):
        return self.env["logistics.shipment.event"].ingest_events(items)

    @classmethod
    def _freight_quote(cls, lane, rate, fuel_rate, quantity, basis, **values):
        """A draft quote for the customer: one freight line on ``lane`` and
        its fuel surcharge, at the same rate basis."""
        quote = cls.env["logistics.quote"].create(
            {
                "partner_id": cls.customer.id,
                "line_ids": [
                    Command.create(
                        {
                            "lane_id": lane.id,
                            "rate": rate,
                            "rate_basis": basis,
                            "quantity": quantity,
                        }
                    )
                ],
                **values,
            }
        )
        cls.env["logistics.quote.line"].create(
            {
                "quote_id": quote.id,
                "line_type": "surcharge",
                "surcharge_type": "fuel",
                "parent_id": quote.line_ids.id,
                "rate": fuel_rate,
                "rate_basis": basis,
            }
        )
        return quote

    @classmethod
    def _deliver_shipments(cls, shipments, day):
        """Picked up at 02:00 and delivered at 10:00 UTC on ``day``; returns
        the ingest's results."""
        return cls.env["logistics.shipment.event"].ingest_events(
            [
                {
                    "shipment": shipment.name,
                    "code": code,
                    "event_time": f"{day}T{hour}:00:00Z",
                    "external_id": f"{code}-{shipment.name}",
                }
                for shipment in shipments
                for code, hour in (("picked_up", "02"), ("delivered", "10"))
            ]
        )

    @classmethod
    def _deliver_and_invoice(cls, shipments, day):
        """The shipments delivered on ``day`` and invoiced that day, one
        posted invoice each, dated by the delivery; returns the invoices."""
        with freeze_time(f"{day} 12:00:00"):
            cls._deliver_shipments(shipments, day)
            invoicing = cls.env["logistics.invoicing"]
            return invoicing._invoice_groups(
                invoicing._groups(shipments, key=lambda shipment: shipment.id),
                invoice_date=lambda group: group.actual_delivery_date.date(),
            )

    def _run_cron(self, xmlid):
        """The cron as the scheduler runs it, on a cursor of its own that may
        commit its progress (the test's cursor, in registry test mode)."""
        with self.enter_registry_test_mode():
            self.env.ref(xmlid).method_direct_trigger()

    @classmethod
    def _clear_rate_cards(cls):
        """The prices of a test come from its own cards, not the demo's."""
        cls.env["logistics.rate.card"].with_context(active_test=False).search(
            []
        ).unlink()
