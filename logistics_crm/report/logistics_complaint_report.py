from odoo import fields, models
from odoo.tools import SQL

from ..models import logistics_kpi as kpi
from ..models.logistics_kpi import kpi_help
from ..models.logistics_selections import SLA_KINDS, SLA_STATUSES


class LogisticsComplaintReport(models.Model):
    """SLA milestones of complaints, with the complaint's dimensions: SLA
    compliance and handling times by customer, tier, category and month."""

    _name = "logistics.complaint.report"
    _inherit = ["logistics.complaint.report.dimensions"]
    _description = "Complaint SLA Analysis"
    _auto = False
    _rec_name = "complaint_id"
    _order = "date desc"

    kind = fields.Selection(selection=SLA_KINDS, string="Milestone", readonly=True)
    status = fields.Selection(
        selection=SLA_STATUSES, string="SLA Status", readonly=True
    )
    milestone_count = fields.Integer(string="Milestones", readonly=True)
    sla_met_rate = fields.Float(
        string="SLA Compliance (%)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("sla_met_rate"),
    )
    working_hours = fields.Float(
        string="Working Hours to Meet",
        aggregator="avg",
        readonly=True,
        help=kpi_help("sla_hours"),
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT sla.id,
                   %(dimensions)s,
                   sla.kind,
                   sla.status,
                   1 AS milestone_count,
                   %(sla_met)s AS sla_met_rate,
                   CASE WHEN sla.status = 'met' THEN sla.consumed_hours
                   END AS working_hours,
                   -- One rating per ticket: counted on its resolution line.
                   CASE WHEN sla.kind = 'resolution' THEN %(satisfaction)s
                   END AS satisfaction
              FROM logistics_complaint_sla sla
              JOIN logistics_complaint complaint ON complaint.id = sla.complaint_id
              JOIN res_partner customer ON customer.id = complaint.partner_id
                   %(latest_rating)s
             WHERE complaint.active
            """,
            sla_met=kpi.sla_met_value("sla"),
            dimensions=self._complaint_columns(),
            satisfaction=kpi.satisfaction_value(SQL("rating.rating")),
            latest_rating=kpi.latest_complaint_rating("complaint"),
        )
