from odoo.http import request

from .portal_base import LogisticsPortalBase


class SurveyPortal(LogisticsPortalBase):
    """The open relationship-survey invitation of the contact, a card on
    the portal home leading to Odoo's survey page with the contact's own
    answer token."""

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["logistics_survey_url"] = self._logistics_open_survey_url()
        return values

    def _logistics_open_survey_url(self):
        Answer = request.env["survey.user_input"]
        if not Answer.has_access("read"):
            return False
        # The record rule limits this search to the customer's answers; of
        # those, only the contact's own invitation is offered.
        answer = Answer.search(
            [
                ("partner_id", "=", request.env.user.partner_id.id),
                (
                    "survey_id",
                    "=",
                    request.env.ref("logistics_crm.survey_relationship").id,
                ),
                ("state", "in", ("new", "in_progress")),
                ("logistics_invited_on", "!=", False),
            ],
            order="logistics_invited_on desc",
            limit=1,
        )
        return answer.logistics_start_url or False
