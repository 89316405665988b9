"""The addon's vocabulary, defined once: selections and constants that
several models, reports and wizards use. Reports and wizards import from
here; nothing here imports from them."""

MANAGER_GROUP = "logistics_crm.logistics_crm_group_manager"
# Fields the back office reads and portal users never do.
INTERNAL_GROUP = "base.group_user"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIMETYPE = "application/pdf"
# What a manager sets to force a customer's tier.
TIER_OVERRIDE_FIELDS = (
    "tier_override_id",
    "tier_override_reason",
    "tier_override_until",
)

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

# The company's lines of business: each transport mode (counted from the
# shipments), then the services beyond transport (counted from the booked
# products of that logistics service, FREIGHT_SERVICES).
SERVICE_LINE_KINDS = [
    ("transport", "Transport Mode"),
    ("value_added", "Value-Added Service"),
]
VALUE_ADDED_SERVICE_LINES = ("customs", "warehousing", "insurance", "door_delivery")

# What a market-intelligence tip reports about a prospect.
MARKET_NEWS_KINDS = [
    ("merger", "Merger or Acquisition"),
    ("expansion", "Expansion (New Site or Market)"),
    ("product_line", "New Product Line"),
    ("tender", "Tender Announced"),
    ("other", "Other News"),
]

# A carrier is a transport provider the company buys from, never a customer;
# its type says which transport modes it can move.
CARRIER_TYPES = [
    ("road", "Road Haulier"),
    ("rail", "Rail Operator"),
    ("sea", "Shipping Line"),
    ("air", "Airline"),
    ("express", "Express Courier"),
    ("multimodal", "Multimodal Operator"),
]
CARRIER_MODES = {
    "road": ("road_ftl", "road_ltl"),
    "rail": ("rail",),
    "sea": ("sea_fcl", "sea_lcl"),
    "air": ("air",),
    "express": ("express",),
    "multimodal": tuple(code for code, _label in TRANSPORT_MODES),
}
# Who the Customers menu, the scoring engine and the customer pickers list:
# companies that are not carriers.
CUSTOMER_DOMAIN = [("is_company", "=", True), ("logistics_carrier_type", "=", False)]
CUSTOMER_FIELD_DOMAIN = str(CUSTOMER_DOMAIN)

SHIPMENT_STATES = [
    ("draft", "Draft"),
    ("booked", "Booked"),
    ("picked_up", "Picked Up"),
    ("in_transit", "In Transit"),
    ("at_destination", "At Destination"),
    ("delivered", "Delivered"),
    ("cancelled", "Cancelled"),
]

# A status's place in the journey: statuses only move forward along it.
STATE_RANK = {state: rank for rank, (state, _label) in enumerate(SHIPMENT_STATES)}

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

# How far along its journey an event puts a shipment: the rank of its status,
# then its place among the customer milestones of that status (out for
# delivery is past arrival at the destination hub). Feeds reorder events and
# a booking made in the UI is stamped at the click, after carrier scans of
# the same day, so the furthest event, not the latest timestamp, says where
# a shipment is and what is news to its customer (see
# logistics.shipment.event._tracking_progress).
EVENT_PROGRESS = {
    code: STATE_RANK[state] * (len(MILESTONE_EVENT_CODES) + 1)
    + (MILESTONE_EVENT_CODES.index(code) + 1 if code in MILESTONE_EVENT_CODES else 0)
    for code, state in STATE_BY_EVENT_CODE.items()
}

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

COMPLAINT_PRIORITIES = [
    ("0", "Normal"),
    ("1", "High"),
    ("2", "Urgent"),
    ("3", "Critical"),
]

COMPLAINT_CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("im", "Instant Messaging"),
    ("portal", "Portal"),
    ("face_to_face", "Face to Face"),
    ("call_center", "Call Center"),
    ("proactive", "Proactive"),
]
# The channels where a complaint came in by phone: a direct line or the call
# center.
PHONE_COMPLAINT_CHANNELS = ("phone", "call_center")

CALL_OUTCOMES = [
    ("resolved", "Resolved on the Call"),
    ("callback", "Call Back Needed"),
    ("complaint", "Complaint Filed"),
    ("quote", "Quote Requested"),
    ("no_answer", "No Answer"),
    ("voicemail", "Voicemail"),
    ("wrong_number", "Wrong Number"),
]

# Where a touchpoint with a customer happened, on its timeline
# (logistics.interaction).
INTERACTION_CHANNELS = [
    ("call", "Call"),
    ("email", "E-mail"),
    ("portal", "Portal Message"),
    ("meeting", "Meeting"),
    ("notification", "Notification"),
    ("complaint", "Complaint"),
    ("quote", "Quote"),
    ("booking", "Booking"),
]
INTERACTION_DIRECTIONS = [("in", "Inbound"), ("out", "Outbound")]

SLA_KINDS = [("first_response", "First Response"), ("resolution", "Resolution")]

SLA_STATUSES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("breached", "Breached"),
    ("cancelled", "Cancelled"),
]

QUOTE_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("expired", "Expired"),
    ("superseded", "Revised"),
]

# What a quote line charges besides freight. Each has its service product
# (FREIGHT_SERVICES), which books and invoices it.
SURCHARGE_TYPES = [
    ("fuel", "Fuel (BAF)"),
    ("peak_season", "Peak Season"),
    ("security", "Security"),
    ("currency", "Currency (CAF)"),
    ("customs", "Customs Brokerage"),
    ("insurance", "Cargo Insurance"),
    ("warehousing", "Warehousing"),
    ("door_delivery", "Door Delivery"),
    ("door_pickup", "Door Pickup"),
    ("temperature_control", "Temperature Control"),
    ("dangerous_goods", "Dangerous Goods Handling"),
    ("other", "Other"),
]

# What a rate card prices besides freight, each as a surcharge type of the
# quote it becomes: surcharges apply to every shipment of the card, the
# value-added services only to the shipments that ask for them (dangerous
# goods and temperature control: to the cargo that needs them).
RATE_CARD_SURCHARGES = ("fuel", "security", "peak_season")
VALUE_ADDED_SERVICES = [
    ("insurance", "Cargo Insurance"),
    ("customs", "Customs Brokerage"),
    ("warehousing", "Warehousing"),
    ("door_pickup", "Door Pickup"),
    ("door_delivery", "Door Delivery"),
    ("temperature_control", "Temperature Control"),
    ("dangerous_goods", "Dangerous Goods Handling"),
]

# How a rate-card line prices the cargo: per chargeable kg from a weight
# break, per m³ (weight or measure, whichever is more), per container.
RATE_CARD_BASES = [
    ("kg", "Per kg (weight break)"),
    ("m3", "Per m³"),
    ("container", "Per Container"),
]
CONTAINER_TYPES = [
    ("20gp", "20' GP"),
    ("40gp", "40' GP"),
    ("40hc", "40' HC"),
    ("45hc", "45' HC"),
    ("20rf", "20' Reefer"),
    ("40rf", "40' Reefer"),
]
# kg a cubic metre counts for in the chargeable weight of each mode (IATA's
# 1:6000 for air, couriers' 1:5000, road's 1:3000, 1 t/m³ otherwise).
VOLUMETRIC_KG_PER_M3 = {
    "air": 167.0,
    "express": 200.0,
    "road_ftl": 333.0,
    "road_ltl": 333.0,
}
DEFAULT_KG_PER_M3 = 1000.0

# A quote request asks for a mode, or for the cheapest one that is priced.
SUGGEST_MODE = "suggest"
REQUEST_MODES = [(SUGGEST_MODE, "Suggest the Best"), *TRANSPORT_MODES]
QUOTE_REQUEST_STATES = [
    ("priced", "Indicative Price"),
    ("to_price", "To Price"),
    ("quoted", "Quoted"),
    ("booked", "Booked"),
    ("cancelled", "Cancelled"),
]
RESPONSE_STATUSES = [
    ("running", "Running"),
    ("met", "Met"),
    ("breached", "Breached"),
]

# The service products of bookings and invoices: freight per transport mode,
# then one per surcharge type (shipped as data, product_product_data.xml).
FREIGHT_SERVICE_PREFIX = "freight_"
FREIGHT_SERVICES = [
    *((FREIGHT_SERVICE_PREFIX + mode, label) for mode, label in TRANSPORT_MODES),
    *SURCHARGE_TYPES,
]

# How a customer is invoiced for its shipments.
INVOICING_POLICIES = [
    ("shipment", "Per Shipment, on Delivery"),
    ("monthly", "Monthly Settlement"),
]

STATEMENT_STATES = [
    ("to_confirm", "To Confirm"),
    ("confirmed", "Confirmed"),
    ("disputed", "Disputed"),
]

SUPPLY_CHAIN_ROLES = [
    ("shipper", "Shipper"),
    ("consignee", "Consignee"),
    ("manufacturer", "Manufacturer"),
    ("distributor", "Distributor"),
    ("retailer", "Retailer"),
    ("ecommerce", "E-commerce"),
    ("forwarder", "Freight Forwarder / Partner"),
]

CREDIT_RATINGS = [
    ("a", "A - Excellent"),
    ("b", "B - Good"),
    ("c", "C - Watch"),
    ("d", "D - High Risk"),
]

# Where an opportunity came from, as the sales reports cut it.
OPPORTUNITY_SOURCES = [
    ("tender", "Tender"),
    ("referral", "Referral"),
    ("expansion", "Existing Customer Expansion"),
    ("market", "Market Information"),
    ("inbound", "Inbound"),
]

# What a dated line of a business calendar import says about its date.
CALENDAR_DAY_KINDS = [
    ("holiday", "Public Holiday"),
    ("working", "Make-up Working Day"),
]

# What each question of the relationship survey measures.
SURVEY_DIMENSIONS = [
    ("nps", "Likelihood to Recommend (NPS)"),
    ("timeliness", "Timeliness"),
    ("tracking", "Tracking Information"),
    ("exceptions", "Exception Handling"),
    ("communication", "Communication with the Account Team"),
    ("billing", "Billing Accuracy"),
    ("value", "Value for Money"),
    ("comment", "Comment"),
]

# Where the call-back asked by a survey answer stands.
FOLLOW_UP_STATES = [("to_follow", "To Follow Up"), ("done", "Followed Up")]

# The 1-5 service dimensions of the relationship survey, each a report column.
SURVEY_SCORE_DIMENSIONS = (
    "timeliness",
    "tracking",
    "exceptions",
    "communication",
    "billing",
    "value",
)
