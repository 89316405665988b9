# Copyright 2026 Logistics CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html).
{
    "name": "Logistics CRM",
    "summary": "Customer relationship management for freight forwarders, "
    "3PL providers and carriers",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/logistics-crm/logistics-crm",
    "author": "Logistics CRM Team",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["crm", "mail", "contacts", "rating", "resource"],
    "data": [
        "security/logistics_crm_security.xml",
        "security/ir.model.access.csv",
        "security/logistics_crm_rules.xml",
        "data/ir_sequence_data.xml",
        "data/logistics_service_tier_data.xml",
        "data/logistics_cargo_category_data.xml",
        "data/logistics_communication_channel_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/logistics_lane_views.xml",
        "views/logistics_shipment_views.xml",
        "views/logistics_shipment_event_views.xml",
        "views/logistics_shipment_exception_views.xml",
        "views/logistics_service_tier_views.xml",
        "views/res_partner_views.xml",
        "views/logistics_config_views.xml",
        "views/res_config_settings_views.xml",
        "views/logistics_crm_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/logistics_lane_demo.xml",
        "demo/logistics_shipment_demo.xml",
        "demo/logistics_service_tier_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "logistics_crm/static/tests/tours/*.js",
        ],
    },
}
