# Copyright 2026 Logistics CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html).
{
    "name": "Logistics CRM Portal",
    "summary": "Customer portal for Logistics CRM: shipments, complaints, quotes, "
    "bookings and statements of account",
    "version": "19.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/logistics-crm/logistics-crm",
    "author": "Logistics CRM Team",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["logistics_crm", "portal", "rating", "sale", "account"],
    "data": [
        "security/ir.model.access.csv",
        "security/logistics_crm_portal_security.xml",
        "views/logistics_shipment_views.xml",
        "views/portal_templates.xml",
        "views/logistics_shipment_templates.xml",
        "views/logistics_complaint_templates.xml",
        "views/logistics_quote_templates.xml",
        "views/logistics_quote_request_templates.xml",
        "views/logistics_statement_templates.xml",
        "views/logistics_service_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "logistics_crm_portal/static/tests/tours/*.js",
        ],
    },
}
