import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Walks the back office the way a Logistics CRM user starts the day:
// the app, the shipment list, one shipment's tracking, then a customer's
// profile and why it has its service tier.
registry.category("web_tour.tours").add("logistics_crm_shipment_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("logistics_crm.logistics_crm_menu_root", "Open Logistics CRM"),
        {
            trigger: '.o_menu_sections button[data-menu-xmlid="logistics_crm.logistics_crm_menu_operations"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="logistics_crm.logistics_shipment_menu"]',
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row .o_data_cell[name='name']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='state'] .o_arrow_button_current",
        },
        {
            trigger: ".o_notebook a[name='tracking']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='event_ids'] .o_data_row",
        },
        {
            trigger: '.o_menu_sections button[data-menu-xmlid="logistics_crm.logistics_crm_menu_customers"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="logistics_crm.res_partner_menu"]',
            run: "click",
        },
        {
            trigger: ".o_kanban_record:contains('Shanghai Bright Electronics')",
            run: "click",
        },
        {
            trigger: ".o_notebook a[name='logistics']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='logistics_role']",
        },
        {
            trigger: "button[name='action_view_logistics_shipments'] .o_stat_value",
        },
        {
            trigger: ".o_notebook a[name='service_tier']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='tier_breakdown_html'] table.o_logistics_tier_breakdown td",
        },
        {
            trigger: ".o_field_widget[name='tier_history_ids'] .o_data_row",
        },
    ],
});
