import random
from datetime import timedelta

from odoo import api, fields, models

from .logistics_selections import CARRIER_MODES

# Typical revenue of one shipment by mode, in the company currency.
REVENUE_BY_MODE = {
    "road_ftl": 1400,
    "road_ltl": 450,
    "rail": 3800,
    "sea_fcl": 2600,
    "sea_lcl": 900,
    "air": 5200,
    "express": 180,
    "multimodal": 3000,
}
DEMO_SHIPMENTS_PER_LANE = 16
# Lanes that move more, so that the scoring engine finds every tier among the
# demo customers (logistics_service_tier_data.xml): Ningbo's volume and value
# make it Strategic, Rhône's and the portal customer's make them Key,
# Jiangsu's make it Potential. The portal customer ships every month: its
# scorecard has no empty month.
DEMO_SHIPMENTS_BY_LANE = {
    "logistics_lane_demo_01": 50,
    "logistics_lane_demo_02": 70,
    "logistics_lane_demo_03": 40,
    "logistics_lane_demo_07": 230,
    "logistics_lane_demo_15": 150,
}
DEMO_HISTORY_DAYS = 540
DEMO_NEWS_DAYS = 10


class LogisticsShipment(models.Model):
    _inherit = "logistics.shipment"

    @api.model
    def _demo_generate_shipments(self, seed=42):
        """Create the demo shipments and their events, deterministically.

        Runs from demo data, so it must not duplicate anything when the module
        is upgraded: it does nothing once demo shipments exist.
        """
        lane_xmlids = self._demo_xmlids("logistics.lane")
        lanes = (
            self.env["logistics.lane"]
            .browse(sorted(lane_xmlids))
            .filtered(lambda lane: lane.partner_id and not lane.lead_id)
        )
        if not lanes or self.search_count([("lane_id", "in", lanes.ids)], limit=1):
            return
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        carriers_of = self._demo_carriers_by_mode()
        portal_contact = self.env.ref(
            "base.partner_demo_portal", raise_if_not_found=False
        )
        shipment_vals, plans, rngs = [], [], []
        for lane in lanes:
            # One generator per lane: more shipments on one lane leave the
            # others' unchanged.
            rng = random.Random(f"{seed}-{lane_xmlids[lane.id]}")
            carriers = carriers_of.get(lane.mode, [])
            contact = (
                portal_contact
                if portal_contact
                and portal_contact.commercial_partner_id == lane.partner_id
                else self.env["res.partner"]
            )
            count = DEMO_SHIPMENTS_BY_LANE.get(
                lane_xmlids[lane.id], DEMO_SHIPMENTS_PER_LANE
            )
            for _index in range(count):
                pickup = now - timedelta(
                    days=rng.randint(-10, DEMO_HISTORY_DAYS), hours=rng.randint(0, 12)
                )
                transit = timedelta(hours=lane.transit_time_target_hours or 72)
                revenue = REVENUE_BY_MODE[lane.mode] * rng.uniform(0.7, 1.4)
                shipment_vals.append(
                    {
                        "partner_id": lane.partner_id.id,
                        "contact_id": contact.id,
                        "lane_id": lane.id,
                        "carrier_id": rng.choice(carriers) if carriers else False,
                        "reference": f"PO-{rng.randint(10000, 99999)}",
                        "cargo_description": lane.cargo_category_id.name,
                        "pieces": rng.randint(1, 40),
                        "weight_kg": round(rng.uniform(80, 18000), 1),
                        "volume_m3": round(rng.uniform(0.5, 67), 1),
                        "planned_pickup_date": pickup,
                        "promised_date": pickup + transit,
                        "revenue": round(revenue, 2),
                        "cost": round(revenue * rng.uniform(0.72, 0.93), 2),
                    }
                )
                plans.append((pickup, transit))
                rngs.append(rng)
        shipments = self.create(shipment_vals)
        events = []
        for shipment, (pickup, transit), rng in zip(
            shipments, plans, rngs, strict=True
        ):
            events += self._demo_events(rng, shipment, pickup, transit, now)
        # History, not news: customers are not notified of past events. The
        # last days' events are news, notified as the tracking feed would.
        news_since = now - timedelta(days=DEMO_NEWS_DAYS)
        Event = self.env["logistics.shipment.event"]
        Event.with_context(logistics_skip_notifications=True).create(
            [vals for vals in events if vals["event_time"] < news_since]
        )
        if portal_contact and not portal_contact.logistics_subscription_ids:
            self.env["logistics.notification.subscription"]._subscribe_tier_defaults(
                portal_contact
            )
        Event.create([vals for vals in events if vals["event_time"] >= news_since])

    @api.model
    def _demo_events(self, rng, shipment, pickup, transit, now):
        """Events of one demo shipment up to now: most on time, some late."""
        roll = rng.random()
        delay = (
            timedelta(hours=rng.randint(6, 96))
            if roll < 0.08
            else timedelta(hours=-rng.randint(0, 12))
        )
        delivered = pickup + transit + delay
        span = delivered - pickup
        milestones = [
            ("booked", pickup - timedelta(days=3)),
            ("picked_up", pickup),
            ("departed", pickup + span * 0.1),
            ("arrived_hub", pickup + span * 0.5),
            ("arrived_destination", pickup + span * 0.8),
            ("out_for_delivery", pickup + span * 0.9),
            ("delivered", delivered),
        ]
        events = []
        for number, (code, moment) in enumerate(milestones):
            if moment > now:
                break
            vals = {
                "shipment_id": shipment.id,
                "code": code,
                "event_time": moment,
                "source": "import",
                "external_id": f"DEMO-{shipment.id}-{number}",
                "location": shipment.origin_city
                if number < 3
                else shipment.destination_city,
            }
            if code == "arrived_hub" and delay > timedelta(0):
                vals["new_eta"] = delivered
            events.append(vals)
        if roll > 0.975 and len(events) > 2:
            events.append(
                {
                    "shipment_id": shipment.id,
                    "code": "exception",
                    "event_time": events[2]["event_time"] + timedelta(hours=2),
                    "source": "import",
                    "external_id": f"DEMO-{shipment.id}-exc",
                    "exception_type": rng.choice(
                        ["damage", "shortage", "documentation"]
                    ),
                    "description": self.env._("Reported by the carrier at the hub."),
                }
            )
        return events

    @api.model
    def _demo_carriers_by_mode(self):
        """{mode: [carrier id]}: the demo carriers that serve each mode."""
        carriers = (
            self.env["res.partner"]
            .browse(sorted(self._demo_xmlids("res.partner")))
            .filtered("logistics_carrier_type")
        )
        carriers_of = {}
        for carrier in carriers:
            for mode in CARRIER_MODES[carrier.logistics_carrier_type]:
                carriers_of.setdefault(mode, []).append(carrier.id)
        return carriers_of

    @api.model
    def _demo_xmlids(self, model):
        """{record id: xml id name} of the addon's demo records of ``model``."""
        return {
            data.res_id: data.name
            for data in self.env["ir.model.data"].search(
                [("module", "=", "logistics_crm"), ("model", "=", model)]
            )
        }
