"""Complaints over the last 24 months in every category (handled by the
customer service team) and stage: proactive ones from the shipment
exceptions of the tiers that open them, the others from the customers'
contacts by phone, e-mail, portal..., most about one of their shipments (so
by volume); each with its first-response and resolution milestones on its
tier's targets, met, breached, running, paused or cancelled as its stage
went, the ticket's SLA status and due date summarising them; a pause for
those waiting on the customer; the rating request of the resolved ones, a
third of them answered (1-5)."""

import json

from odoo.addons.logistics_crm.models.logistics_complaint import SLA_STATUS_RANK
from odoo.addons.rating.models import rating_data

from .common import WALL_HOURS_PER_WORKING_HOUR

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
