"""What the SQL-view reports read beyond the bench's shipments, loaded for
the report pivots inside the caller's savepoint (rolled back after): a few
salespeople and call agents with their teams, campaigns and rate cards
through the ORM (a handful of rows each), then in set-based SQL over the
bench customers, their contacts and lanes:

- calls held by the agents and salespeople over the last 24 months, in and
  out, in every status, with outcomes, durations and first-contact
  resolution;
- leads and opportunities, won, lost and open, each with its lanes (their
  mode and expected revenue), sources, campaigns and closing dates;
- quotes on those opportunities, with their revisions, freight lines and
  fuel surcharges, sent, accepted, rejected, expired or still draft as their
  opportunity went; the bookings (and booking lines) of the accepted ones;
- a quote request per quote chain, answered within or beyond its tier's
  target, or still running, or cancelled;
- the relationship survey's answers (surveys._load_answers) from the survey
  contacts of the customers, who get tiers and account managers, and the
  feedback themes of the detractors' and passives' comments.

The complaint reports stay empty (a complaint has its stage, SLA milestones
and ratings, beyond a few INSERTs); so do the calls' complaint links.

At ``large`` 200,000 calls, 100,000 leads and about 100,000 quotes (and
500,000 answers, surveys.ANSWERS); at small a hundredth of that.
"""

from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields

from .surveys import ANSWERS, _load_answers, _prepare_customers

CALLS = 200_000
LEADS = 100_000
QUOTES = 100_000
SMALL_SHARE = 100
SEED = 0.42
# A quote chain is its first version and 0-2 revisions: 1.25 quotes a chain.
QUOTES_PER_CHAIN = 1.25
SALESPEOPLE = 8
AGENTS = 6
CAMPAIGNS = 6
# A working day of 8 hours spans a day of 24: hours of a response in
# working time, as elapsed time.
WALL_HOURS_PER_WORKING_HOUR = 3
# The tables loaded (rows counted for the notes) and what marks the loaded
# rows where the bench has rows of its own.
COUNTED = {
    "crm_phonecall": "TRUE",
    "crm_lead": "TRUE",
    "logistics_lane": "lead_id IS NOT NULL",
    "logistics_quote": "TRUE",
    "logistics_quote_line": "TRUE",
    "logistics_quote_request": "TRUE",
    "sale_order": "TRUE",
    "sale_order_line": "TRUE",
    "survey_user_input": "TRUE",
    "survey_user_input_line": "TRUE",
    "logistics_feedback_theme_answer_rel": "TRUE",
    "utm_campaign": "name LIKE 'Bench Campaign %'",
}


def _staff(env):
    """Two sales teams of salespeople and a customer service team of call
    agents, through the ORM (users are Odoo's); the bench customers get
    account managers among the salespeople."""
    Users = env["res.users"].with_context(
        no_reset_password=True, mail_create_nolog=True, tracking_disable=True
    )
    salesman = env.ref("sales_team.group_sale_salesman")
    teams = env["crm.team"].create(
        [
            {"name": "Bench Key Accounts"},
            {"name": "Bench Field Sales"},
            {"name": "Bench Customer Service"},
        ]
    )

    def users(kind, count):
        return Users.create(
            [
                {
                    "name": f"Bench {kind} {number}",
                    "login": f"bench.{kind.lower()}.{number}",
                    "group_ids": [Command.link(salesman.id)],
                }
                for number in range(1, count + 1)
            ]
        )

    sales, agents = users("Salesperson", SALESPEOPLE), users("Agent", AGENTS)
    sales_teams = [teams[index % 2].id for index in range(len(sales))]
    env["crm.team.member"].create(
        [
            {"crm_team_id": team, "user_id": user}
            for user, team in zip(sales.ids, sales_teams, strict=True)
        ]
        + [{"crm_team_id": teams[2].id, "user_id": user} for user in agents.ids]
    )
    env.flush_all()
    env.cr.execute(
        """
        UPDATE res_partner SET account_manager_id = (%s::int[])[1 + id %% %s]
         WHERE name LIKE 'Bench Customer %%'
        """,
        (sales.ids, len(sales)),
    )
    return {
        "sales": sales.ids,
        "sales_teams": sales_teams,
        "agents": agents.ids,
        "agent_team": teams[2].id,
    }


def _campaigns(env, staff):
    """A few marketing campaigns (the leads' and bookings' UTM campaign)."""
    campaigns = env["utm.campaign"].create(
        [
            {
                "title": f"Bench Campaign {number}",
                "user_id": staff["sales"][number % len(staff["sales"])],
                "logistics_cost": 5_000.0 * number,
            }
            for number in range(1, CAMPAIGNS + 1)
        ]
    )
    return campaigns.ids


def _rate_cards(env):
    """A public tariff per transport mode, one line each: what the quote
    requests priced at once were priced from. Mode -> line id."""
    Card = env["logistics.rate.card"].with_context(
        tracking_disable=True, mail_create_nolog=True
    )
    modes = [mode for mode, _label in Card._fields["mode"].selection]
    china, netherlands = env.ref("base.cn").id, env.ref("base.nl").id
    cards = Card.create(
        [
            {
                "name": f"Bench Tariff {mode}",
                "mode": mode,
                "date_start": fields.Date.today() - timedelta(days=3 * 365),
                "line_ids": [
                    Command.create(
                        {
                            "origin_country_id": china,
                            "destination_country_id": netherlands,
                            "rate_basis": "kg",
                            "rate": 2.5,
                        }
                    )
                ],
            }
            for mode in modes
        ]
    )
    return {card.mode: card.line_ids.id for card in cards}


def _load_calls(env, count, staff, now):
    """Calls of the bench contacts over the last 24 months: two in three
    inbound (to the agents), the outbound ones by agents and salespeople;
    most held, with an outcome, a duration (short when nobody answered) and,
    inbound, first-contact resolution when settled on the call."""
    env.cr.execute(
        """
        WITH contacts AS (
             SELECT id, commercial_partner_id, mobile, mobile_e164,
                    row_number() OVER (ORDER BY id) AS n
               FROM res_partner WHERE name LIKE 'Bench Contact %%'
        ), draw AS (
             SELECT i, %(now)s - random() * interval '730 days' AS date,
                    random() AS r_direction, random() AS r_state,
                    random() AS r_outcome, random() AS r_user,
                    random() AS r_duration
               FROM generate_series(1, %(count)s) i
        ), call AS (
             SELECT i, r_direction, r_outcome, r_user, r_duration, state,
                    -- Calls not held yet are planned over the last month and
                    -- the next two weeks.
                    CASE WHEN state IN ('open', 'pending')
                         THEN %(now)s + (r_duration * 44 - 30) * interval '1 day'
                         ELSE date END AS date,
                    CASE WHEN r_direction < 0.65 THEN 'in' ELSE 'out' END
                        AS direction,
                    -- Inbound to an agent; outbound by an agent or a
                    -- salesperson (index into the staff arrays).
                    CASE WHEN r_direction < 0.65 OR r_user < 0.5
                         THEN 1 + floor(r_user * %(agent_count)s)::int END
                        AS agent,
                    1 + floor(r_user * %(sales_count)s)::int AS salesperson
               FROM (SELECT draw.*,
                            CASE WHEN r_state < 0.82 THEN 'done'
                                 WHEN r_state < 0.88 THEN 'cancel'
                                 WHEN r_state < 0.93 THEN 'pending'
                                 ELSE 'open' END AS state
                       FROM draw) draw
        ), outcome AS (
             SELECT call.*,
                    CASE WHEN state != 'done' THEN NULL
                         WHEN direction = 'in' THEN
                              CASE WHEN r_outcome < 0.55 THEN 'resolved'
                                   WHEN r_outcome < 0.75 THEN 'callback'
                                   WHEN r_outcome < 0.83 THEN 'complaint'
                                   WHEN r_outcome < 0.97 THEN 'quote'
                                   ELSE 'wrong_number' END
                         WHEN r_outcome < 0.30 THEN 'resolved'
                         WHEN r_outcome < 0.45 THEN 'callback'
                         WHEN r_outcome < 0.60 THEN 'quote'
                         WHEN r_outcome < 0.80 THEN 'no_answer'
                         WHEN r_outcome < 0.95 THEN 'voicemail'
                         ELSE 'wrong_number' END AS outcome
               FROM call
        ), timed AS (
             SELECT outcome.*,
                    CASE WHEN state != 'done' THEN 0.0
                         WHEN outcome IN ('no_answer', 'voicemail', 'wrong_number')
                         THEN round((0.2 + r_duration * 1.3)::numeric, 2)
                         ELSE round((1 - 6 * ln(1 - r_duration * 0.999))::numeric, 2)
                    END AS duration
               FROM outcome
        )
        INSERT INTO crm_phonecall (
               name, direction, state, outcome, first_contact_resolved,
               duration, date, date_open, date_closed, user_id, team_id,
               partner_id, customer_id, partner_phone, caller_e164, company_id,
               active, priority, create_uid, create_date, write_uid, write_date)
        SELECT (ARRAY['Shipment status', 'Delivery appointment', 'Invoice question',
                      'Rate enquiry', 'Customs documents'])[1 + i %% 5],
               direction, state, outcome,
               direction = 'in' AND outcome = 'resolved',
               duration, date, date,
               CASE WHEN state = 'done'
                    THEN date + duration * interval '1 minute' END,
               coalesce((%(agents)s::int[])[agent], (%(sales)s::int[])[salesperson]),
               CASE WHEN agent IS NOT NULL THEN %(agent_team)s
                    ELSE (%(sales_teams)s::int[])[salesperson] END,
               contacts.id, contacts.commercial_partner_id, contacts.mobile,
               contacts.mobile_e164, %(company)s,
               -- One in a hundred archived (logged twice, say).
               i %% 100 != 0, '1', %(uid)s, least(date, %(now)s), %(uid)s,
               least(date, %(now)s)
          FROM timed
          JOIN contacts ON contacts.n = 1 + i %% (SELECT count(*) FROM contacts)
        """,
        {
            "now": now,
            "count": count,
            "agents": staff["agents"],
            "agent_count": len(staff["agents"]),
            "agent_team": staff["agent_team"],
            "sales": staff["sales"],
            "sales_count": len(staff["sales"]),
            "sales_teams": staff["sales_teams"],
            "company": env.company.id,
            "uid": env.uid,
        },
    )


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


def _tag_feedback_themes(env, nps_question):
    """The feedback themes of the answers' comments: three in five of the
    detractors and passives name one, one in five a second."""
    env.cr.execute(
        """
        INSERT INTO logistics_feedback_theme_answer_rel (answer_id, theme_id)
        SELECT answer.id, (%(themes)s::int[])[1 + (answer.id + k) %% %(count)s]
          FROM survey_user_input answer
          JOIN survey_user_input_line line
            ON line.user_input_id = answer.id AND line.question_id = %(nps)s
         CROSS JOIN generate_series(0, 1) k
         WHERE answer.state = 'done' AND line.value_scale <= 8
           AND (answer.id * 7 + k * 3) %% 10 < CASE k WHEN 0 THEN 6 ELSE 2 END
        """,
        {
            "themes": env["logistics.feedback.theme"].search([]).ids,
            "count": env["logistics.feedback.theme"].search_count([]),
            "nps": nps_question,
        },
    )


def _analyze(env, *tables):
    env.cr.execute(f"ANALYZE {', '.join(tables)}")


def _count(env):
    counts = {}
    for table, loaded in COUNTED.items():
        env.cr.execute(f"SELECT count(*) FROM {table} WHERE {loaded}")
        counts[table] = env.cr.fetchone()[0]
    return counts


@contextmanager
def _without_jit(env):
    """PostgreSQL's JIT off while loading: it compiles each big INSERT for
    about a second, longer than the INSERT runs at small; the reports are
    then timed with the server's setting."""
    env.cr.execute("SHOW jit")
    jit = env.cr.fetchone()[0]
    env.cr.execute("SET LOCAL jit = off")
    try:
        yield
    finally:
        env.cr.execute("SELECT set_config('jit', %s, TRUE)", (jit,))


def _load(env, large_scale):
    share = 1 if large_scale else SMALL_SHARE
    now = fields.Datetime.now().replace(microsecond=0)
    # The same draws each run (random() below), for timings that compare.
    env.cr.execute("SELECT setseed(%s)", (SEED,))
    # The customers' tiers and survey contacts, as the survey bench has them.
    _prepare_customers(env)
    staff = _staff(env)
    campaigns = _campaigns(env, staff)
    card_lines = _rate_cards(env)
    env.flush_all()
    # Each step analyses what it wrote: the next one reads it, and is
    # planned from the statistics (a nested loop over an "empty" table of
    # 100,000 quotes otherwise).
    _analyze(env, "res_partner")
    _load_calls(env, CALLS // share, staff, now)
    _analyze(env, "crm_phonecall")
    _load_leads(env, LEADS // share, staff, campaigns, now)
    _analyze(env, "crm_lead", "logistics_lane")
    _load_quotes(env, QUOTES // share, now)
    _analyze(env, "logistics_quote", "logistics_quote_line")
    _load_bookings(env, now)
    _analyze(env, "sale_order", "sale_order_line", "logistics_quote")
    _load_requests(env, card_lines, now)
    _analyze(env, "logistics_quote_request")
    nps_question = _load_answers(env, ANSWERS[large_scale])
    _tag_feedback_themes(env, nps_question)
    _analyze(env, "logistics_feedback_theme_answer_rel")


def load_report_data(env, large_scale):
    """Load what the reports read (see the module's docstring) in the
    current transaction, analysed; the caller rolls it back. Returns the
    rows loaded per table."""
    with _without_jit(env):
        _load(env, large_scale)
    # The ORM reads the reports from the rows just written, not its cache.
    env.invalidate_all()
    return _count(env)
