"""The benchmark's operations, in the order they run: each times one thing
through the addons beside raw SQL (see harness.py)."""

from .billing import op_monthly_settlement
from .call_center import op_caller_lookup
from .complaints import op_complaint_create
from .customers import (
    op_customer_list,
    op_customer_stats,
    op_smart_buttons,
    op_tier_recompute,
)
from .harness import WARM_RUNS
from .ingest import op_ingest, op_ingest_notifications
from .marketing import op_segment_count
from .portal import op_portal_pages
from .pricing import op_pricing
from .reporting import op_export, op_kpi_on_time
from .reports import op_report_pivots
from .surveys import op_survey_invite, op_survey_nps


def run_all(env, large_scale, runs=WARM_RUNS, only=None):
    """Every operation, or those whose name (``op_<name>``) is in ``only``."""
    operations = {
        "tier_recompute": lambda: op_tier_recompute(env, runs, large_scale),
        "customer_stats": lambda: op_customer_stats(env, runs),
        "smart_buttons": lambda: op_smart_buttons(env, runs),
        "ingest": lambda: op_ingest(env, runs),
        "ingest_notifications": lambda: op_ingest_notifications(env, runs),
        "customer_list": lambda: op_customer_list(env, runs, large_scale),
        "complaint_create": lambda: op_complaint_create(env, runs),
        "kpi_on_time": lambda: op_kpi_on_time(env, runs),
        "export": lambda: op_export(env, large_scale),
        "portal_pages": lambda: op_portal_pages(env, runs, large_scale),
        "monthly_settlement": lambda: op_monthly_settlement(env, large_scale),
        "pricing": lambda: op_pricing(env, large_scale),
        "caller_lookup": lambda: op_caller_lookup(env, large_scale),
        "segment_count": lambda: op_segment_count(env, runs, large_scale),
        "survey_invite": lambda: op_survey_invite(env, runs, large_scale),
        "survey_nps": lambda: op_survey_nps(env, runs, large_scale),
        "report_pivots": lambda: op_report_pivots(env, runs, large_scale),
    }
    results = []
    for name, operation in operations.items():
        if not only or name in only:
            result = operation()
            # An operation measures one thing, or several of a kind.
            results.extend(result if isinstance(result, list) else [result])
    return results
