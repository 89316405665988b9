"""Leads and opportunities, won, lost and open, each with its lanes (their
mode and expected revenue), sources, campaigns and closing dates; quotes on
those opportunities, with their revisions, freight lines and fuel
surcharges, sent, accepted, rejected, expired or still draft as their
opportunity went."""

from .common import WALL_HOURS_PER_WORKING_HOUR

# A quote chain is its first version and 0-2 revisions: 1.25 quotes a chain.
QUOTES_PER_CHAIN = 1.25


def _load_leads(env, count, staff, campaigns, now):
    """Leads and opportunities created over the last 24 months, each with 1
    to 3 lanes copied from the bench customers' lanes (their revenue is the
    opportunity's); most closed after 6 months (40% won), a third of the
    recent ones; the lost archived with a reason, a few duplicates archived
    open."""
    stages = env["crm.stage"].search([])
    env.cr.execute(
        """
        WITH customers AS (
             SELECT id, row_number() OVER (ORDER BY id) AS n
               FROM res_partner WHERE name LIKE 'Bench Customer %%'
        ), templates AS (
             SELECT lane.origin_country_id, lane.origin_city,
                    lane.destination_country_id, lane.destination_city,
                    lane.transit_time_target_hours, lane.mode,
                    row_number() OVER (ORDER BY lane.id) AS n
               FROM logistics_lane lane
               JOIN res_partner customer ON customer.id = lane.partner_id
              WHERE customer.name LIKE 'Bench Customer %%'
        ), draw AS (
             SELECT i, nextval('crm_lead_id_seq') AS id,
                    %(now)s - random() * interval '730 days' AS created,
                    random() AS r_outcome, random() AS r_user, random() AS r_kind,
                    random() AS r_cycle, random() AS r_stage, random() AS r_origin,
                    1 + floor(random() * 3)::int AS lane_count,
                    (ARRAY[12, 12, 24, 36])[1 + floor(random() * 4)::int] AS months
               FROM generate_series(1, %(count)s) i
        ), lead AS (
             SELECT draw.*,
                    -- Over 6 months old: 40%% won, 52%% lost; else 12%% and 18%%.
                    CASE WHEN r_outcome < CASE WHEN old THEN 0.40 ELSE 0.12 END
                         THEN 'won'
                         WHEN r_outcome < CASE WHEN old THEN 0.92 ELSE 0.30 END
                         THEN 'lost'
                         ELSE 'pending' END AS outcome,
                    least(%(now)s, created + interval '5 days'
                                   + interval '235 days' * r_cycle) AS closed,
                    1 + floor(r_user * %(sales_count)s)::int AS salesperson,
                    1 + floor(r_stage * %(open_stage_count)s)::int AS stage
               FROM (SELECT *, created < %(now)s - interval '180 days' AS old
                       FROM draw) draw
        ), lanes AS (
             SELECT lead.id AS lead_id, lead.months, template.origin_country_id,
                    template.origin_city, template.destination_country_id,
                    template.destination_city, template.transit_time_target_hours,
                    CASE WHEN random() < 0.05 THEN 'multimodal' ELSE template.mode END
                        AS mode,
                    1 + floor(random() * 20) AS quantity,
                    CASE WHEN random() < 0.3 THEN 'week' ELSE 'month' END AS frequency,
                    0.8 + 0.4 * random() AS price_level
               FROM lead
              CROSS JOIN LATERAL generate_series(1, lead.lane_count) k
               JOIN templates template
                 ON template.n
                    = 1 + (lead.i * 3 + k) %% (SELECT count(*) FROM templates)
        ), priced AS (
             SELECT lanes.*, round((base.rate * price_level)::numeric, 2) AS rate,
                    quantity * CASE frequency WHEN 'week' THEN 52 ELSE 12 END
                        AS annual_volume
               FROM lanes
               JOIN (VALUES ('sea_fcl', 2600), ('sea_lcl', 900), ('air', 5200),
                            ('road_ftl', 1400), ('road_ltl', 450), ('rail', 3800),
                            ('express', 180), ('multimodal', 3000)) AS base(mode, rate)
                 ON base.mode = lanes.mode
        ), revenue AS (
             SELECT lead_id,
                    round(sum(annual_volume::numeric * rate * months / 12), 2)
                        AS expected
               FROM priced GROUP BY lead_id
        ), leads AS (
             INSERT INTO crm_lead (
                    id, name, type, active, company_id, user_id, team_id,
                    partner_id, partner_name, stage_id, probability,
                    automated_probability, won_status, lost_reason_id, date_closed,
                    day_close, date_open, day_open, date_last_stage_update,
                    date_deadline, expected_revenue, prorated_revenue,
                    recurring_revenue, recurring_revenue_monthly,
                    recurring_revenue_monthly_prorated, recurring_revenue_prorated,
                    logistics_lane_revenue, logistics_annual_revenue,
                    logistics_revenue_manual, logistics_strategic_prospect,
                    logistics_contract_months, logistics_source, source_id,
                    campaign_id, priority, color, create_uid, create_date,
                    write_uid, write_date)
             SELECT lead.id, 'Bench Opportunity ' || lpad(lead.i::text, 6, '0'),
                    -- Unqualified leads: never won.
                    CASE WHEN r_kind < 0.12 AND outcome != 'won' THEN 'lead'
                         ELSE 'opportunity' END,
                    -- The lost archived, and one open duplicate in a hundred.
                    NOT (outcome = 'lost' OR outcome = 'pending' AND i %% 100 = 0),
                    %(company)s,
                    CASE WHEN r_user < 0.95
                         THEN (%(sales)s::int[])[salesperson] END,
                    (%(sales_teams)s::int[])[salesperson],
                    customers.id,
                    CASE WHEN customers.id IS NULL
                         THEN 'Bench Prospect ' || lead.i END,
                    CASE WHEN outcome = 'won' THEN %(won_stage)s
                         ELSE (%(open_stages)s::int[])[stage] END,
                    probability, probability, outcome,
                    CASE WHEN outcome = 'lost'
                         THEN (%(lost_reasons)s::int[])[1 + i %% %(lost_reason_count)s]
                    END,
                    CASE WHEN outcome != 'pending' THEN closed END,
                    CASE WHEN outcome != 'pending'
                         THEN floor(extract(epoch FROM closed - created) / 86400) END,
                    created, 0,
                    CASE WHEN outcome != 'pending' THEN closed ELSE created END,
                    CASE WHEN outcome = 'pending'
                         THEN (%(now)s + interval '180 days' * r_cycle)::date
                         ELSE (created + interval '60 days')::date END,
                    revenue.expected, round(revenue.expected * probability / 100, 2),
                    0, 0, 0, 0, revenue.expected,
                    round(revenue.expected * 12 / months, 2), FALSE, FALSE, months,
                    (ARRAY['tender', 'referral', 'expansion', 'market', 'inbound'])
                        [1 + i %% 5],
                    (%(sources)s::int[])[1 + i %% %(source_count)s],
                    CASE WHEN r_origin < 0.3
                         THEN (%(campaigns)s::int[])[1 + i %% %(campaign_count)s] END,
                    (1 + i %% 3)::text, 0, %(uid)s, created, %(uid)s,
                    CASE WHEN outcome != 'pending' THEN closed ELSE created END
               FROM (SELECT lead.*,
                            CASE WHEN outcome = 'won' THEN 100.0
                                 WHEN outcome = 'lost' THEN 0.0
                                 ELSE (ARRAY[10.0, 30.0, 60.0])[stage] END
                                AS probability
                       FROM lead) lead
               JOIN revenue ON revenue.lead_id = lead.id
               -- One in ten a prospect, not a customer yet.
               LEFT JOIN customers
                 ON r_origin >= 0.1
                AND customers.n = 1 + i %% (SELECT count(*) FROM customers)
        )
        INSERT INTO logistics_lane (
               lead_id, origin_country_id, origin_city, destination_country_id,
               destination_city, mode, volume_quantity, volume_unit, frequency,
               annual_volume, rate, currency_id, expected_revenue,
               transit_time_target_hours, active, create_uid, create_date,
               write_uid, write_date)
        SELECT lead_id, origin_country_id, origin_city, destination_country_id,
               destination_city, mode, quantity, 'shipment', frequency,
               annual_volume, rate, %(currency)s,
               round(annual_volume::numeric * rate * months / 12, 2),
               transit_time_target_hours, TRUE, %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM priced
        """,
        {
            "now": now,
            "count": count,
            "sales": staff["sales"],
            "sales_count": len(staff["sales"]),
            "sales_teams": staff["sales_teams"],
            "won_stage": stages.filtered("is_won")[:1].id,
            "open_stages": (stages - stages.filtered("is_won")).ids[:3],
            "open_stage_count": len((stages - stages.filtered("is_won")).ids[:3]),
            "lost_reasons": env["crm.lost.reason"].search([]).ids,
            "lost_reason_count": env["crm.lost.reason"].search_count([]),
            "sources": env["utm.source"].search([]).ids,
            "source_count": env["utm.source"].search_count([]),
            "campaigns": campaigns,
            "campaign_count": len(campaigns),
            "company": env.company.id,
            "currency": env.company.currency_id.id,
            "uid": env.uid,
        },
    )


def _load_quotes(env, count, now):
    """Quote chains on the customers' opportunities (a first version, one
    revision in five, a second one in twenty), each with a freight line per
    lane of its opportunity and most with a fuel surcharge. The first
    version goes out within the customer's tier response target four times
    in five; the latest is accepted (won), rejected or expired (lost, a few
    never sent), or sent or draft (open) as its opportunity went."""
    env.cr.execute(
        """
        WITH opportunity AS (
             SELECT lead.id AS lead_id, lead.partner_id, lead.user_id, lead.team_id,
                    lead.create_date AS created, lead.won_status,
                    coalesce(lead.date_closed, %(now)s) AS ended,
                    lead.logistics_contract_months AS months,
                    coalesce(tier.quote_response_hours, 8.0) AS target,
                    row_number() OVER (ORDER BY lead.id) AS n
               FROM crm_lead lead
               JOIN res_partner customer ON customer.id = lead.partner_id
               LEFT JOIN logistics_service_tier tier ON tier.id = customer.tier_id
              WHERE lead.name LIKE 'Bench Opportunity %%'
                AND lead.type = 'opportunity'
                AND (lead.active OR lead.won_status = 'lost')
        ), chain_draw AS (
             SELECT c, opportunity.*, random() AS r_versions, random() AS r_state,
                    random() AS r_response
               FROM generate_series(1, %(chains)s) c
               JOIN opportunity
                 ON opportunity.n = 1 + c %% (SELECT count(*) FROM opportunity)
        ), chain AS (
             SELECT chain_draw.*,
                    CASE WHEN r_versions < 0.05 THEN 3
                         WHEN r_versions < 0.20 THEN 2 ELSE 1 END AS versions,
                    CASE WHEN won_status = 'won' THEN 'accepted'
                         WHEN won_status = 'lost' THEN
                              CASE WHEN r_state < 0.55 THEN 'rejected'
                                   WHEN r_state < 0.90 THEN 'expired'
                                   ELSE 'draft' END
                         WHEN r_state < 0.25 THEN 'draft'
                         ELSE 'sent' END AS final_state,
                    -- Working hours to the first firm quote.
                    target * CASE WHEN r_response < 0.8 THEN 0.15 + r_response
                                  ELSE 1.05 + 4 * (r_response - 0.8) END
                        AS response_hours
               FROM chain_draw
        ), version AS (
             SELECT nextval('logistics_quote_id_seq') AS id, chain.*, k,
                    least(created + response_hours * %(wall)s * interval '1 hour',
                          %(now)s) AS first_sent
               FROM chain CROSS JOIN LATERAL generate_series(1, chain.versions) k
        ), dated AS (
             SELECT version.*,
                    CASE WHEN k < versions THEN 'superseded' ELSE final_state END
                        AS state,
                    first_sent + greatest(ended - first_sent, interval '0')
                        * (0.9 * (k - 1) / versions) AS sent_at,
                    lag(id) OVER chain_versions AS previous_id,
                    lead(id) OVER chain_versions AS next_id
               FROM version
             WINDOW chain_versions AS (PARTITION BY c ORDER BY k)
        ), quote AS (
             SELECT dated.*,
                    CASE WHEN state != 'draft' THEN sent_at END AS date_sent,
                    CASE WHEN k = 1 THEN created + interval '10 minutes'
                         ELSE greatest(sent_at - interval '2 hours', first_sent)
                    END AS drafted
               FROM dated
        ), line AS (
             SELECT nextval('logistics_quote_line_id_seq') AS id,
                    quote.id AS quote_id, quote.drafted, lane.id AS lane_id,
                    lane.mode, lane.transit_time_target_hours,
                    row_number() OVER (PARTITION BY quote.id ORDER BY lane.id) AS seq,
                    round((lane.annual_volume * quote.months / 12.0)::numeric, 2)
                        AS quantity,
                    -- Each revision a little cheaper.
                    round(lane.rate * (1.08 - 0.04 * quote.k), 2) AS rate,
                    CASE WHEN (lane.id + quote.k) %% 10 < 7
                         THEN nextval('logistics_quote_line_id_seq') END
                        AS surcharge_id
               FROM quote
               JOIN logistics_lane lane
                 ON lane.lead_id = quote.lead_id AND lane.active
        ), priced AS (
             SELECT line.*, round(quantity * rate, 2) AS estimate,
                    round(rate * 0.12, 2) AS surcharge_rate,
                    round(quantity * round(rate * 0.12, 2), 2) AS surcharge_estimate
               FROM line
        ), amount AS (
             SELECT quote_id,
                    sum(estimate + CASE WHEN surcharge_id IS NOT NULL
                                        THEN surcharge_estimate ELSE 0 END) AS total
               FROM priced GROUP BY quote_id
        ), quotes AS (
             INSERT INTO logistics_quote (
                    id, name, version, previous_version_id, revised_by_id, lead_id,
                    partner_id, user_id, team_id, company_id, currency_id, state,
                    date_quote, validity_date, date_sent, accepted_by,
                    accepted_date, rejection_reason, amount_total, create_uid,
                    create_date, write_uid, write_date)
             SELECT quote.id, 'BQ' || lpad(c::text, 6, '0'), k, previous_id, next_id,
                    lead_id, partner_id, coalesce(user_id, %(salesperson)s),
                    team_id, %(company)s, %(currency)s, state, drafted::date,
                    drafted::date + 30, date_sent,
                    CASE WHEN state = 'accepted' THEN 'Bench Buyer' END,
                    CASE WHEN state = 'accepted' THEN ended END,
                    CASE WHEN state = 'rejected'
                         THEN (ARRAY['Price', 'Transit time', 'Capacity'])[1 + c %% 3]
                    END,
                    coalesce(amount.total, 0), %(uid)s, drafted, %(uid)s,
                    CASE WHEN state IN ('accepted', 'rejected', 'expired')
                         THEN ended ELSE coalesce(date_sent, drafted) END
               FROM quote LEFT JOIN amount ON amount.quote_id = quote.id
        ), freight AS (
             INSERT INTO logistics_quote_line (
                    id, quote_id, sequence, line_type, lane_id, mode, rate_basis,
                    rate, quantity, estimate, transit_time_days, create_uid,
                    create_date, write_uid, write_date)
             SELECT id, quote_id, 10 * seq, 'freight', lane_id, mode, 'shipment',
                    rate, quantity, estimate,
                    round((transit_time_target_hours / 24.0)::numeric, 1),
                    %(uid)s, drafted, %(uid)s, drafted
               FROM priced
        )
        INSERT INTO logistics_quote_line (
               id, quote_id, sequence, line_type, parent_id, surcharge_type,
               rate_basis, rate, quantity, estimate, create_uid, create_date,
               write_uid, write_date)
        SELECT surcharge_id, quote_id, 10 * seq + 1, 'surcharge', id, 'fuel',
               'shipment', surcharge_rate, quantity, surcharge_estimate, %(uid)s,
               drafted, %(uid)s, drafted
          FROM priced WHERE surcharge_id IS NOT NULL
        """,
        {
            "now": now,
            "chains": round(count / QUOTES_PER_CHAIN),
            "wall": WALL_HOURS_PER_WORKING_HOUR,
            "salesperson": env.uid,
            "company": env.company.id,
            "currency": env.company.currency_id.id,
            "uid": env.uid,
        },
    )
