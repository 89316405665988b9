"""What a customer's service tier decides on its profile, written once for
the partner's computed fields and for the scoring engine, which stores them
in the same statement as the tier itself (see ``_store_tier_results``)."""

from datetime import timedelta

DEFAULT_REVIEW_CADENCE = 180
# The stored partner fields that follow from the tier, in the order the
# engine computes them (the due date needs the cadence).
TIER_FOLLOWER_FIELDS = (
    "profile_review_cadence_days",
    "profile_review_due_date",
    "logistics_service_gap",
)


def review_cadence(tier):
    """Days between two profile reviews of a customer of the tier."""
    return tier.review_cadence_days or DEFAULT_REVIEW_CADENCE


def review_due_date(base, cadence):
    """The next profile review: the last one (or the customer-since date)
    plus the cadence; False without either date."""
    return base + timedelta(days=cadence or 0) if base else False


def service_gap(tier, partner):
    """The tier asks for a dedicated account team the partner lacks. The team
    is read only for such a tier: most customers' is never looked at."""
    return bool(
        tier.dedicated_team_required
        and not (partner.account_manager_id and partner.service_team_ids)
    )
