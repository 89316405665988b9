"""Selections shared by several models, defined once."""

TRANSPORT_MODES = [
    ("road_ftl", "Road FTL"),
    ("road_ltl", "Road LTL"),
    ("rail", "Rail"),
    ("sea_fcl", "Sea FCL"),
    ("sea_lcl", "Sea LCL"),
    ("air", "Air"),
    ("express", "Express"),
    ("multimodal", "Multimodal"),
]

SHIPMENT_STATES = [
    ("draft", "Draft"),
    ("booked", "Booked"),
    ("picked_up", "Picked Up"),
    ("in_transit", "In Transit"),
    ("at_destination", "At Destination"),
    ("delivered", "Delivered"),
    ("cancelled", "Cancelled"),
]

EVENT_CODES = [
    ("booked", "Booked"),
    ("picked_up", "Picked Up"),
    ("departed", "Departed"),
    ("arrived_hub", "Arrived at Hub"),
    ("customs_hold", "Customs Hold"),
    ("customs_cleared", "Customs Cleared"),
    ("arrived_destination", "Arrived at Destination Hub"),
    ("out_for_delivery", "Out for Delivery"),
    ("delivered", "Delivered"),
    ("exception", "Exception"),
    ("eta_updated", "ETA Updated"),
]

# The shipment status an event code puts a shipment in; codes absent from
# this map (exception, ETA update) leave the status alone.
STATE_BY_EVENT_CODE = {
    "booked": "booked",
    "picked_up": "picked_up",
    "departed": "in_transit",
    "arrived_hub": "in_transit",
    "customs_hold": "in_transit",
    "customs_cleared": "in_transit",
    "arrived_destination": "at_destination",
    "out_for_delivery": "at_destination",
    "delivered": "delivered",
}

EXCEPTION_TYPES = [
    ("delay", "Delay"),
    ("damage", "Damage"),
    ("loss", "Loss"),
    ("shortage", "Shortage"),
    ("customs_hold", "Customs Hold"),
    ("documentation", "Documentation"),
    ("address", "Address Problem"),
    ("refused", "Refused by Consignee"),
    ("other", "Other"),
]

# Event codes that open an exception on the shipment by themselves.
EXCEPTION_TYPE_BY_EVENT_CODE = {
    "exception": "other",
    "customs_hold": "customs_hold",
}

NOTIFICATION_EVENTS = [
    ("booked", "Shipment Booked"),
    ("picked_up", "Picked Up"),
    ("departed", "Departed"),
    ("arrived_destination", "Arrived at Destination Hub"),
    ("out_for_delivery", "Out for Delivery"),
    ("delivered", "Delivered"),
    ("eta_changed", "ETA Changed"),
    ("exception_raised", "Exception Raised"),
    ("exception_update", "Exception in Progress"),
    ("exception_resolved", "Exception Resolved"),
]

# Tracking event codes that are customer-facing milestones, notified under
# the same name.
MILESTONE_EVENT_CODES = (
    "booked",
    "picked_up",
    "departed",
    "arrived_destination",
    "out_for_delivery",
    "delivered",
)

# What a tier's notification level subscribes a new contact to.
NOTIFICATION_LEVEL_EVENTS = {
    "all": [code for code, _label in NOTIFICATION_EVENTS],
    "milestones": [
        "booked",
        "departed",
        "arrived_destination",
        "delivered",
        "eta_changed",
        "exception_raised",
        "exception_resolved",
    ],
    "exceptions": [
        "eta_changed",
        "exception_raised",
        "exception_update",
        "exception_resolved",
    ],
    "none": [],
}
