from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import datetime, safe_eval, time

from odoo.addons.web.controllers.utils import clean_action

RELATIONAL = ("many2one", "many2many", "one2many")
DEMO_USERS = ("logistics_crm.res_users_logistics_demo", "base.user_admin")


@tagged("post_install", "-at_install")
class TestMenuAccess(TransactionCase):
    """Each demo back-office user opens every menu visible to them the way the
    web client does: the action, its views, the records of its first view
    (with the default filters) and the first record in its form. A menu shown
    to someone who may not read what it lists is a menu leading nowhere."""

    def _eval_context(self, env):
        return {
            "uid": env.uid,
            "allowed_company_ids": env.user.company_ids.ids,
            "active_id": False,
            "active_ids": [],
            "context_today": lambda: fields.Date.context_today(env.user),
            "current_date": fields.Date.to_string(fields.Date.today()),
            "datetime": datetime,
            "relativedelta": relativedelta,
            "time": time,
        }

    def _evaluate(self, value, env, context=None):
        if not isinstance(value, str):
            return value or {}
        return safe_eval(value, {**self._eval_context(env), "context": context or {}})

    def _specification(self, model_fields, view_fields):
        return {
            name: {"fields": {"display_name": {}}}
            if model_fields[name]["type"] in RELATIONAL
            else {}
            for name in view_fields
            if name in model_fields
        }

    def _default_filters(self, search_arch, context, env):
        """The domains of the search view's filters that the action's
        search_default_* keys switch on."""
        defaults = {
            key.removeprefix("search_default_")
            for key, value in context.items()
            if key.startswith("search_default_") and value
        }
        domains = []
        for node in etree.fromstring(search_arch).iter("filter"):
            if node.get("name") in defaults and node.get("domain"):
                domains.append(self._evaluate(node.get("domain"), env, context))
        return [leaf for domain in domains for leaf in domain]

    def _open(self, env, action_id):
        action = clean_action(
            env["ir.actions.act_window"].sudo().browse(action_id)._get_action_dict(),
            env=env,
        )
        Model = env[action["res_model"]].with_context(
            **self._evaluate(action.get("context"), env)
        )
        context = Model.env.context
        views = [tuple(view) for view in action["views"]]
        search_view = action.get("search_view_id") or [False]
        result = Model.get_views(
            [*views, (search_view[0], "search")],
            {"toolbar": True, "load_filters": True},
        )
        model_fields = result["models"][Model._name]["fields"]
        if Model._transient:
            Model.default_get(list(model_fields))
            return
        domain = self._evaluate(action.get("domain"), env, context) or []
        domain = domain + self._default_filters(
            result["views"]["search"]["arch"], context, env
        )
        first_view = result["views"][views[0][1]]
        view_fields = {
            node.get("name")
            for node in etree.fromstring(first_view["arch"]).iter("field")
        }
        records = Model.web_search_read(
            domain,
            self._specification(model_fields, view_fields | {"display_name"}),
            limit=80,
        )["records"]
        if records and "form" in result["views"]:
            form_fields = {
                node.get("name")
                for node in etree.fromstring(result["views"]["form"]["arch"]).iter(
                    "field"
                )
            }
            Model.browse(records[0]["id"]).web_read(
                self._specification(model_fields, form_fields)
            )

    def test_demo_users_open_every_visible_menu(self):
        failures = []
        for xmlid in DEMO_USERS:
            user = self.env.ref(xmlid)
            env = self.env(user=user, context={"lang": user.lang, "tz": user.tz})
            menus = env["ir.ui.menu"].load_menus(debug=False)
            self.assertGreater(len(menus), 1, f"{user.login} sees no menu")
            for menu in menus.values():
                if menu.get("action_model") != "ir.actions.act_window":
                    continue
                try:
                    self._open(env, menu["action_id"])
                except AccessError as error:
                    failures.append(f"{user.login}, {menu['name']}: {error}")
        self.assertFalse(failures, "\n".join(failures))

    def test_demo_logistics_user_has_the_sales_apps(self):
        user = self.env.ref("logistics_crm.res_users_logistics_demo")
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        for xmlid in (
            "crm.crm_menu_root",
            "logistics_crm.logistics_quote_menu",
            "logistics_crm.logistics_lane_pipeline_menu",
            "logistics_crm.logistics_quote_analysis_menu",
        ):
            self.assertIn(self.env.ref(xmlid).id, visible, xmlid)

    def test_portal_user_has_no_backend_menu(self):
        portal = self.env.ref("base.demo_user0")
        # Portal users may not read menus at all: ask as them, with sudo.
        visible = self.env["ir.ui.menu"].with_user(portal).sudo().load_menus(False)
        ours = self.env["ir.model.data"].search(
            [
                ("model", "=", "ir.ui.menu"),
                ("module", "in", ("logistics_crm", "logistics_crm_portal")),
            ]
        )
        self.assertFalse(set(ours.mapped("res_id")) & set(visible))
