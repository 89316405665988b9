from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request

from ..models.logistics_caller_lookup import SCREEN_POP_PATH

CALL_ACTION = "logistics_crm.crm_phonecall_action"


class LogisticsScreenPop(http.Controller):
    """The page a PBX or softphone opens when a call rings: the agent lands
    on the call's form, the caller's file beside it, and types there.

    Telephony systems can only open a URL, so this GET writes: it opens the
    agent's own call record for the number (the same one again if the phone
    system opens the page twice for one call). It never shows data the
    agent could not read in the back office.
    """

    @http.route(SCREEN_POP_PATH, type="http", auth="user", methods=["GET"])
    def screen_pop(self, number=None, direction="in", **_kwargs):
        if not request.env.user._is_internal():
            raise Forbidden()
        answer = request.env["logistics.caller.lookup"].lookup(number or "")
        if answer["status"] == "invalid":
            return request.render(
                "logistics_crm.call_invalid_number_page",
                {"number": number or ""},
                status=400,
            )
        call = request.env["crm.phonecall"]._open_from_screen_pop(
            answer, direction="out" if direction == "out" else "in"
        )
        return request.redirect(f"/odoo/action-{CALL_ACTION}/{call.id}")
