"""Static checks of both addons' code: what a reviewer would refuse.

- a controller method that uses ``sudo()`` before the record's access check
  (``_document_check_access``, directly or through ``_logistics_check``);
- a route that turns CSRF off;
- a template with ``t-raw``;
- ``Markup()`` around anything but a string literal.

Each exception is allowed here by name, with the reason it is safe; a new
one fails the suite until someone writes down why.
"""

import ast
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("logistics_crm", "logistics_crm_portal")
ACCESS_CHECKS = {"_document_check_access", "_logistics_check"}

SUDO_ALLOWED = {
    ("logistics_crm/controllers/main.py", "_contact_from_token"): (
        "reads the contact only to compare its HMAC token in constant time; "
        "nothing is shown or changed unless the token matches"
    ),
    (
        "logistics_crm_portal/controllers/portal_shipment.py",
        "_shipment_timeline_values",
    ): (
        "called only with a shipment returned by _logistics_check; pages its "
        "events by that shipment's id"
    ),
    (
        "logistics_crm_portal/controllers/portal_complaint.py",
        "_complaint_create_from_portal",
    ): (
        "portal users have no create right on complaints; every value was "
        "checked with the user's own rights by _complaint_validate_form"
    ),
    ("logistics_crm_portal/controllers/portal_service.py", "portal_my_service"): (
        "shows the user's own company only; no id comes from the request"
    ),
    (
        "logistics_crm_portal/controllers/portal_notification.py",
        "portal_my_notifications",
    ): (
        "changes the logged-in contact's own subscriptions only; no id comes "
        "from the request"
    ),
    ("logistics_crm_portal/controllers/portal_booking.py", "portal_book"): (
        "books for the logged-in user's own company; no record id from the "
        "request is written, the price is the pricing engine's"
    ),
    ("logistics_crm_portal/controllers/portal_booking.py", "_booking_form_page"): (
        "reads the reference lists (countries) the form offers; no id comes "
        "from the request"
    ),
    ("logistics_crm_portal/controllers/portal_quote.py", "portal_my_quote_book"): (
        "the booking runs inside _quote_answer, once _quote_check "
        "(_logistics_check) returned the quote"
    ),
    ("logistics_crm_portal/controllers/portal_quote.py", "book"): (
        "called by _quote_answer with the quote _quote_check returned"
    ),
    (
        "logistics_crm_portal/controllers/portal_quote_request.py",
        "_quote_request_submit",
    ): (
        "creates the request for the logged-in user's company or the new "
        "prospect; every value was checked by _portal_form_values"
    ),
    (
        "logistics_crm_portal/controllers/portal_quote_request.py",
        "_quote_request_form_choices",
    ): (
        "reads the reference lists (countries, cargo categories, incoterms) "
        "the form offers, to the public page too; no id comes from the request"
    ),
    (
        "logistics_crm_portal/controllers/portal_quote_request.py",
        "public_quote_request",
    ): (
        "counts the prospects' recent requests by address and e-mail for the "
        "rate limit; nothing is shown"
    ),
}

MARKUP_ALLOWED = {
    ("logistics_crm/models/logistics_complaint.py", "_has_text"): (
        "strips the tags to test for text; the result is never rendered"
    ),
}


def _python_files(folder):
    for addon in ADDONS:
        yield from sorted((ROOT / addon / folder).glob("**/*.py"))


def _functions(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _calls(node, name):
    """Positions of calls to ``name`` (a function or a method) in node."""
    positions = []
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            func = child.func
            called = (
                func.attr
                if isinstance(func, ast.Attribute)
                else getattr(func, "id", None)
            )
            if called == name:
                positions.append((child.lineno, child.col_offset))
    return sorted(positions)


def _route_decorator(function):
    for decorator in function.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == "route"
        ):
            return decorator
    return None


def _relative(path):
    return str(path.relative_to(ROOT))


def test_the_portal_declares_routes():
    routes = [
        function.name
        for path in _python_files("controllers")
        for function in _functions(path)
        if _route_decorator(function)
    ]
    # Guards the checks below against silently inspecting nothing.
    assert len(routes) >= 10, routes


def test_no_sudo_before_the_access_check():
    offenders = []
    for path in _python_files("controllers"):
        for function in _functions(path):
            sudo_calls = _calls(function, "sudo")
            if not sudo_calls:
                continue
            checks = sorted(
                position
                for name in ACCESS_CHECKS
                for position in _calls(function, name)
            )
            if checks and checks[0] < sudo_calls[0]:
                continue
            if (_relative(path), function.name) not in SUDO_ALLOWED:
                offenders.append(f"{_relative(path)}:{function.lineno} {function.name}")
    assert not offenders, "sudo() before the access check in: " + ", ".join(offenders)


def test_the_allow_lists_name_real_code():
    for allowed in (SUDO_ALLOWED, MARKUP_ALLOWED):
        for (file, function), reason in allowed.items():
            names = {node.name for node in _functions(ROOT / file)}
            assert function in names, f"{file}: {function} no longer exists"
            assert len(reason) > 20


def test_logistics_check_is_the_document_check():
    path = ROOT / "logistics_crm_portal" / "controllers" / "portal_base.py"
    wrapper = next(f for f in _functions(path) if f.name == "_logistics_check")
    assert _calls(wrapper, "_document_check_access")
    assert not _calls(wrapper, "sudo")


def test_no_route_disables_csrf():
    offenders = []
    for path in _python_files("controllers"):
        for function in _functions(path):
            route = _route_decorator(function)
            for keyword in route.keywords if route else ():
                if (
                    keyword.arg == "csrf"
                    and isinstance(keyword.value, ast.Constant)
                    and keyword.value.value is False
                ):
                    offenders.append(f"{_relative(path)}:{function.name}")
    assert not offenders


@pytest.mark.parametrize(
    "path",
    [
        path
        for addon in ADDONS
        for path in sorted((ROOT / addon).glob("**/*.xml"))
        if "/i18n/" not in str(path)
    ],
    ids=_relative,
)
def test_no_t_raw_in_templates(path):
    tree = etree.parse(str(path))
    assert not tree.xpath("//*[@t-raw]"), f"{_relative(path)} uses t-raw"


def test_markup_wraps_literals_only():
    offenders = []
    for addon in ADDONS:
        for path in sorted((ROOT / addon).glob("**/*.py")):
            if "/tests/" in str(path):
                continue
            for function in _functions(path):
                for node in ast.walk(function):
                    if (
                        isinstance(node, ast.Call)
                        and getattr(node.func, "id", None) == "Markup"
                        and node.args
                        and not isinstance(node.args[0], ast.Constant)
                        and (_relative(path), function.name) not in MARKUP_ALLOWED
                    ):
                        offenders.append(
                            f"{_relative(path)}:{node.lineno} {function.name}"
                        )
    assert not offenders, "Markup() around non-literals: " + ", ".join(offenders)
