import { registry } from "@web/core/registry";

// A call rings: the phone system opens the screen pop, the agent sees who
// is calling, looks at the customer, types what the caller says and files
// the complaint from the call.
registry.category("web_tour.tours").add("logistics_crm_call_center_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name='customer_id'] input:value('Screen Pop Freight Co')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='customer_tier_id']:contains('Key')",
        },
        {
            trigger: ".o_notebook a[name='caller_shipments']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='customer_transit_shipment_ids'] .o_data_row",
        },
        {
            trigger: ".o_field_widget[name='customer_id']",
            run: "hover && click .o_field_widget[name='customer_id'] .o_external_button",
        },
        {
            trigger: ".o_breadcrumb .active:contains('Screen Pop Freight Co')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='tier_id']:contains('Key')",
        },
        {
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Call from')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='partner_phone']",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Reefer container arrived warm",
        },
        {
            trigger: ".o_form_view button[name='action_new_complaint']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value('Screen Pop Freight Co')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='subject'] input:value('Reefer container arrived warm')",
        },
    ],
});
