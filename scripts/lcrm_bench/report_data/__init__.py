"""What the SQL-view reports read beyond the bench's shipments, loaded for
the report pivots inside the caller's savepoint (rolled back after): a few
salespeople and call agents with their teams, campaigns and rate cards
through the ORM (a handful of rows each), then in set-based SQL over the
bench customers, their contacts and lanes:

- calls held by the agents and salespeople over the last 24 months, in and
  out, in every status, with outcomes, durations and first-contact
  resolution;
- leads and opportunities, won, lost and open, each with its lanes (their
  mode and expected revenue), sources, campaigns and closing dates;
- quotes on those opportunities, with their revisions, freight lines and
  fuel surcharges, sent, accepted, rejected, expired or still draft as their
  opportunity went; the bookings (and booking lines) of the accepted ones;
- a quote request per quote chain, answered within or beyond its tier's
  target, or still running, or cancelled;
- the relationship survey's answers (surveys._load_answers) from the survey
  contacts of the customers, who get tiers and account managers, and the
  feedback themes of the detractors' and passives' comments;
- complaints over the last 24 months in every category (handled by the
  customer service team) and stage: proactive ones from the shipment
  exceptions of the tiers that open them, the others from the customers'
  contacts by phone, e-mail, portal..., most about one of their shipments
  (so by volume); each with its first-response and resolution milestones
  on its tier's targets, met, breached, running, paused or cancelled as
  its stage went, the ticket's SLA status and due date summarising them;
  a pause for those waiting on the customer; the rating request of the
  resolved ones, a third of them answered (1-5).

The calls' complaint links stay empty. Working hours count as elapsed time
(WALL_HOURS_PER_WORKING_HOUR), not through the working calendars.

At ``large`` 200,000 calls, 100,000 leads, about 100,000 quotes and 100,000
complaints (and 500,000 answers, surveys.ANSWERS); at small a hundredth of
that.
"""

from odoo import fields

from odoo.addons.logistics_crm.models.logistics_kpi import planned_without_jit

from ..surveys import ANSWERS, _load_answers, _prepare_customers
from .bookings import _load_bookings, _load_requests
from .calls import _load_calls
from .common import _campaigns, _rate_cards, _staff
from .complaints import _complaint_categories, _load_complaints, _rate_complaints
from .feedback import _tag_feedback_themes
from .sales import _load_leads, _load_quotes

CALLS = 200_000
LEADS = 100_000
QUOTES = 100_000
COMPLAINTS = 100_000
SMALL_SHARE = 100
SEED = 0.42
# The tables loaded (rows counted for the notes) and what marks the loaded
# rows where the bench has rows of its own.
COUNTED = {
    "crm_phonecall": "TRUE",
    "crm_lead": "TRUE",
    "logistics_lane": "lead_id IS NOT NULL",
    "logistics_quote": "TRUE",
    "logistics_quote_line": "TRUE",
    "logistics_quote_request": "TRUE",
    "sale_order": "TRUE",
    "sale_order_line": "TRUE",
    "survey_user_input": "TRUE",
    "survey_user_input_line": "TRUE",
    "logistics_feedback_theme_answer_rel": "TRUE",
    "utm_campaign": "name LIKE 'Bench Campaign %'",
    "logistics_complaint": "TRUE",
    "logistics_complaint_sla": "TRUE",
    "logistics_complaint_pause": "TRUE",
    "rating_rating": "res_model = 'logistics.complaint'",
}


def _analyze(env, *tables):
    env.cr.execute(f"ANALYZE {', '.join(tables)}")


def _count(env):
    counts = {}
    for table, loaded in COUNTED.items():
        env.cr.execute(f"SELECT count(*) FROM {table} WHERE {loaded}")
        counts[table] = env.cr.fetchone()[0]
    return counts


def _load(env, large_scale):
    share = 1 if large_scale else SMALL_SHARE
    now = fields.Datetime.now().replace(microsecond=0)
    # The same draws each run (random() below), for timings that compare.
    env.cr.execute("SELECT setseed(%s)", (SEED,))
    # The customers' tiers and survey contacts, as the survey bench has them.
    _prepare_customers(env)
    staff = _staff(env)
    campaigns = _campaigns(env, staff)
    card_lines = _rate_cards(env)
    env.flush_all()
    # Each step analyses what it wrote: the next one reads it, and is
    # planned from the statistics (a nested loop over an "empty" table of
    # 100,000 quotes otherwise).
    _analyze(env, "res_partner")
    _load_calls(env, CALLS // share, staff, now)
    _analyze(env, "crm_phonecall")
    _load_leads(env, LEADS // share, staff, campaigns, now)
    _analyze(env, "crm_lead", "logistics_lane")
    _load_quotes(env, QUOTES // share, now)
    _analyze(env, "logistics_quote", "logistics_quote_line")
    _load_bookings(env, now)
    _analyze(env, "sale_order", "sale_order_line", "logistics_quote")
    _load_requests(env, card_lines, now)
    _analyze(env, "logistics_quote_request")
    categories = _complaint_categories(env, staff)
    _load_complaints(env, COMPLAINTS // share, categories, now)
    _analyze(
        env,
        "logistics_complaint",
        "logistics_complaint_sla",
        "logistics_complaint_pause",
    )
    _rate_complaints(env, now)
    _analyze(env, "rating_rating", "logistics_complaint")
    nps_question = _load_answers(env, ANSWERS[large_scale])
    _tag_feedback_themes(env, nps_question)
    _analyze(env, "logistics_feedback_theme_answer_rel")


def load_report_data(env, large_scale):
    """Load what the reports read (see the module's docstring) in the
    current transaction, analysed; the caller rolls it back. Returns the
    rows loaded per table."""
    # JIT compiled each big INSERT for about a second, longer than the INSERT
    # runs at small; the reports are then timed with the server's setting.
    with planned_without_jit(env.cr):
        _load(env, large_scale)
    # The ORM reads the reports from the rows just written, not its cache.
    env.invalidate_all()
    return _count(env)
