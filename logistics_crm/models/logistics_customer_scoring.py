import json

from odoo import api, fields, models
from odoo.tools import SQL

from .bulk_write import write_columns
from .logistics_selections import TIER_OVERRIDE_FIELDS
from .logistics_tier_followers import (
    TIER_FOLLOWER_FIELDS,
    review_cadence,
    review_due_date,
    service_gap,
)

# Compact JSON: the breakdowns of 50 000 customers travel to PostgreSQL.
to_json = json.JSONEncoder(separators=(",", ":")).encode
TIER_CHANGE_ACTIVITY = "logistics_crm.mail_activity_type_tier_change"
CHURN_ACTIVITY = "logistics_crm.mail_activity_type_churn_alert"
CHURN_THRESHOLD = 60.0
# Tiers whose arrival or departure the account manager must act on.
WATCHED_TIER_CODES = ("strategic", "key")
# Large batches: the metrics aggregate scans shipments by customer, and a few
# big scans cost far less than many small ones (50 000 customers: 2.8 s in one
# batch, 3.4 s in two, 5.6 s in ten).
TIER_BATCH_SIZE = 50000


class LogisticsCustomerScoring(models.AbstractModel):
    """The batch engines that score customers with the scoring rules: the
    service tier (value) and the churn risk. Each works on a whole recordset
    of customers for a fixed number of queries: the metrics (one aggregate per
    source, ``logistics.customer.metrics``), then bulk writes of the results.
    History, chatter messages (tracking) and activities follow only real
    changes."""

    _name = "logistics.customer.scoring"
    _description = "Customer Scoring Engine"

    @api.model
    def _active_rules(self, purpose):
        return self.env["logistics.tier.rule"].search(
            [("active", "=", True), ("purpose", "=", purpose)]
        )

    @api.model
    def _score(self, partners, rules):
        """[(partner, score, breakdown)] of the partners under the rules."""
        return [
            (partner, score, breakdown)
            for partner, (_id, score, breakdown) in zip(
                partners, self._score_ids(partners.ids, rules), strict=True
            )
        ]

    @api.model
    def _score_ids(self, partner_ids, rules):
        """[(partner id, score, breakdown)]: ``_score`` for batch engines
        that need no record per customer."""
        metrics = list(dict.fromkeys(rules.mapped("metric")))
        values = self.env["logistics.customer.metrics"]._metric_values(
            partner_ids, fields.Datetime.now(), metrics
        )
        score_of = rules._scorer()
        return [
            (partner_id, *score_of(values[partner_id])) for partner_id in partner_ids
        ]

    @api.model
    def _breakdown_tables(self, partners, fname):
        """The "why" table of each partner's score (metric, value, points and
        weight) from its stored breakdown, or False without one; rendered by
        a QWeb template, like the scorecard chart."""
        labels = dict(self.env["logistics.tier.rule"]._selection_metric())
        return [
            partner[fname]
            and self.env["ir.qweb"]._render(
                "logistics_crm.logistics_score_breakdown",
                {
                    "rows": [
                        dict(row, label=labels.get(row["metric"], row["metric"]))
                        for row in partner[fname]
                    ]
                },
            )
            for partner in partners
        ]

    # ------------------------------------------------------------------
    # Service tiers
    # ------------------------------------------------------------------
    @api.model
    def _recompute_tiers(self, partners, batch_size=None):
        """Score the customers and give each its tier, batch by batch."""
        rules = self._active_rules("tier")
        tier_of = self.env["logistics.service.tier"]._tier_picker()
        if not tier_of:
            return
        # A domain, not filtered(): filtering would load every column of
        # 50 000 partners to read two of them.
        customers = partners.search(
            [
                ("id", "in", partners.ids),
                "|",
                ("is_company", "=", True),
                ("parent_id", "=", False),
            ],
            order="id",
        )
        batch_size = batch_size or TIER_BATCH_SIZE
        for start in range(0, len(customers), batch_size):
            self._recompute_tier_batch(
                customers[start : start + batch_size], rules, tier_of
            )

    @api.model
    def _recompute_tier_batch(self, partners, rules, tier_of):
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        tiers = {
            tier.id: tier
            for tier in self.env["logistics.service.tier"]
            .with_context(active_test=False)
            .search([])
        }
        # What the loop needs of a tier, as plain values: read from the
        # records for each of 50 000 customers, they cost more than scoring.
        facts = {
            tier_id: (
                review_cadence(tier),
                tier.dedicated_team_required,
                tier.code in WATCHED_TIER_CODES,
            )
            for tier_id, tier in tiers.items()
        }
        unwatched = (None, False, False)
        # Scores have one decimal from 0 to 100: each of at most 1 001 values
        # is matched to its tier once.
        computed_id_of = {}
        no_tier = self.env["logistics.service.tier"]
        inputs = self._tier_inputs(partners)
        score_rows, tier_rows, history, watched_moves, team_ids = [], {}, [], [], []
        score_of = {}
        changed_ids, retier_ids, expired_ids = [], [], []
        for partner_id, score, breakdown in self._score_ids(partners.ids, rules):
            (
                old_id,
                override_id,
                override_until,
                override_reason,
                reviewed,
                since,
                score_id,
                *followers,
            ) = inputs[partner_id]
            score_of[partner_id] = score_id
            score = round(score, 1)
            computed_id = computed_id_of.get(score)
            if computed_id is None:
                computed_id = computed_id_of[score] = tier_of(score).id
            score_rows.append((score, to_json(breakdown), computed_id or None, now))
            if override_id and override_until and override_until < today:
                expired_ids.append(partner_id)
                override_id = None
            new_id = override_id or computed_id
            if new_id == old_id:
                if not score_id:
                    # Its new score record is linked in the partners' UPDATE.
                    tier_rows[partner_id] = (new_id, *followers)
                continue
            cadence, dedicated_team, watched = facts[new_id]
            # The service gap is known once the account teams are read below.
            tier_rows[partner_id] = [
                new_id,
                cadence,
                review_due_date(reviewed or since, cadence),
                False,
            ]
            if dedicated_team:
                team_ids.append(partner_id)
            changed_ids.append(partner_id)
            if old_id:
                retier_ids.append(partner_id)
            history.append(
                (
                    partner_id,
                    old_id,
                    new_id,
                    score,
                    "override" if override_id else "computed",
                    (override_reason or None) if override_id else None,
                )
            )
            if watched or facts.get(old_id, unwatched)[2]:
                watched_moves.append(
                    (partner_id, tiers.get(old_id, no_tier), tiers[new_id])
                )
        # The account teams of the few customers who need one or whose move
        # is watched, in one fetch: read lazily, the ORM would fetch them a
        # thousand partners at a time, and for all 50 000 they cost 0.8 s.
        staffed = partners.browse(team_ids + [move[0] for move in watched_moves])
        staffed.fetch(["account_manager_id", "service_team_ids"])
        for partner in partners.browse(team_ids):
            tier_rows[partner.id][3] = service_gap(
                tiers[tier_rows[partner.id][0]], partner
            )
        moved = [
            (partners.browse(partner_id), old_tier, new_tier)
            for partner_id, old_tier, new_tier in watched_moves
            if partners.browse(partner_id).account_manager_id
        ]
        if expired_ids:
            partners.browse(expired_ids).with_context(tier_recompute=True).sudo().write(
                dict.fromkeys(TIER_OVERRIDE_FIELDS, False)
            )
        # Odoo's tracking posts the chatter message of a change of tier. A
        # first tier is an initialisation, kept in the history only: a message
        # on each of 50 000 customers would be noise.
        partners.browse(retier_ids)._track_prepare(["tier_id"])
        self._store_tier_results(
            partners,
            score_rows,
            tier_rows,
            score_of,
        )
        # What follows the tier is stored above; anything else that depends
        # on it is recomputed, for the customers whose tier moved only.
        changed = partners.browse(changed_ids)
        changed.modified(["tier_id"])
        for fname in TIER_FOLLOWER_FIELDS:
            self.env.remove_to_compute(partners._fields[fname], changed)
        self.env["logistics.tier.history"]._insert_changes(history, now)
        partners.invalidate_recordset(["tier_history_ids"])
        self._schedule_tier_change_activities(partners, moved)

    @api.model
    def _tier_inputs(self, partners):
        """{partner id: (tier, forced tier, forced until, reason, reviewed
        on, customer since, score record, *TIER_FOLLOWER_FIELDS)} as stored,
        ids for the relations: read in one query, where reading them from
        50 000 records cost more than the query."""
        fnames = (
            "tier_id",
            "tier_override_id",
            "tier_override_until",
            "tier_override_reason",
            "profile_reviewed_date",
            "customer_since",
            "logistics_score_id",
            *TIER_FOLLOWER_FIELDS,
        )
        partners.flush_recordset(list(fnames))
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM res_partner WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(fname) for fname in fnames),
                partners.ids,
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _store_tier_results(self, partners, score_rows, tier_rows, score_of):
        """Store every customer's score, breakdown and computed tier on the
        score table, and the tier with what follows it in one UPDATE of the
        partners whose tier moved (or whose score record is new).

        These fields are the engine's own output (read-only, with no rule nor
        commercial sync to apply): through ``write``, with its per-record
        tracking preparation, sync and cache bookkeeping, storing the results
        of 50 000 customers took longer than computing them; and with the
        followers left to the ORM's recomputation, each partner row whose
        tier moved was rewritten a second time (a first assignment of 50 000
        customers took 14.5 s with it, 9.4 s without).
        """
        score_of, _created = self.env["logistics.customer.score"]._store_scores(
            partners,
            {
                "tier_score": "numeric",
                "tier_breakdown": "jsonb",
                "tier_computed_id": "int",
                "tier_computed_date": "timestamp",
            },
            score_rows,
            score_of,
        )
        write_columns(
            partners.browse(tier_rows),
            {
                "logistics_score_id": "int",
                "tier_id": "int",
                "profile_review_cadence_days": "int",
                "profile_review_due_date": "date",
                "logistics_service_gap": "bool",
            },
            [
                (
                    partner_id,
                    score_of[partner_id],
                    tier_id or None,
                    cadence or None,
                    due or None,
                    gap,
                )
                for partner_id, (tier_id, cadence, due, gap) in tier_rows.items()
            ],
        )

    @api.model
    def _schedule_tier_change_activities(self, partners, moved):
        self.env["logistics.account.followup"]._create_account_manager_activities(
            self.env.ref(TIER_CHANGE_ACTIVITY),
            [
                (
                    partner,
                    self.env._(
                        "Service tier changed: %(old)s -> %(new)s",
                        old=old.name or self.env._("none"),
                        new=new.name,
                    ),
                )
                for partner, old, new in moved
            ],
        )

    # ------------------------------------------------------------------
    # Churn risk
    # ------------------------------------------------------------------
    @api.model
    def _recompute_churn(self, partners):
        """Score the churn risk of the customers with the churn rules, and
        give the account manager an activity when a customer crosses the
        alert threshold: once per crossing, not at every run while it stays
        above."""
        rules = self._active_rules("churn")
        if not rules or not partners:
            return
        threshold = float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("logistics_crm.churn_alert_threshold", CHURN_THRESHOLD)
        )
        partners.fetch(["churn_alert", "account_manager_id"])
        crossing = []
        results = []
        for partner, score, breakdown in self._score(partners, rules):
            alert = score >= threshold
            if alert and not partner.churn_alert and partner.account_manager_id:
                crossing.append(
                    (
                        partner,
                        self.env._(
                            "Churn risk %(score)s: call the customer",
                            score=round(score),
                        ),
                    )
                )
            results.append((round(score, 1), to_json(breakdown), alert))
        score_of, created = self.env["logistics.customer.score"]._store_scores(
            partners,
            {
                "churn_score": "numeric",
                "churn_breakdown": "jsonb",
                "churn_alert": "bool",
            },
            results,
        )
        write_columns(
            partners.browse(created),
            {"logistics_score_id": "int"},
            [(partner_id, score_of[partner_id]) for partner_id in created],
        )
        self.env["logistics.account.followup"]._create_account_manager_activities(
            self.env.ref(CHURN_ACTIVITY), crossing
        )
