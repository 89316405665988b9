import contextlib
import re
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.portal.controllers.portal import CustomerPortal

from .common import LogisticsPortalCase

EXAMPLES_PER_MODEL = 200
# Every example is an HTTP request: no deadline, and the same examples on
# every run (CI must not pass or fail by the draw).
HTTP_EXAMPLES = settings(
    max_examples=EXAMPLES_PER_MODEL,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
MODEL_BY_PREFIX = {
    "/my/shipments": "logistics.shipment",
    "/my/complaints": "logistics.complaint",
    "/my/quotes": "logistics.quote",
    "/my/statements": "logistics.statement",
    "/my/quote-requests": "logistics.quote.request",
    "/my/service/timeline": "logistics.interaction",
}


def portal_classes(cls=CustomerPortal):
    """The portal controller classes this addon declares, one per document
    and their shared base, found as subclasses of Odoo's portal."""
    for subclass in cls.__subclasses__():
        if subclass.__module__.startswith("odoo.addons.logistics_crm_portal"):
            yield subclass
        yield from portal_classes(subclass)


def readonly_routes(env):
    """The portal's routes that Odoo serves from a read-only cursor, the
    replica's when one is configured. Read from the routing map, where each
    override is merged with its parents: Odoo makes a route read/write again
    when a plain readonly=True overrides a read/write parent."""
    declared = {pattern for pattern, _methods in declared_routes()}
    routes = set()
    for rule in env["ir.http"].routing_map().iter_rules():
        if rule.rule not in declared:
            continue
        readonly = rule.endpoint.routing["readonly"]
        if callable(readonly):
            readonly = readonly(rule.endpoint.func.__self__, rule, {})
        if readonly:
            routes.add(rule.rule)
    return sorted(routes)


def declared_routes():
    """Every URL pattern the portal controllers declare, read from the
    controllers themselves: a new route is attacked without editing this
    test."""
    routes = []
    for cls in set(portal_classes()):
        for method in vars(cls).values():
            routing = getattr(method, "original_routing", None)
            if not routing:
                continue
            for pattern in routing["routes"]:
                routes.append((pattern, routing.get("methods") or ["GET"]))
    return sorted(routes)


def model_of(pattern):
    return next(
        (
            model
            for prefix, model in MODEL_BY_PREFIX.items()
            if pattern.startswith(prefix)
        ),
        None,
    )


@tagged("post_install", "-at_install")
class TestPortalRoutes(LogisticsPortalCase):
    """Each declared route, called by an outsider and by another customer's
    user, with B's ids and tokens, wrong, empty and foreign tokens and ids
    that do not exist: B's records never show and never change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document_b = cls.env["ir.attachment"].create(
            {
                "name": "beta-secret-bill.pdf",
                "raw": b"BETA-SECRET",
                "res_model": "logistics.shipment",
                "res_id": cls.shipment_b.id,
            }
        )
        cls.shipment_b.portal_document_ids = cls.document_b
        cls.records_b = {
            "logistics.shipment": cls.shipment_b,
            "logistics.complaint": cls.complaint_b,
            "logistics.quote": cls.quote_b,
            "logistics.statement": cls.statement_b,
            "logistics.quote.request": cls.request_b,
        }
        cls.records_a = {
            "logistics.shipment": cls.shipment_a,
            "logistics.complaint": cls.complaint_a,
            "logistics.quote": cls.quote_a,
            "logistics.statement": cls.statement_a,
            "logistics.quote.request": cls.request_a,
        }
        cls.secrets_b = [
            cls.shipment_b.name,
            cls.shipment_b.reference,
            cls.complaint_b.name,
            cls.complaint_b.subject,
            cls.quote_b.name,
            cls.statement_b.name,
            cls.request_b.name,
            "Beta Origin City",
            "BETA-SECRET",
            "beta-secret-bill.pdf",
            "BETA-REF-1 hub",
        ]

    def _state_of_b(self):
        return (
            self.quote_b.state,
            self.complaint_b.stage_id,
            self.complaint_b.subject,
            self.shipment_b.state,
            self.statement_b.state,
            self.statement_b.complaint_ids,
            self.env["logistics.quote.request"].search_count(
                [("partner_id", "=", self.customer_b.id)]
            ),
        )

    def _url(self, pattern, record_id, token):
        def value(match):
            name = match.group(2)
            if name == "page":
                return "1"
            if name == "attachment_id":
                return str(self.document_b.id)
            return str(record_id)

        url = CONVERTER.sub(value, pattern)
        if token is not None:
            url += f"?access_token={quote(token)}"
        return url

    def _attack(self, pattern, methods, record_id, token):
        url = self._url(pattern, record_id, token)
        before = self._state_of_b()
        if "POST" in methods:
            response = self.url_open(
                url,
                data={
                    "csrf_token": self._csrf(),
                    "name": "Mallory",
                    "reason": "Mallory",
                    "subject": "Mallory",
                    "partner_id": self.customer_b.id,
                    "shipment_id": self.shipment_b.id,
                },
                allow_redirects=True,
            )
        else:
            response = self.url_open(url)
        self.assertIn(response.status_code, (200, 303, 400, 403, 404), url)
        for secret in self.secrets_b:
            self.assertNotIn(secret, response.text, f"{url} shows {secret}")
        self.assertEqual(self._state_of_b(), before, url)

    def _csrf(self):
        from odoo import http  # noqa: PLC0415

        return http.Request.csrf_token(self)

    def _actors(self):
        """Log in as each outsider in turn (None: anonymous)."""
        for user in (None, self.user_a, self.user_alone):
            if user:
                self._login(user)
            else:
                self.authenticate(None, None)
            yield user

    def test_routes_are_found(self):
        patterns = [pattern for pattern, _methods in declared_routes()]
        self.assertGreaterEqual(len(patterns), 15, patterns)
        self.assertIn("/my/shipments/<int:shipment_id>", patterns)

    def test_every_route_against_the_other_customer(self):
        routes = declared_routes()
        for _actor in self._actors():
            for pattern, methods in routes:
                model = model_of(pattern)
                if not model or "<int:page>" in pattern or "<" not in pattern:
                    # Lists and pages without an id: the user's own scope.
                    self._attack(pattern, methods, 0, None)
                    continue
                record_b = self.records_b[model]
                record_a = self.records_a[model]
                for record_id, token in (
                    (record_b.id, None),
                    (record_b.id, ""),
                    (record_b.id, "0" * 36),
                    (record_b.id, record_a.access_token),
                    (record_b.id, record_b.access_token[:-1]),
                    (record_b.id, record_b.access_token.upper()),
                    (999_999_999, None),
                    (2**31, record_b.access_token),
                    (2**63, None),
                ):
                    self._attack(pattern, methods, record_id, token)

    def test_readonly_routes_never_write(self):
        """A read-only route that writes is retried by Odoo on a read/write
        cursor, with a warning: on a replica it would fail. Each read-only
        page, opened by its own customer, is served without that retry."""
        routes = readonly_routes(self.env)
        for page in MODEL_BY_PREFIX:
            self.assertIn(page, routes)
        self.assertIn("/my/service", routes)
        self._login(self.user_a)
        for pattern in routes:
            model = model_of(pattern)
            record = self.records_a.get(model)
            url = self._url(pattern, record.id if record else 0, None)
            if "<int:attachment_id>" in pattern:
                continue  # B's document: the attack above opens it
            with self.subTest(url=url), self.assertNoLogs("odoo.http", "WARNING"):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200, url)

    def _fuzz_model(self, model, record_id, token):
        record_b = self.records_b[model]
        if record_id == record_b.id and token == record_b.access_token:
            return  # B's own emailed link: legitimately opens
        prefix = next(p for p, m in MODEL_BY_PREFIX.items() if m == model)
        self._attack(f"{prefix}/<int:id>", ["GET"], record_id, token)

    def _fuzz(self, model):
        record_b = self.records_b[model]
        record_a = self.records_a[model]
        ids = st.one_of(
            st.sampled_from([record_b.id, record_a.id]),
            st.integers(min_value=1, max_value=2**64),
        )
        tokens = st.one_of(
            st.none(),
            st.sampled_from(["", record_a.access_token, record_b.access_token[:20]]),
            st.text(max_size=64),
            st.uuids().map(str),
        )
        self._login(self.user_a)

        @HTTP_EXAMPLES
        @given(record_id=ids, token=tokens)
        def property_holds(record_id, token):
            self._fuzz_model(model, record_id, token)

        property_holds()

    def test_fuzz_shipment_ids_and_tokens(self):
        self._fuzz("logistics.shipment")

    def test_fuzz_complaint_ids_and_tokens(self):
        self._fuzz("logistics.complaint")

    def test_fuzz_quote_ids_and_tokens(self):
        self._fuzz("logistics.quote")

    def test_fuzz_statement_ids_and_tokens(self):
        self._fuzz("logistics.statement")

    def test_fuzz_quote_request_ids_and_tokens(self):
        self._fuzz("logistics.quote.request")


@tagged("post_install", "-at_install")
class TestPortalSearchbarFuzz(LogisticsPortalCase):
    """The lists' searchbar, filter, sort and page parameters, fed anything:
    a page of the user's own records or a redirect, never an error and
    never another customer's record."""

    @HTTP_EXAMPLES
    @given(
        path=st.sampled_from(
            [
                "/my/shipments",
                "/my/complaints",
                "/my/quotes",
                "/my/statements",
                "/my/quote-requests",
            ]
        ),
        page=st.one_of(st.integers(min_value=1, max_value=2**40), st.just(1)),
        params=st.dictionaries(
            st.sampled_from(["sortby", "filterby", "search_in", "search", "groupby"]),
            st.one_of(
                st.text(max_size=300),
                st.sampled_from(
                    ["date", "eta", "name", "state", "late", "open", "all", "lane"]
                ),
                st.just("' OR 1=1 --"),
                st.just("<script>alert(1)</script>"),
            ),
        ),
    )
    def test_list_parameters(self, path, page, params):
        if not getattr(self, "_logged_in", False):
            self._login(self.user_a)
            self._logged_in = True
        response = self.url_open(f"{path}/page/{page}", params=params)
        self.assertIn(response.status_code, (200, 303), (path, page, params))
        for secret in (
            self.shipment_b.name,
            self.complaint_b.name,
            self.quote_b.name,
            self.statement_b.name,
        ):
            self.assertNotIn(secret, response.text)
        self.assertNotIn("<script>alert(1)</script>", response.text)


@tagged("post_install", "-at_install")
class TestSurveyLinks(LogisticsPortalCase):
    """The relationship survey's links are Odoo's, with each invitation's
    own answer token: another customer's user with B's link, or anyone
    with a wrong, empty, cut or foreign token, neither sees B's answer nor
    answers in its place, and no new answer is started."""

    def test_survey_links_answer_only_as_their_contact(self):
        Answer = self.env["survey.user_input"]
        survey = self.env.ref("logistics_crm.survey_relationship")
        question = self.env.ref("logistics_crm.survey_relationship_question_nps")
        invitations = {
            user: Answer.create(
                {
                    "survey_id": survey.id,
                    "partner_id": user.partner_id.id,
                    "logistics_invited_on": "2026-01-05 08:00:00",
                }
            )
            for user in (self.user_a, self.user_b)
        }
        answer_b = invitations[self.user_b]
        token_a = invitations[self.user_a].access_token
        answers_before = Answer.search_count([])
        self._login(self.user_a)
        for token in (
            answer_b.access_token,
            "",
            "0" * 36,
            answer_b.access_token[:-1],
            answer_b.access_token.upper(),
            token_a[:-1] + ("0" if token_a[-1] != "0" else "1"),
        ):
            with self.subTest(token=token):
                page = self.url_open(
                    f"/survey/start/{survey.access_token}",
                    params={"answer_token": token},
                )
                self.assertNotIn(self.user_b.partner_id.name, page.text)
                self.assertNotIn("o_survey_form", page.text)
                if not token:
                    continue
                for route in ("begin", "submit"):
                    with contextlib.suppress(JsonRpcException):
                        self.make_jsonrpc_request(
                            f"/survey/{route}/{survey.access_token}/{token}",
                            {"page_id": False, str(question.id): "10"},
                        )
        self.assertEqual(Answer.search_count([]), answers_before)
        self.assertEqual(answer_b.state, "new")
        self.assertFalse(answer_b.user_input_line_ids)
        # A's own link opens A's answer.
        page = self.url_open(
            f"/survey/start/{survey.access_token}", params={"answer_token": token_a}
        )
        self.assertIn("o_survey_form", page.text)
