"""Filing complaint tickets through the ORM beside raw SQL."""

from .harness import Result, compare, customer_by_volume, rolled_back


def op_complaint_create(env, runs):
    """One complaint ticket on a customer with shipments: create (sequence,
    SLA milestones planned in working time, chatter) vs the raw INSERTs of the
    ticket and its two milestones."""
    partner_id = customer_by_volume(env, 40)[0]
    shipment = env["logistics.shipment"].search(
        [("partner_id", "=", partner_id)], limit=1
    )
    category = env.ref("logistics_crm.logistics_complaint_category_delay")
    stage = env["logistics.complaint.stage"].search([], limit=1)
    sequence = env.ref("logistics_crm.seq_logistics_complaint")
    Complaint = env["logistics.complaint"]

    def through_orm():
        Complaint.create(
            {
                "subject": "Bench: container late",
                "partner_id": partner_id,
                "shipment_id": shipment.id,
                "category_id": category.id,
            }
        )
        env.flush_all()

    def raw_sql():
        env.cr.execute(
            """
            WITH complaint AS (
                INSERT INTO logistics_complaint
                    (name, subject, partner_id, shipment_id, category_id,
                     stage_id, channel, priority, company_id, active,
                     create_uid, write_uid, create_date, write_date)
                VALUES (nextval('ir_sequence_' || lpad(%s::text, 3, '0'))::text,
                        'Bench: container late', %s, %s, %s, %s, 'phone', '0',
                        1, true, 1, 1, now(), now())
                RETURNING id
            )
            INSERT INTO logistics_complaint_sla
                (complaint_id, kind, target_hours, status, clock_start,
                 deadline, create_uid, write_uid, create_date, write_date)
            SELECT complaint.id, kind, hours, 'running', now(),
                   now() + hours * interval '1 hour', 1, 1, now(), now()
              FROM complaint,
                   (VALUES ('first_response', 24.0), ('resolution', 120.0))
                   AS target(kind, hours)
            """,
            (
                sequence.id,
                partner_id,
                shipment.id,
                category.id,
                stage.id,
            ),
        )

    orm, sql = compare(env, through_orm, raw_sql, runs, lambda: rolled_back(env))
    result = Result("create one complaint ticket", orm, sql, "<= 20 queries per ticket")
    result.verdict = "OK" if orm.queries <= 20 else "MISS: more than 20 queries"
    return result
