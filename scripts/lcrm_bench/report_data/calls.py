"""Calls held by the agents and salespeople over the last 24 months, in and
out, in every status, with outcomes, durations and first-contact
resolution. Their complaint links stay empty."""


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
