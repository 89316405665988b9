import json
from datetime import date, datetime
from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from odoo.addons.logistics_crm.models import bulk_write

COLUMNS = {
    "tier_score": "numeric",
    "tier_breakdown": "jsonb",
    "tier_override_reason": "text",
    "profile_review_cadence_days": "int",
    "profile_review_due_date": "date",
    "tier_computed_date": "timestamp",
    "logistics_service_gap": "bool",
}
# What COPY's text format must escape, and what JSON escapes itself.
AWKWARD_TEXT = 'tab\there, new\nline, back\\slash, "quoted", 战略客户\r'


@tagged("post_install", "-at_install")
class TestBulkWrite(TransactionCase):
    """The engines' bulk UPDATE gives the same stored values whichever way
    the rows travel: array parameters for small batches, COPY for big ones."""

    def _rows(self, partners):
        values = [
            (
                12.5,
                json.dumps([{"metric": "on_time_rate", "note": AWKWARD_TEXT}]),
                AWKWARD_TEXT,
                90,
                date(2027, 2, 28),
                datetime(2026, 12, 7, 8, 30, 15),
                True,
            ),
            (0.0, "[]", None, None, None, None, False),
        ]
        return [
            (partner.id, *values[index % 2]) for index, partner in enumerate(partners)
        ]

    def _write(self, copy_min_rows):
        partners = self.env["res.partner"].create(
            [{"name": f"Bulk {index}", "is_company": True} for index in range(4)]
        )
        # Read first: the cache must not keep the values from before.
        partners.mapped("tier_score")
        with patch.object(bulk_write, "COPY_MIN_ROWS", copy_min_rows):
            bulk_write.write_columns(partners, COLUMNS, self._rows(partners))
        in_cache = [tuple(partner[fname] for fname in COLUMNS) for partner in partners]
        self.env.cr.execute(
            "SELECT tier_score, tier_breakdown, tier_override_reason,"
            " profile_review_cadence_days, profile_review_due_date,"
            " tier_computed_date, logistics_service_gap"
            " FROM res_partner WHERE id = ANY(%s) ORDER BY id",
            [partners.ids],
        )
        return in_cache, self.env.cr.fetchall()

    def test_copy_and_arrays_store_the_same_values(self):
        arrays = self._write(copy_min_rows=1000)
        copied = self._write(copy_min_rows=1)
        self.assertEqual(copied, arrays)
        in_cache, stored = copied
        self.assertEqual(stored[0][2], AWKWARD_TEXT)
        self.assertEqual(stored[0][1][0]["note"], AWKWARD_TEXT)
        self.assertEqual(in_cache[0][4], date(2027, 2, 28))
        self.assertEqual(in_cache[1][1:], ([], False, 0, False, False, False))
        # The temporary table goes with the statement, not with the
        # transaction: a second bulk write in it creates it again.
        self.assertEqual(self._write(copy_min_rows=1), copied)
