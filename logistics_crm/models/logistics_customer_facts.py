from odoo import api, fields, models
from odoo.tools import SQL

from .bulk_write import write_columns
from .logistics_selections import CUSTOMER_DOMAIN

FACTS_BATCH_SIZE = 5000
# The scoring metrics a segment filters on, stored on the customer.
FACT_METRICS = ("shipments_12m", "revenue_12m", "service_breadth")


class LogisticsCustomerFacts(models.AbstractModel):
    """The aggregates a customer segment filters on, stored on each customer
    so that counting a segment of 50 000 customers reads columns instead of
    aggregating shipments: volume and revenue of the last 12 months, the
    date of the last shipment, the service lines used and those its
    industry peers use and it does not (key-customer discovery's hint).

    The figures come from the scoring metrics and the discovery report, so
    a segment, a tier rule and the discovery report agree. A daily job
    refreshes them batch by batch.
    """

    _name = "logistics.customer.facts"
    _description = "Customer Facts for Segments"

    @api.model
    def _cron_refresh_facts(self):
        self._refresh_facts(self.env["res.partner"].search(CUSTOMER_DOMAIN, order="id"))

    @api.model
    def _refresh_facts(self, customers, batch_size=FACTS_BATCH_SIZE):
        """Store the facts of ``customers``. Run by the scheduler, each batch
        is committed with the job's progress and the job stops when its time
        is up; called directly, all is done in the caller's transaction."""
        cron = self.env["ir.cron"] if self.env.context.get("cron_id") else None
        if cron:
            cron._commit_progress(remaining=len(customers))
        missing_by_customer = self._peer_service_lines()
        now = fields.Datetime.now()
        for start in range(0, len(customers), batch_size):
            batch = customers[start : start + batch_size]
            self._refresh_batch(batch, now, missing_by_customer)
            if cron and not cron._commit_progress(len(batch)):
                break

    @api.model
    def _refresh_batch(self, customers, now, missing_by_customer):
        Metrics = self.env["logistics.customer.metrics"]
        ids = customers.ids
        values = Metrics._metric_values(ids, now, list(FACT_METRICS))
        used = Metrics._metric_source_services(ids, now)
        last_dates = self._last_shipment_dates(ids)
        write_columns(
            customers,
            {
                "logistics_shipments_12m": "int4",
                "logistics_revenue_12m": "float8",
                "logistics_service_breadth": "int4",
                "logistics_last_shipment_date": "date",
                "logistics_facts_date": "timestamp",
            },
            [
                (
                    partner_id,
                    int(values[partner_id]["shipments_12m"]),
                    values[partner_id]["revenue_12m"],
                    int(values[partner_id]["service_breadth"]),
                    last_dates.get(partner_id),
                    now,
                )
                for partner_id in ids
            ],
        )
        self._set_lines(
            customers,
            "logistics_service_line_ids",
            {pid: row["line_ids"] for pid, row in used.items()},
        )
        self._set_lines(
            customers, "logistics_peer_service_line_ids", missing_by_customer
        )

    @api.model
    def _last_shipment_dates(self, partner_ids):
        self.env["logistics.shipment"].flush_model(
            ["partner_id", "promised_date", "active", "state"]
        )
        rows = self.env.execute_query(
            SQL(
                """SELECT s.partner_id, max(s.promised_date)::date
                     FROM logistics_shipment s
                    WHERE s.partner_id = ANY(%s)
                      AND s.active AND s.state != 'cancelled'
                      AND s.promised_date <= now()
                    GROUP BY s.partner_id""",
                list(partner_ids),
            )
        )
        return dict(rows)

    @api.model
    def _peer_service_lines(self):
        """{customer id: [service line ids]}: the transport modes most
        customers of its industry use and it does not, as key-customer
        discovery reports them (one query for every customer)."""
        discovery = self.env["logistics.customer.discovery"]
        rows = self.env.execute_query(
            SQL(
                """SELECT discovery.partner_id, array_agg(line.id ORDER BY line.id)
                     FROM (%s) discovery
                     JOIN logistics_service_line line
                       ON line.code = ANY(string_to_array(discovery.missing_modes, ','))
                      AND line.active
                    GROUP BY discovery.partner_id""",
                discovery._table_query,
            )
        )
        return dict(rows)

    @api.model
    def _set_lines(self, customers, fname, line_ids_by_customer):
        """Replace the service lines of ``fname`` of the customers, in two
        statements on its relation table."""
        field = customers._fields[fname]
        customers.flush_recordset([fname])
        cr = self.env.cr
        relation = SQL.identifier(field.relation)
        column1 = SQL.identifier(field.column1)
        column2 = SQL.identifier(field.column2)
        cr.execute(
            SQL("DELETE FROM %s WHERE %s = ANY(%s)", relation, column1, customers.ids)
        )
        ids = set(customers.ids)
        pairs = [
            (partner_id, line_id)
            for partner_id, line_ids in line_ids_by_customer.items()
            if partner_id in ids
            for line_id in line_ids
        ]
        if pairs:
            partner_ids, line_ids = zip(*pairs, strict=True)
            cr.execute(
                SQL(
                    "INSERT INTO %s (%s, %s)"
                    " SELECT * FROM unnest(%s::int[], %s::int[])",
                    relation,
                    column1,
                    column2,
                    list(partner_ids),
                    list(line_ids),
                )
            )
        customers.invalidate_recordset([fname])
