"""The relationship survey at scale: one invitation cycle for every
customer's survey contacts, and the NPS by tier and month over the answers,
each beside raw SQL doing the same work. Both run in a savepoint that is
rolled back: the bench database keeps no survey data."""

import math
import time
from datetime import timedelta

from odoo import fields

from .harness import Figure, Result, compare, measure, rolled_back

INVITE_BUDGET_S = 300.0
NPS_RATIO_BUDGET = 1.5
# Answers of the NPS operation; the contacts marked per customer (of the
# loader's three: the decision maker and the main operational contact).
ANSWERS = {False: 5_000, True: 500_000}
SURVEYED_PER_CUSTOMER = 2
SURVEY = "logistics_crm.survey_relationship"
# Odoo's mail.batch_size default, and what one cycle may cost at most: a few
# queries per batch of mails, a few dozen for the cycle itself.
MAIL_BATCH = 50
QUERIES_PER_MAIL_BATCH = 12
FIXED_QUERIES = 60
TIERS = ("strategic", "key", "potential", "regular")


def _prepare_customers(env):
    """Each bench customer a tier that surveys (spread over the four) and
    its first two contacts marked for the survey, with an e-mail."""
    tier_ids = [env.ref(f"logistics_crm.service_tier_{code}").id for code in TIERS]
    env.cr.execute(
        """
        UPDATE res_partner
           SET tier_id = (%s::int[])[1 + id %% 4]
         WHERE name LIKE 'Bench Customer %%'
        """,
        (tier_ids,),
    )
    env.cr.execute(
        """
        UPDATE res_partner
           SET logistics_survey_contact = TRUE,
               email = 'bench.contact.' || id || '@example.com'
         WHERE name LIKE 'Bench Contact %%'
           AND right(name, 7)::int %% 3 < %s
        """,
        (SURVEYED_PER_CUSTOMER,),
    )
    env.invalidate_all()
    # Planned on what the customers now are: with the statistics of the
    # load, where nobody is surveyed, PostgreSQL expected one contact due and
    # joined 100 000 invitations to 100 000 messages in a nested loop (the
    # raw INSERTs of survey_invite ran for more than 15 minutes at large).
    env.cr.execute("ANALYZE res_partner")
    env.cr.execute(
        "SELECT count(*) FROM res_partner WHERE logistics_survey_contact"
        " AND name LIKE 'Bench Contact %%'"
    )
    return env.cr.fetchone()[0]


def _once(env, func):
    """One timed run (a cycle for 100,000 contacts is not run twice)."""
    env.invalidate_all()
    before = env.cr.sql_log_count
    start = time.perf_counter()
    func()
    return Figure(
        times=[time.perf_counter() - start], queries=env.cr.sql_log_count - before
    )


def _invite_raw_sql(env, now):
    """What one cycle writes, as plain INSERTs: the answers with their
    tokens and predefined questions, one invitation message and one queued
    mail with its recipient per answer."""
    survey = env.ref(SURVEY)
    questions = survey._prepare_user_input_predefined_questions().ids
    env.cr.execute(
        """
        WITH due AS (
             SELECT contact.id, contact.email, contact.name
               FROM res_partner contact
               JOIN res_partner customer
                 ON customer.id = contact.commercial_partner_id
               JOIN logistics_service_tier tier ON tier.id = customer.tier_id
              WHERE contact.logistics_survey_contact
                AND NOT coalesce(contact.logistics_survey_opt_out, FALSE)
                AND contact.email IS NOT NULL
                AND tier.survey_interval_months > 0
        ), answers AS (
             INSERT INTO survey_user_input (
                    survey_id, partner_id, email, nickname, state, deadline,
                    logistics_invited_on, access_token, create_date, write_date)
             SELECT %(survey)s, due.id, due.email, due.name, 'new', %(deadline)s,
                    %(now)s, gen_random_uuid()::text, %(now)s, %(now)s
               FROM due
          RETURNING id, partner_id, email
        ), predefined AS (
             INSERT INTO survey_question_survey_user_input_rel
                    (survey_user_input_id, survey_question_id)
             SELECT answers.id, question
               FROM answers, unnest(%(questions)s::int[]) question
        ), messages AS (
             INSERT INTO mail_message (model, res_id, message_type, subject,
                                       body, create_date, write_date)
             SELECT 'survey.user_input', answers.id, 'email_outgoing',
                    'Participate to Customer Relationship Survey',
                    '<p>Dear ' || answers.email || ', please answer.</p>',
                    %(now)s, %(now)s
               FROM answers
          RETURNING id, res_id
        ), mails AS (
             INSERT INTO mail_mail (mail_message_id, state, email_to, body_html,
                                    create_date, write_date)
             SELECT messages.id, 'outgoing', answers.email, '<p>Survey</p>',
                    %(now)s, %(now)s
               FROM messages JOIN answers ON answers.id = messages.res_id
          RETURNING id, mail_message_id
        )
        INSERT INTO mail_mail_res_partner_rel (mail_mail_id, res_partner_id)
        SELECT mails.id, answers.partner_id
          FROM mails
          JOIN messages ON messages.id = mails.mail_message_id
          JOIN answers ON answers.id = messages.res_id
        """,
        {
            "survey": survey.id,
            "questions": questions,
            "now": now,
            "deadline": now + timedelta(days=30),
        },
    )


def op_survey_invite(env, runs, large_scale):
    """One invitation cycle for every survey contact of every customer:
    Odoo's answers and queued invitation mails in one batch, under 5
    minutes at ``large``; its queries counted for a tenth of the customers
    too, to show that they do not grow with the contacts."""
    Invitations = env["logistics.relationship.survey"]
    now = fields.Datetime.now()

    def cycle():
        invited["answers"] = len(Invitations._invite(now=now))
        env.flush_all()

    invited = {}
    with rolled_back(env):
        contacts = _prepare_customers(env)
        env.cr.execute(
            """
            SELECT id FROM res_partner WHERE name LIKE 'Bench Customer %%'
             ORDER BY id LIMIT (SELECT count(*) / 10 FROM res_partner
                                 WHERE name LIKE 'Bench Customer %%')
            """
        )
        tenth = [row[0] for row in env.cr.fetchall()]
        with rolled_back(env):
            env.cr.execute(
                "UPDATE res_partner SET logistics_survey_contact = FALSE"
                " WHERE parent_id IS NOT NULL AND NOT parent_id = ANY(%s)",
                (tenth,),
            )
            env.invalidate_all()
            tenth_figure = _once(env, cycle)
            tenth_answers = invited["answers"]
        with rolled_back(env):
            orm = _once(env, cycle)
            answers = invited["answers"]
            env.cr.execute(
                """
                SELECT count(*) FROM mail_mail mail
                  JOIN mail_message message ON message.id = mail.mail_message_id
                 WHERE message.model = 'survey.user_input'
                   AND mail.state = 'outgoing'
                """
            )
            queued = env.cr.fetchone()[0]

        def raw_sql():
            _invite_raw_sql(env, now)

        def undone():
            return rolled_back(env)

        # A cycle at large takes minutes: timed once there, by the median
        # of warm runs at small.
        if not large_scale:
            orm = measure(env, cycle, runs, undone)
        raw = measure(env, raw_sql, 1 if large_scale else runs, undone)
    result = Result(
        f"survey invitation cycle, {answers} contacts",
        orm,
        raw,
        f"< {INVITE_BUDGET_S / 60:.0f} min at large",
    )
    result.notes.update(
        contacts_marked=contacts,
        invited=answers,
        mails_queued=queued,
        queries=orm.queries,
        invited_for_a_tenth=tenth_answers,
        queries_for_a_tenth=tenth_figure.queries,
        large=large_scale,
    )
    # Odoo's mail template renders and creates its mails by batches of
    # fixed size: the queries grow by batch, never by contact.
    batches = math.ceil(answers / MAIL_BATCH) if answers else 0
    result.notes["queries_per_mail_batch"] = round(
        (orm.queries - tenth_figure.queries)
        / max(batches - math.ceil(tenth_answers / MAIL_BATCH), 1),
        1,
    )
    misses = []
    if orm.median >= INVITE_BUDGET_S:
        misses.append(f"{orm.median:.0f} s")
    if queued != answers or answers != contacts:
        misses.append("not every contact invited and mailed once")
    if orm.queries > QUERIES_PER_MAIL_BATCH * batches + FIXED_QUERIES:
        misses.append("queries grow with the contacts")
    result.judge(misses)
    return result


def _load_answers(env, count):
    """``count`` completed answers spread over the survey contacts and the
    last 24 months, each with the seven scale lines the relationship survey
    asks (likelihood to recommend 0-10, six services 1-5), in SQL."""
    survey = env.ref(SURVEY)
    questions = {
        question.logistics_dimension: question.id
        for question in survey.question_ids
        if question.question_type == "scale"
    }
    nps_question = questions.pop("nps")
    env.cr.execute(
        """
        WITH contacts AS (
             SELECT id, commercial_partner_id, row_number() OVER (ORDER BY id) AS n
               FROM res_partner WHERE logistics_survey_contact
        ), answers AS (
             INSERT INTO survey_user_input (
                    survey_id, partner_id, logistics_customer_id, state,
                    end_datetime, access_token, create_date, write_date)
             SELECT %(survey)s, contacts.id, contacts.commercial_partner_id, 'done',
                    %(now)s - (i %% 730) * interval '1 day',
                    gen_random_uuid()::text, %(now)s, %(now)s
               FROM generate_series(1, %(count)s) i
               -- The count as a scalar: the join key then depends on i alone,
               -- and PostgreSQL hashes it instead of comparing every contact
               -- with every answer (100 000 x 500 000 at large).
               JOIN contacts ON contacts.n = 1 + i %% (SELECT count(*) FROM contacts)
          RETURNING id
        )
        INSERT INTO survey_user_input_line (
               user_input_id, survey_id, question_id, answer_type, value_scale,
               skipped)
        SELECT answers.id, %(survey)s, question.id, 'scale',
               CASE WHEN question.id = %(nps)s THEN (answers.id * 7) %% 11
                    ELSE 1 + (answers.id * 13 + question.id) %% 5 END,
               FALSE
          FROM answers,
               unnest(%(questions)s::int[]) AS question(id)
        """,
        {
            "survey": survey.id,
            "now": fields.Datetime.now(),
            "count": count,
            "nps": nps_question,
            "questions": [nps_question, *questions.values()],
        },
    )
    env.cr.execute("ANALYZE survey_user_input, survey_user_input_line")
    return nps_question


def op_survey_nps(env, runs, large_scale):
    """The NPS and answers by tier and month over 500,000 completed answers
    at ``large`` (5,000 at small), from the results report's default
    grouping, beside raw SQL reading the same likelihood-to-recommend lines:
    within 1.5x."""
    count = ANSWERS[large_scale]
    Report = env["logistics.survey.report"]
    with rolled_back(env):
        _prepare_customers(env)
        nps_question = _load_answers(env, count)
        figures = {}

        def through_orm():
            figures["orm"] = Report._read_group(
                [], ["tier_id", "date:month"], ["answer_count:sum", "nps:avg"]
            )

        def raw_sql():
            env.cr.execute(
                """
                SELECT customer.tier_id,
                       date_trunc('month', answer.end_datetime) AS month,
                       count(*),
                       avg(CASE WHEN line.value_scale >= 9 THEN 100.0
                                WHEN line.value_scale <= 6 THEN -100.0
                                ELSE 0.0 END)
                  FROM survey_user_input answer
                  JOIN survey_user_input_line line
                    ON line.user_input_id = answer.id AND line.question_id = %s
                  JOIN res_partner customer
                    ON customer.id = answer.logistics_customer_id
                 WHERE answer.state = 'done'
                 GROUP BY 1, 2
                """,
                (nps_question,),
            )
            figures["sql"] = env.cr.fetchall()

        orm, sql = compare(env, through_orm, raw_sql, runs)
    orm_total = sum(answers for _tier, _month, answers, _nps in figures["orm"])
    sql_total = sum(row[2] for row in figures["sql"])
    orm_nps = sum(a * n for _t, _m, a, n in figures["orm"]) / (orm_total or 1)
    sql_nps = sum(float(row[2]) * float(row[3]) for row in figures["sql"]) / (
        sql_total or 1
    )
    result = Result(
        f"survey NPS by tier and month, {count} answers",
        orm,
        sql,
        f"<= {NPS_RATIO_BUDGET}x raw SQL at large",
    )
    result.notes.update(
        answers=orm_total,
        groups=len(figures["orm"]),
        nps=round(orm_nps, 2),
        raw_sql_agrees=orm_total == sql_total == count
        and abs(orm_nps - sql_nps) < 1e-6,
        large=large_scale,
    )
    misses = []
    # The budget is about 500,000 answers: at small, the ORM's fixed cost
    # per grouped read weighs more than the query itself.
    if large_scale and result.ratio > NPS_RATIO_BUDGET:
        misses.append(f"ratio {result.ratio:.2f}")
    if not result.notes["raw_sql_agrees"]:
        misses.append("raw SQL disagrees")
    result.judge(misses)
    return result
