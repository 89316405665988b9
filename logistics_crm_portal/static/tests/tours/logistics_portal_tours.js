import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("logistics_portal_complaint_tour", {
    url: "/my/shipments",
    steps: () => [
        {
            content: "Open the shipment to follow",
            trigger: "a:contains(LCRM-TOUR-SHIPMENT)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The tracking timeline shows the pickup",
            trigger: "#o_logistics_timeline:contains(Tour pickup hub)",
        },
        {
            content: "File a complaint about this shipment",
            trigger: "#o_logistics_shipment_complain",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "#category_id",
            run: "selectByLabel Damage",
        },
        {
            trigger: "#subject",
            run: "edit Crushed pallet on tour",
        },
        {
            trigger: "#description",
            run: "edit The top pallet arrived crushed.",
        },
        {
            content: "Attach a photo",
            trigger: "#attachments",
            run() {
                const files = new DataTransfer();
                files.items.add(
                    new File(["crushed pallet"], "pallet.txt", { type: "text/plain" })
                );
                this.anchor.files = files.files;
            },
        },
        {
            trigger: "#o_logistics_complaint_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The complaint page opens with what was filed",
            trigger: "h3:contains(Crushed pallet on tour)",
        },
        {
            content: "Reply in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit The pallet number is 4711.",
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Message:contains(The pallet number is 4711.)",
        },
    ],
});

tours.add("logistics_portal_rating_tour", {
    url: "/my/complaints",
    steps: () => [
        {
            trigger: "tr:contains(Crushed pallet on tour) a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The resolution is shown and the customer can rate",
            trigger: "#o_logistics_complaint_rating a[title=Satisfied]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_rating_page_submit button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "h3:contains(Thank you for your feedback)",
        },
    ],
});

tours.add("logistics_portal_quote_tour", {
    url: "/my/quotes",
    steps: () => [
        {
            trigger: "a:contains(LCRM-TOUR-QUOTE)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "#accept_name",
            run: "edit Wang Fang",
        },
        {
            trigger: "#o_logistics_quote_accept",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".alert-success:contains(Accepted by Wang Fang)",
        },
        {
            content: "The quote became a booking, awaiting our confirmation",
            trigger: "#o_logistics_quote_booking:contains(Awaiting confirmation) a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The booking opens on the portal",
            trigger: "#portal_sale_content:contains(Tour lane freight)",
        },
    ],
});

tours.add("logistics_portal_statement_tour", {
    url: "/my/statements",
    steps: () => [
        {
            trigger: "a:contains(LCRM-TOUR-STATEMENT)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The statement lists the month's shipments",
            trigger: "td:contains(LCRM-TOUR-SHIPMENT)",
        },
        {
            trigger: "#confirm_name",
            run: "edit Wang Fang",
        },
        {
            trigger: "#o_logistics_statement_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".alert-success:contains(Confirmed by Wang Fang)",
        },
    ],
});

tours.add("logistics_portal_notifications_tour", {
    url: "/my/notifications",
    steps: () => [
        {
            content: "Get deliveries in the daily digest",
            trigger: "input[name=mode_delivered][value=digest]",
            run: "click",
        },
        {
            trigger: "#o_logistics_notifications_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "#o_logistics_notifications_saved",
        },
        {
            trigger: "input[name=mode_delivered][value=digest]:checked",
        },
    ],
});

function requestSteps(mode, originCity) {
    return [
        {
            trigger: "#o_logistics_new_quote_request",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: "select#origin_country_id", run: "selectByLabel China" },
        { trigger: "input#origin_city", run: `edit ${originCity}` },
        { trigger: "select#destination_country_id", run: "selectByLabel Germany" },
        { trigger: "input#destination_city", run: "edit Munich" },
        { trigger: "select#mode", run: `selectByLabel ${mode}` },
        { trigger: "input#weight_kg", run: "edit 250" },
        // Typing does not fill a date input: set its value.
        {
            trigger: "input#ready_date",
            run() {
                this.anchor.value = "2030-01-10";
            },
        },
        {
            trigger: "#o_logistics_quote_request_submit",
            run: "click",
            expectUnloadPage: true,
        },
    ];
}

tours.add("logistics_portal_request_priced_tour", {
    url: "/my/quote-requests",
    steps: () => [
        ...requestSteps("Air", "Shenzhen"),
        {
            content: "The indicative price at once, broken down",
            trigger: "#o_logistics_request_breakdown:contains(Fuel)",
        },
        { trigger: "#o_logistics_request_price:contains(1,100.00)" },
    ],
});

tours.add("logistics_portal_request_to_price_tour", {
    url: "/my/quote-requests",
    steps: () => [
        ...requestSteps("Rail", "Chengdu"),
        {
            content: "No rate covers the lane: sales price it",
            trigger: "#o_logistics_request_price:contains(Our sales team is pricing)",
        },
    ],
});

tours.add("logistics_portal_booking_tour", {
    url: "/my/book",
    steps: () => [
        { trigger: "#o_logistics_booking_contracts:contains(Alpha air contract)" },
        { trigger: "select#mode", run: "selectByLabel Air" },
        { trigger: "select#origin_country_id", run: "selectByLabel China" },
        { trigger: "input#origin_city", run: "edit Suzhou" },
        { trigger: "select#destination_country_id", run: "selectByLabel Germany" },
        { trigger: "input#destination_city", run: "edit Cologne" },
        // Typing does not fill a datetime-local input: set its value.
        {
            trigger: "input#pickup_start",
            run() {
                this.anchor.value = "2030-01-10T09:00";
            },
        },
        {
            trigger: "input#pickup_end",
            run() {
                this.anchor.value = "2030-01-10T12:00";
            },
        },
        { trigger: "textarea#pickup_address", run: "edit Suzhou Industrial Park" },
        { trigger: "input#consignee_name", run: "edit Rhein Parts GmbH" },
        { trigger: "textarea#consignee_address", run: "edit Industriestr. 5, Cologne" },
        { trigger: "input[name=pieces_0]", run: "edit 4" },
        { trigger: "input[name=weight_0]", run: "edit 200" },
        {
            trigger: "#o_logistics_booking_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The confirmed booking opens on the portal",
            trigger: "#portal_sale_content",
        },
    ],
});

// One scale question of the relationship survey answered: its value's label.
const answerScale = (question, value) => ({
    content: `${question}: ${value}`,
    trigger: `div.js_question-wrapper:contains(${question}) label[for$="_${value}"]`,
    run: "click",
});

tours.add("logistics_portal_survey_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The invitation is a card on the portal home",
            trigger: "a:contains(Relationship Survey)",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: "button.btn:contains(Start)", run: "click" },
        answerScale("How likely are you to recommend us", 9),
        answerScale("timeliness of our pick-ups", 4),
        answerScale("tracking information we give you", 5),
        answerScale("damage and other exceptions", 2),
        answerScale("communication with your account team", 5),
        answerScale("accuracy of our invoices", 4),
        answerScale("value for money", 4),
        {
            trigger: "div.js_question-wrapper:contains(What should we do better) textarea",
            run: "edit Announce terminal delays before the ETA passes.",
        },
        { trigger: "button[value=finish]", run: "click" },
        {
            content: "Confirm the submission",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        { trigger: "h1:contains(Thank you)" },
    ],
});
