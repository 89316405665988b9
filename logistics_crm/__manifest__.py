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
        "views/res_partner_views.xml",
        "views/logistics_crm_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
}
