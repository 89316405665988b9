from odoo import http
from odoo.http import request

from .portal_base import LogisticsPortalBase


class ServicePortal(LogisticsPortalBase):
    """The customer's service level and scorecard."""

    @http.route(["/my/service"], type="http", auth="user", website=True, readonly=True)
    def portal_my_service(self, **kw):
        # The user's own company is the only record shown: no id is taken
        # from the request, so there is nothing to check a token against.
        customer_sudo = request.env.user.partner_id.commercial_partner_id.sudo()
        snapshots_sudo = request.env["logistics.kpi.snapshot"].sudo()
        scorecard = snapshots_sudo._scorecard(customer_sudo)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_service",
                "customer": customer_sudo,
                "service": customer_sudo._logistics_service_level(),
                "scorecard": scorecard,
                "chart": snapshots_sudo._scorecard_chart_html(scorecard),
                # Under the contact's own rights: its customer's answers.
                "survey_results": request.env[
                    "logistics.survey.report"
                ]._customer_results(customer_sudo),
            }
        )
        return request.render("logistics_crm_portal.portal_my_service", values)
