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
  feedback themes of the detractors' and passives' comments;
- complaints over the last 24 months in every category (handled by the
  customer service team) and stage: proactive ones from the shipment
  exceptions of the tiers that open them, the others from the customers'
  contacts by phone, e-mail, portal..., most about one of their shipments
  (so by volume); each with its first-response and resolution milestones
  on its tier's targets, met, breached, running, paused or cancelled as
  its stage went, the ticket's SLA status and due date summarising them;
  a pause for those waiting on the customer; the rating request of the
  resolved ones, a third of them answered (1-5).

The calls' complaint links stay empty. Working hours count as elapsed time
(WALL_HOURS_PER_WORKING_HOUR), not through the working calendars.

At ``large`` 200,000 calls, 100,000 leads, about 100,000 quotes and 100,000
complaints (and 500,000 answers, surveys.ANSWERS); at small a hundredth of
that.
"""

import json
from datetime import timedelta

from odoo import Command, fields

from odoo.addons.logistics_crm.models.logistics_complaint import SLA_STATUS_RANK
from odoo.addons.logistics_crm.models.logistics_kpi import planned_without_jit
from odoo.addons.rating.models import rating_data

from .surveys import ANSWERS, _load_answers, _prepare_customers

CALLS = 200_000
LEADS = 100_000
QUOTES = 100_000
COMPLAINTS = 100_000
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
    "logistics_complaint": "TRUE",
    "logistics_complaint_sla": "TRUE",
    "logistics_complaint_pause": "TRUE",
    "rating_rating": "res_model = 'logistics.complaint'",
}
# What the customers complain about (category code: weight; a category of
# another code weighs OTHER_WEIGHT), and the categories about a shipment:
# the others (an invoice, someone's manner) name none.
CATEGORY_WEIGHTS = {
    "delay": 30,
    "damage": 12,
    "loss": 4,
    "shortage": 8,
    "wrong_delivery": 8,
    "documentation": 10,
    "billing": 14,
    "attitude": 6,
    "other": 8,
}
OTHER_WEIGHT = 5
NOT_ABOUT_A_SHIPMENT = ("billing", "attitude", "other")
# The categories whose complaints carry a claim, three in five of them.
CLAIM_CATEGORIES = ("damage", "loss", "shortage")
# The root causes found for each category (codes; any for other categories).
ROOT_CAUSES = {
    "delay": ("CAR", "PRC", "CUS", "CLT"),
    "damage": ("HDL", "CAR"),
    "loss": ("CAR", "HDL", "PRC"),
    "shortage": ("HDL", "PRC", "CLT"),
    "wrong_delivery": ("PRC", "COM", "CLT"),
    "documentation": ("PRC", "CUS", "COM"),
    "billing": ("PRC", "COM"),
    "attitude": ("COM", "PRC"),
}
# How the customers' own complaints come in (the proactive ones are opened
# from the shipment exceptions).
CHANNEL_WEIGHTS = {
    "phone": 30,
    "email": 25,
    "portal": 15,
    "call_center": 15,
    "im": 8,
    "face_to_face": 7,
}
# Share of the resolved complaints whose customer answers the rating request.
RATED_SHARE = 0.35
# Where the ratings 2 to 5 start on a draw in [0, 1): after a resolution in
# time 4% rate 1, 6% 2, 15% 3, 30% 4 and 45% 5; after a late one 20, 20, 25,
# 20 and 15%.
RATINGS_IN_TIME = [0.04, 0.1, 0.25, 0.55]
RATINGS_LATE = [0.2, 0.4, 0.65, 0.85]


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


def _complaint_categories(env, staff):
    """The complaint categories (a few created when the database has none),
    each handled by the bench's customer service team unless it names a
    team: the complaints' team, as the ORM assigns it."""
    Category = env["logistics.complaint.category"]
    categories = Category.search([])
    if not categories:
        categories = Category.create(
            [
                {
                    "name": code.replace("_", " ").capitalize(),
                    "code": code,
                    "sequence": sequence,
                    "root_cause_required": code in CLAIM_CATEGORIES,
                }
                for sequence, code in enumerate(CATEGORY_WEIGHTS, start=1)
            ]
        )
    unassigned = categories.filtered(lambda category: not category.team_id)
    unassigned.team_id = staff["agent_team"]
    env.flush_all()
    return categories


def _weights(keys, weights, default):
    """The lower bound of each key's share of [0, 1), for width_bucket."""
    values = [weights.get(key, default) for key in keys]
    total = sum(values)
    return [sum(values[:index]) / total for index in range(len(values))]


def _complaint_parameters(env, categories):
    """What the complaints' INSERT reads of the categories, root causes,
    stages and exception types, as arrays."""
    causes = env["logistics.complaint.root.cause"].search([])
    cause_ids = {cause.code: cause.id for cause in causes}
    causes_of = {}
    for category in categories:
        found = [
            cause_ids[code]
            for code in ROOT_CAUSES.get(category.code, ())
            if code in cause_ids
        ]
        if found or causes:
            causes_of[category.id] = found or causes.ids
    stages = env["logistics.complaint.stage"].search([])
    new = env["logistics.complaint"]._default_stage_id()

    def stage(*flags):
        """The first stage after the new tickets' with these flags
        (pause_sla, is_resolved, is_closed)."""
        flagged = stages.filtered(
            lambda s: (s.pause_sla, s.is_resolved, s.is_closed) == flags
        )
        return (flagged - new)[:1]

    # A proactive ticket's category, as _proactive_from_exceptions picks it.
    category_of = {}
    for category in categories.filtered("exception_types"):
        for exception_type in category.exception_types.split(","):
            category_of.setdefault(exception_type.strip(), category.id)
    Complaint = env["logistics.complaint"]
    type_labels = dict(
        env["logistics.shipment.exception"]
        ._fields["exception_type"]
        ._description_selection(env)
    )
    channels = [
        channel
        for channel, _label in Complaint._fields["channel"].selection
        if channel != "proactive"
    ]
    return {
        "category_ids": categories.ids,
        "category_names": [category.name for category in categories],
        "category_teams": [category.team_id.id or None for category in categories],
        "category_about_shipment": [
            category.code not in NOT_ABOUT_A_SHIPMENT for category in categories
        ],
        "category_claims": [
            category.code in CLAIM_CATEGORIES for category in categories
        ],
        "category_cause_required": categories.mapped("root_cause_required"),
        "category_bounds": _weights(
            categories.mapped("code"), CATEGORY_WEIGHTS, OTHER_WEIGHT
        ),
        "causes": json.dumps(causes_of),
        "channels": channels,
        "channel_bounds": _weights(channels, CHANNEL_WEIGHTS, OTHER_WEIGHT),
        "exception_types": list(category_of),
        "exception_categories": list(category_of.values()),
        "fallback_category": Complaint._default_category().id,
        "type_names": list(type_labels),
        "type_labels": list(type_labels.values()),
        "new": new.id,
        "in_progress": stage(False, False, False).id,
        "waiting": stage(True, False, False).id,
        "resolved": stage(False, True, False).id,
        "closed": stage(False, True, True).id,
        "cancelled": stage(False, False, True).id,
        "status_rank": list(SLA_STATUS_RANK),
    }


def _load_complaints(env, count, categories, now):
    """Complaints over the last 24 months with their two SLA milestones: the
    proactive tickets of the shipment exceptions of the customers whose tier
    opens them, the others filed by the customers' contacts within ten days
    of the delivery of one of their shipments (so by volume) or, about an
    invoice or someone's manner, naming none. Their tier sets the targets
    and the priority. Answered (first response) within target 85% of the
    time, resolved within it 80%; resolved when that time has passed, closed
    two to fourteen days later with a root cause, a few cancelled (half of
    those archived as duplicates); the open ones new, in progress or waiting
    on the customer (the resolution clock paused, a pause open). A milestone
    still running past its deadline is breached, as the cron leaves it; a
    stopped one keeps its consumed hours; the ticket's SLA status and due
    date summarise its milestones."""
    # Counted first: the numbered shipments (2,000,000 at large) are then
    # read once, not stored for a second look.
    env.cr.execute(
        """
        SELECT count(*) FROM logistics_shipment shipment
          JOIN res_partner customer ON customer.id = shipment.partner_id
         WHERE shipment.active AND customer.name LIKE 'Bench Customer %%'
        """
    )
    shipments = env.cr.fetchone()[0]
    env.cr.execute(
        """
        WITH customers AS (
             SELECT customer.id,
                    coalesce(tier.complaint_priority, '0') AS priority,
                    coalesce(nullif(tier.first_response_hours, 0), 24.0)
                        AS response_target,
                    coalesce(nullif(tier.resolution_hours, 0), 24.0)
                        AS resolution_target,
                    coalesce(tier.resource_calendar_id, %(calendar)s) AS calendar_id,
                    coalesce(tier.proactive_complaints, FALSE) AS proactive,
                    dedicated.user_id
               FROM res_partner customer
               LEFT JOIN logistics_service_tier tier ON tier.id = customer.tier_id
               -- The first of the dedicated service team, in the users' order.
               LEFT JOIN LATERAL (
                    SELECT member.id AS user_id
                      FROM res_partner_logistics_service_team_rel rel
                      JOIN res_users member
                        ON member.id = rel.user_id AND member.active
                      JOIN res_partner person ON person.id = member.partner_id
                     WHERE rel.partner_id = customer.id
                     ORDER BY person.name, member.login LIMIT 1
               ) dedicated ON TRUE
              WHERE customer.name LIKE 'Bench Customer %%'
        ), contacts AS (
             SELECT id, parent_id,
                    row_number() OVER (PARTITION BY parent_id ORDER BY id) AS n,
                    count(*) OVER (PARTITION BY parent_id) AS of
               FROM res_partner WHERE name LIKE 'Bench Contact %%'
        ), categories AS (
             SELECT category.*, cause.causes
               FROM unnest(%(category_ids)s::int[], %(category_names)s::text[],
                           %(category_teams)s::int[],
                           %(category_about_shipment)s::bool[],
                           %(category_claims)s::bool[],
                           %(category_cause_required)s::bool[])
                    WITH ORDINALITY AS category(category_id, category_name,
                                                team_id, about_shipment, claims,
                                                cause_required, k)
               -- The root causes found for the category (a JSON array).
               LEFT JOIN jsonb_each(%(causes)s::jsonb) AS cause(key, causes)
                 ON cause.key::int = category.category_id
        ), shipments AS (
             SELECT shipment.id, shipment.name, shipment.partner_id,
                    coalesce(shipment.actual_delivery_date, shipment.promised_date,
                             shipment.create_date) AS date,
                    row_number() OVER (ORDER BY shipment.id) AS n
               FROM logistics_shipment shipment
               JOIN customers ON customers.id = shipment.partner_id
              WHERE shipment.active
        ), proactive AS (
             SELECT exception.id AS exception_id, exception.exception_type,
                    exception.description, shipment.id AS shipment_id,
                    shipment.name AS shipment_name, shipment.partner_id,
                    least(exception.date + interval '10 minutes', %(now)s)
                        AS created
               FROM logistics_shipment_exception exception
               JOIN logistics_shipment shipment
                 ON shipment.id = exception.shipment_id
               JOIN customers
                 ON customers.id = shipment.partner_id AND customers.proactive
              ORDER BY exception.id LIMIT %(count)s
        ), filed AS (
             SELECT i, random() AS r_category, random() AS r_channel,
                    random() AS r_lag,
                    1 + floor(random() * %(shipments)s)::int AS shipment_n
               FROM generate_series(1, %(count)s - (SELECT count(*) FROM proactive)) i
        ), source AS (
             SELECT shipment.partner_id, contact.id AS contact_id,
                    CASE WHEN category.about_shipment THEN shipment.id END
                        AS shipment_id,
                    NULL::int AS exception_id, category.*,
                    (%(channels)s::text[])
                        [width_bucket(r_channel, %(channel_bounds)s::float[])]
                        AS channel,
                    category.category_name
                    || CASE WHEN category.about_shipment
                            THEN ' on shipment ' || shipment.name ELSE '' END
                        AS subject,
                    NULL AS description,
                    -- Within ten days of the delivery (or of the promise, in
                    -- transit), and not after now.
                    least(shipment.date + r_lag * interval '10 days',
                          %(now)s - r_lag * interval '2 days') AS created
               FROM filed
               JOIN shipments shipment ON shipment.n = filed.shipment_n
               JOIN categories category
                 ON category.k
                    = width_bucket(r_category, %(category_bounds)s::float[])
               LEFT JOIN contacts contact
                 ON contact.parent_id = shipment.partner_id
                AND contact.n = 1 + filed.i %% contact.of
              UNION ALL
             SELECT proactive.partner_id, NULL, proactive.shipment_id,
                    proactive.exception_id, category.*, 'proactive',
                    coalesce((%(type_labels)s::text[])
                                 [array_position(%(type_names)s::text[],
                                                 proactive.exception_type)],
                             proactive.exception_type)
                    || ' on shipment ' || proactive.shipment_name,
                    proactive.description, proactive.created
               FROM proactive
               JOIN categories category
                 ON category.category_id
                    = coalesce((%(exception_categories)s::int[])
                                   [array_position(%(exception_types)s::text[],
                                                   proactive.exception_type)],
                               %(fallback_category)s)
        ), ticket AS (
             SELECT nextval('logistics_complaint_id_seq') AS id, source.*,
                    customer.priority, customer.response_target,
                    customer.resolution_target, customer.calendar_id,
                    customer.user_id,
                    -- Working hours as elapsed time; clock hours without a
                    -- calendar.
                    (CASE WHEN customer.calendar_id IS NULL THEN 1
                          ELSE %(wall)s END)::float AS wall,
                    random() AS r_response, random() AS r_resolution,
                    random() AS r_fate, random() AS r_close, random() AS r_pause,
                    random() AS r_claim, random() AS r_cause,
                    random() AS r_pick
               FROM source JOIN customers customer ON customer.id = source.partner_id
        ), timed AS (
             SELECT ticket.*,
                    response_target
                    * CASE WHEN r_response < 0.85 THEN 0.05 + r_response
                           ELSE 1.0 + 8 * (r_response - 0.85) END AS response_hours,
                    resolution_target
                    * CASE WHEN r_resolution < 0.8 THEN 0.1 + r_resolution
                           ELSE 1.0 + 5 * (r_resolution - 0.8) END AS resolving,
                    extract(epoch FROM %(now)s - created)::float / 3600 / wall
                        AS age
               FROM ticket
        ), hours AS (
             SELECT timed.*,
                    greatest(resolving, response_hours * 1.5) AS resolution_hours,
                    response_hours * (0.3 + 1.5 * r_close) AS cancel_hours
               FROM timed
        ), fate AS (
             SELECT hours.*,
                    CASE WHEN r_fate < 0.04 AND cancel_hours <= age THEN 'cancelled'
                         WHEN resolution_hours <= age THEN
                              CASE WHEN created + (resolution_hours * wall
                                                   + 24 + 312 * r_close)
                                                  * interval '1 hour' <= %(now)s
                                   THEN 'closed' ELSE 'resolved' END
                         WHEN response_hours <= age THEN
                              CASE WHEN r_fate < 0.34 THEN 'waiting'
                                   ELSE 'in_progress' END
                         ELSE 'new' END AS fate
               FROM hours
        ), stops AS (
             -- Where each clock stopped (working hours from the start), and
             -- how; none while it runs.
             SELECT fate.*,
                    CASE WHEN fate = 'new' THEN NULL
                         WHEN fate = 'cancelled'
                         THEN least(response_hours, cancel_hours)
                         ELSE response_hours END AS response_stop,
                    CASE WHEN fate = 'new' THEN NULL
                         WHEN fate = 'cancelled' AND cancel_hours < response_hours
                         THEN 'cancelled' ELSE 'met' END AS response_status,
                    CASE fate WHEN 'cancelled' THEN cancel_hours
                              WHEN 'resolved' THEN resolution_hours
                              WHEN 'closed' THEN resolution_hours
                              WHEN 'waiting'
                              THEN response_hours + (age - response_hours) * r_pause
                    END AS resolution_stop,
                    CASE fate WHEN 'cancelled' THEN 'cancelled'
                              WHEN 'resolved' THEN 'met'
                              WHEN 'closed' THEN 'met'
                              WHEN 'waiting' THEN 'paused' END AS resolution_status
               FROM fate
        ), milestone AS (
             SELECT stops.id AS complaint_id, stops.created, stops.wall,
                    stops.calendar_id, m.kind, m.target, m.stop, m.stop_status,
                    coalesce(m.stop, stops.age) > m.target AS breached,
                    coalesce(m.stop, stops.age) > m.target * %(warning)s AS warned,
                    created + m.stop * wall * interval '1 hour' AS stop_at
               FROM stops
              CROSS JOIN LATERAL (
                    VALUES ('first_response', response_target, response_stop,
                            response_status),
                           ('resolution', resolution_target, resolution_stop,
                            resolution_status)
              ) m(kind, target, stop, stop_status)
        ), sla AS (
             SELECT milestone.*,
                    CASE WHEN breached THEN 'breached'
                         ELSE coalesce(stop_status, 'running') END AS status,
                    -- The clock still set: running, or breached (never stopped).
                    breached OR stop_status IS NULL AS clocked,
                    CASE WHEN breached OR stop_status IS DISTINCT FROM 'paused'
                         THEN created + target * wall * interval '1 hour'
                    END AS deadline
               FROM milestone
        ), summary AS (
             SELECT complaint_id,
                    (%(status_rank)s::text[])
                        [min(array_position(%(status_rank)s::text[], status))]
                        AS sla_status,
                    min(deadline) FILTER (WHERE status NOT IN ('met', 'cancelled'))
                        AS sla_deadline
               FROM sla GROUP BY complaint_id
        ), complaint AS (
             SELECT stops.*, summary.sla_status, summary.sla_deadline,
                    CASE WHEN response_status = 'met'
                         THEN created + response_stop * wall * interval '1 hour'
                    END AS first_response_date,
                    CASE WHEN fate IN ('resolved', 'closed')
                         THEN created + resolution_hours * wall * interval '1 hour'
                    END AS resolved_date,
                    CASE fate
                         WHEN 'closed'
                         THEN created + (resolution_hours * wall + 24 + 312 * r_close)
                                        * interval '1 hour'
                         WHEN 'cancelled'
                         THEN created + cancel_hours * wall * interval '1 hour'
                    END AS closed_date,
                    CASE WHEN fate = 'waiting'
                         THEN created + resolution_stop * wall * interval '1 hour'
                    END AS paused_at
               FROM stops JOIN summary ON summary.complaint_id = stops.id
        ), complaints AS (
             INSERT INTO logistics_complaint (
                    id, name, subject, description, active, company_id,
                    partner_id, contact_id, shipment_id, lane_id, carrier_id,
                    exception_id, category_id, channel, priority, user_id, team_id,
                    stage_id, is_closed, claim_amount, currency_id, root_cause_id,
                    resolution, action_done, first_response_date, resolved_date,
                    closed_date, sla_status, sla_deadline, rating_last_value,
                    create_uid, create_date, write_uid, write_date)
             SELECT complaint.id, 'BCP' || lpad(complaint.id::text, 7, '0'),
                    complaint.subject, complaint.description,
                    -- Half the cancelled ones archived (duplicates).
                    NOT (fate = 'cancelled' AND r_pick < 0.5),
                    %(company)s, complaint.partner_id, complaint.contact_id,
                    complaint.shipment_id, shipment.lane_id, shipment.carrier_id,
                    complaint.exception_id, complaint.category_id, complaint.channel,
                    complaint.priority, complaint.user_id, complaint.team_id,
                    CASE fate WHEN 'new' THEN %(new)s
                              WHEN 'in_progress' THEN %(in_progress)s
                              WHEN 'waiting' THEN %(waiting)s
                              WHEN 'resolved' THEN %(resolved)s
                              WHEN 'closed' THEN %(closed)s
                              ELSE %(cancelled)s END,
                    fate IN ('closed', 'cancelled'),
                    CASE WHEN claims AND r_claim < 0.6
                         THEN round((200 + r_claim * 30000)::numeric, 2) END,
                    %(currency)s,
                    -- Closed with a root cause where the category asks for one,
                    -- else most of the resolved ones.
                    CASE WHEN fate = 'closed' AND cause_required
                              OR fate IN ('resolved', 'closed') AND r_cause < 0.85
                         THEN (causes
                               ->> floor(r_pick * jsonb_array_length(causes))::int
                              )::int
                    END,
                    CASE WHEN fate IN ('resolved', 'closed')
                         THEN '<p>' || (ARRAY['Redelivered at our cost.',
                                              'Credit note issued.',
                                              'Claim settled with the carrier.',
                                              'Explained and apologised.'])
                                       [1 + floor(r_pick * 4)::int] || '</p>'
                    END,
                    FALSE, first_response_date, resolved_date, closed_date,
                    sla_status, sla_deadline, 0, %(uid)s, created, %(uid)s,
                    coalesce(closed_date, resolved_date, paused_at,
                             first_response_date, created)
               FROM complaint
               LEFT JOIN logistics_shipment shipment
                 ON shipment.id = complaint.shipment_id
        ), slas AS (
             INSERT INTO logistics_complaint_sla (
                    complaint_id, kind, target_hours, calendar_id, status,
                    clock_start, deadline, warning_date, warned, consumed_hours,
                    met_date, create_uid, create_date, write_uid, write_date)
             SELECT complaint_id, kind, target, calendar_id, status,
                    CASE WHEN clocked THEN created END, deadline,
                    CASE WHEN clocked
                         THEN created
                              + target * %(warning)s * wall * interval '1 hour'
                    END,
                    warned,
                    CASE WHEN NOT clocked THEN round(stop::numeric, 2) END,
                    CASE WHEN stop_status = 'met' THEN stop_at END, %(uid)s,
                    created, %(uid)s,
                    coalesce(stop_at, CASE WHEN breached THEN deadline END, created)
               FROM sla
        )
        INSERT INTO logistics_complaint_pause (
               complaint_id, stage_id, user_id, date_from, create_uid,
               create_date, write_uid, write_date)
        SELECT id, %(waiting)s, %(uid)s, paused_at, %(uid)s, paused_at, %(uid)s,
               paused_at
          FROM complaint WHERE fate = 'waiting'
        """,
        {
            **_complaint_parameters(env, categories),
            "now": now,
            "count": count,
            "shipments": shipments,
            "wall": WALL_HOURS_PER_WORKING_HOUR,
            "warning": env["logistics.complaint.sla"]._warning_share(),
            "calendar": env.company.resource_calendar_id.id or None,
            "company": env.company.id,
            "currency": env.company.currency_id.id,
            "uid": env.uid,
        },
    )


def _rate_complaints(env, now):
    """The rating request of each resolved complaint, sent on resolution to
    its contact (else its customer): answered within three days by
    RATED_SHARE of them (mostly happy when the resolution was in time, much
    less when late), the others never. The complaints' last rating, as the
    rating mixin stores it."""
    env.cr.execute(
        """
        WITH request AS (
             SELECT complaint.id AS res_id, complaint.name,
                    coalesce(complaint.contact_id, complaint.partner_id)
                        AS partner_id,
                    operator.partner_id AS rated_partner_id,
                    complaint.resolved_date, resolution.status = 'met' AS in_time,
                    random() < %(rated)s AS consumed, random() AS r_rating,
                    random() AS r_delay
               FROM logistics_complaint complaint
               JOIN logistics_complaint_sla resolution
                 ON resolution.complaint_id = complaint.id
                AND resolution.kind = 'resolution'
               LEFT JOIN res_users operator ON operator.id = complaint.user_id
              WHERE complaint.resolved_date IS NOT NULL
                AND complaint.name LIKE 'BCP%%'
        ), answer AS (
             SELECT request.*,
                    CASE WHEN NOT consumed THEN 0
                         WHEN in_time
                         THEN 1 + width_bucket(r_rating, %(in_time)s::float[])
                         ELSE 1 + width_bucket(r_rating, %(late)s::float[])
                    END AS rating,
                    least(resolved_date + r_delay * interval '72 hours', %(now)s)
                        AS rated_at
               FROM request
        ), ratings AS (
             INSERT INTO rating_rating (
                    res_model_id, res_model, res_id, res_name, partner_id,
                    rated_partner_id, rating, rating_text, feedback, consumed,
                    is_internal, access_token, rated_on, create_uid, create_date,
                    write_uid, write_date)
             SELECT %(model)s, 'logistics.complaint', res_id, name, partner_id,
                    rated_partner_id, rating,
                    CASE WHEN rating >= %(satisfied)s THEN 'top'
                         WHEN rating >= %(ok)s THEN 'ok'
                         WHEN rating >= %(minimum)s THEN 'ko'
                         ELSE 'none' END,
                    CASE WHEN consumed AND rating <= 2
                         THEN 'It took far too long to sort out.' END,
                    consumed, FALSE, md5(random()::text),
                    CASE WHEN consumed THEN rated_at END, %(uid)s, resolved_date,
                    %(uid)s, CASE WHEN consumed THEN rated_at ELSE resolved_date END
               FROM answer
             RETURNING res_id, rating, consumed
        )
        UPDATE logistics_complaint complaint SET rating_last_value = ratings.rating
          FROM ratings WHERE ratings.res_id = complaint.id AND ratings.consumed
        """,
        {
            "now": now,
            "rated": RATED_SHARE,
            "in_time": RATINGS_IN_TIME,
            "late": RATINGS_LATE,
            "model": env["ir.model"]._get_id("logistics.complaint"),
            "satisfied": rating_data.RATING_LIMIT_SATISFIED,
            "ok": rating_data.RATING_LIMIT_OK,
            "minimum": rating_data.RATING_LIMIT_MIN,
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
    categories = _complaint_categories(env, staff)
    _load_complaints(env, COMPLAINTS // share, categories, now)
    _analyze(
        env,
        "logistics_complaint",
        "logistics_complaint_sla",
        "logistics_complaint_pause",
    )
    _rate_complaints(env, now)
    _analyze(env, "rating_rating", "logistics_complaint")
    nps_question = _load_answers(env, ANSWERS[large_scale])
    _tag_feedback_themes(env, nps_question)
    _analyze(env, "logistics_feedback_theme_answer_rel")


def load_report_data(env, large_scale):
    """Load what the reports read (see the module's docstring) in the
    current transaction, analysed; the caller rolls it back. Returns the
    rows loaded per table."""
    # JIT compiled each big INSERT for about a second, longer than the INSERT
    # runs at small; the reports are then timed with the server's setting.
    with planned_without_jit(env.cr):
        _load(env, large_scale)
    # The ORM reads the reports from the rows just written, not its cache.
    env.invalidate_all()
    return _count(env)
