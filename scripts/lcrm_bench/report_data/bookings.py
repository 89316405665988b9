"""The bookings (and booking lines) of the accepted quotes, and a quote
request per quote chain, answered within or beyond its tier's target, or
still running, or cancelled."""

from .common import WALL_HOURS_PER_WORKING_HOUR


def _load_bookings(env, now):
    """The bookings of the accepted quotes, a line per quote line: most
    confirmed within days, some still draft, a few cancelled."""
    env.cr.execute(
        """
        WITH accepted AS (
             SELECT quote.id AS quote_id, quote.name, quote.partner_id,
                    quote.user_id, quote.team_id, quote.company_id,
                    quote.currency_id, quote.amount_total, quote.accepted_date,
                    quote.lead_id, lead.campaign_id, lead.source_id,
                    lead.medium_id, nextval('sale_order_id_seq') AS id,
                    random() AS r_state, random() AS r_days
               FROM logistics_quote quote
               JOIN crm_lead lead ON lead.id = quote.lead_id
              WHERE quote.state = 'accepted' AND quote.name LIKE 'BQ%%'
        ), booking AS (
             SELECT accepted.*,
                    CASE WHEN r_state < 0.86 THEN 'sale'
                         WHEN r_state < 0.95 THEN 'draft'
                         ELSE 'cancel' END AS state,
                    least(%(now)s, accepted_date + interval '4 days' * r_days)
                        AS confirmed
               FROM accepted
        ), orders AS (
             INSERT INTO sale_order (
                    id, name, state, partner_id, partner_invoice_id,
                    partner_shipping_id, company_id, currency_id, currency_rate,
                    user_id, team_id, opportunity_id, campaign_id, source_id,
                    medium_id, logistics_quote_id, origin, client_order_ref,
                    date_order, validity_date, amount_untaxed, amount_tax,
                    amount_total, invoice_status, locked, require_signature,
                    require_payment, prepayment_percent, create_uid, create_date,
                    write_uid, write_date)
             SELECT id, 'BS' || lpad(id::text, 7, '0'), state, partner_id,
                    partner_id, partner_id, company_id, currency_id, 1.0, user_id,
                    team_id, lead_id, campaign_id, source_id, medium_id, quote_id,
                    name, name,
                    CASE WHEN state = 'sale' THEN confirmed ELSE accepted_date END,
                    (accepted_date + interval '30 days')::date, amount_total, 0,
                    amount_total,
                    CASE WHEN state = 'sale' THEN 'to invoice' ELSE 'no' END,
                    FALSE, FALSE, FALSE, 1.0, %(uid)s, accepted_date, %(uid)s,
                    confirmed
               FROM booking
        ), lines AS (
             INSERT INTO sale_order_line (
                    order_id, sequence, company_id, currency_id, order_partner_id,
                    salesman_id, state, product_id, product_uom_id, name,
                    product_uom_qty, price_unit, technical_price_unit, discount,
                    price_subtotal, price_tax, price_total, price_reduce_taxexcl,
                    price_reduce_taxinc, qty_delivered_method, qty_delivered,
                    qty_invoiced, qty_to_invoice, untaxed_amount_invoiced,
                    untaxed_amount_to_invoice, invoice_status, customer_lead,
                    is_downpayment, is_expense, is_optional, collapse_prices,
                    collapse_composition, logistics_quote_line_id, create_uid,
                    create_date, write_uid, write_date)
             SELECT booking.id, line.sequence, booking.company_id,
                    booking.currency_id, booking.partner_id, booking.user_id,
                    booking.state, product.id, template.uom_id,
                    template.name->>'en_US', amounts.quantity, amounts.price,
                    amounts.price, 0, line.estimate, 0, line.estimate,
                    amounts.price, amounts.price, 'manual', 0, 0,
                    CASE WHEN booking.state = 'sale' THEN amounts.quantity ELSE 0 END,
                    0,
                    CASE WHEN booking.state = 'sale' THEN line.estimate ELSE 0 END,
                    CASE WHEN booking.state = 'sale' THEN 'to invoice' ELSE 'no' END,
                    0, FALSE, FALSE, FALSE, FALSE, FALSE, line.id, %(uid)s,
                    booking.accepted_date, %(uid)s, booking.confirmed
               FROM booking
               JOIN logistics_quote_line line ON line.quote_id = booking.quote_id
               JOIN product_template template
                 ON template.logistics_service
                    = CASE WHEN line.line_type = 'surcharge'
                           THEN coalesce(line.surcharge_type, 'other')
                           ELSE 'freight_' || coalesce(line.mode, 'multimodal') END
               JOIN product_product product ON product.product_tmpl_id = template.id
              CROSS JOIN LATERAL (
                    SELECT coalesce(nullif(line.quantity, 0), 1.0) AS quantity,
                           line.estimate / coalesce(nullif(line.quantity, 0), 1.0)
                               AS price
              ) amounts
        )
        UPDATE logistics_quote quote SET booking_id = booking.id
          FROM booking WHERE quote.id = booking.quote_id
        """,
        {"now": now, "uid": env.uid},
    )


def _load_requests(env, card_lines, now):
    """The request of each quote chain, from the opportunity's customer and
    first lane, created with its opportunity: its clock (the tier's target,
    in the tier's or the company's working hours) stopped by the first
    version sent, in time or late; running or breached while unanswered,
    stopped by a cancellation. One in seven priced at once from a tariff."""
    env.cr.execute(
        """
        WITH chain AS (
             SELECT latest.id AS quote_id, latest.state AS quote_state,
                    latest.partner_id, latest.company_id, latest.currency_id,
                    latest.amount_total, latest.booking_id, first.date_sent,
                    lead.id AS lead_id, lead.create_date AS created, lead.user_id,
                    lead.won_status, lead.campaign_id, lead.source_id,
                    lead.medium_id,
                    coalesce(tier.quote_response_hours, 8.0) AS target,
                    coalesce(tier.resource_calendar_id, company.resource_calendar_id)
                        AS calendar_id,
                    row_number() OVER (ORDER BY latest.id) AS n,
                    random() AS r_mode, random() AS r_cargo
               FROM logistics_quote latest
               JOIN logistics_quote first
                 ON first.name = latest.name AND first.version = 1
               JOIN crm_lead lead ON lead.id = latest.lead_id
               JOIN res_partner customer ON customer.id = latest.partner_id
               JOIN res_company company ON company.id = latest.company_id
               LEFT JOIN logistics_service_tier tier ON tier.id = customer.tier_id
              WHERE latest.name LIKE 'BQ%%' AND latest.revised_by_id IS NULL
        ), first_lane AS (
             SELECT DISTINCT ON (lead_id) *
               FROM logistics_lane WHERE lead_id IS NOT NULL ORDER BY lead_id, id
        ), first_contact AS (
             SELECT DISTINCT ON (parent_id) parent_id, id
               FROM res_partner WHERE name LIKE 'Bench Contact %%'
              ORDER BY parent_id, id
        ), request AS (
             SELECT chain.*, lane.origin_country_id, lane.origin_city,
                    lane.destination_country_id, lane.destination_city,
                    lane.mode AS lane_mode, contact.id AS contact_id,
                    card.line_id AS card_line_id,
                    chain.quote_state = 'draft' AND chain.won_status = 'lost'
                        AS cancelled,
                    created + target * %(wall)s * interval '1 hour' AS deadline,
                    created + target * %(warning)s * %(wall)s * interval '1 hour'
                        AS warning,
                    round((extract(epoch FROM chain.date_sent - created) / 3600
                           / %(wall)s)::numeric, 2) AS hours
               FROM chain
               JOIN first_lane lane ON lane.lead_id = chain.lead_id
               LEFT JOIN first_contact contact ON contact.parent_id = chain.partner_id
               LEFT JOIN unnest(%(card_modes)s::text[], %(card_lines)s::int[])
                    AS card(mode, line_id)
                 ON card.mode = lane.mode AND chain.n %% 7 = 0
        )
        INSERT INTO logistics_quote_request (
               name, state, cancelled, company_id, partner_id, contact_id,
               is_prospect, origin_country_id, origin_city, destination_country_id,
               destination_city, mode, priced_mode, pieces, weight_kg, volume_m3,
               ready_date, currency_id, declared_value, dangerous_goods,
               temperature_controlled, service_insurance, service_customs,
               service_warehousing, service_door_pickup, service_door_delivery,
               rate_card_line_id, indicative_total, price_currency_id, lead_id,
               quote_id, user_id, response_target_hours, response_calendar_id,
               response_start, response_deadline, response_warning_date,
               response_warned, response_date, response_hours, response_status,
               campaign_id, source_id, medium_id, create_uid, create_date,
               write_uid, write_date)
        SELECT 'BQR' || lpad(n::text, 6, '0'),
               CASE WHEN cancelled THEN 'cancelled'
                    WHEN booking.state = 'sale' THEN 'booked'
                    WHEN quote_state IN ('sent', 'accepted') THEN 'quoted'
                    WHEN card_line_id IS NOT NULL THEN 'priced'
                    ELSE 'to_price' END,
               cancelled, request.company_id, request.partner_id, contact_id,
               -- From the public page, before the company was a customer.
               n %% 16 = 0, origin_country_id, origin_city,
               destination_country_id, destination_city,
               CASE WHEN r_mode < 0.3 THEN 'suggest' ELSE lane_mode END, lane_mode,
               1 + floor(r_cargo * 40)::int, round((50 + r_cargo * 20000)::numeric, 1),
               round((0.5 + r_cargo * 60)::numeric, 2),
               (created + interval '7 days')::date, request.currency_id,
               round((r_cargo * 250000)::numeric, 2), n %% 25 = 0, n %% 12 = 0,
               n %% 3 = 0, n %% 4 = 0, n %% 9 = 0, n %% 2 = 0, n %% 5 = 0,
               card_line_id,
               CASE WHEN card_line_id IS NOT NULL THEN request.amount_total END,
               CASE WHEN card_line_id IS NOT NULL THEN request.currency_id END,
               lead_id, quote_id, request.user_id, target, calendar_id, created,
               deadline, warning, coalesce(date_sent, %(now)s) > warning, date_sent,
               hours,
               CASE WHEN date_sent IS NOT NULL THEN
                         CASE WHEN hours <= target THEN 'met' ELSE 'breached' END
                    WHEN deadline <= %(now)s THEN 'breached'
                    WHEN NOT cancelled THEN 'running' END,
               request.campaign_id, request.source_id, request.medium_id, %(uid)s,
               created, %(uid)s, coalesce(date_sent, created)
          FROM request
          LEFT JOIN sale_order booking ON booking.id = request.booking_id
        """,
        {
            "now": now,
            "wall": WALL_HOURS_PER_WORKING_HOUR,
            "warning": env["logistics.complaint.sla"]._warning_share(),
            "card_modes": list(card_lines),
            "card_lines": list(card_lines.values()),
            "uid": env.uid,
        },
    )
