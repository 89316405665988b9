import json
from datetime import date, datetime
from unittest.mock import patch

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from odoo.addons.logistics_crm.models import bulk_write

# One table per engine output, every SQL type the engines send.
PARTNER_COLUMNS = {
    "tier_override_reason": "text",
    "profile_review_cadence_days": "int",
    "profile_review_due_date": "date",
    "logistics_service_gap": "bool",
}
SCORE_COLUMNS = {
    "tier_score": "numeric",
    "tier_breakdown": "jsonb",
    "tier_computed_date": "timestamp",
    "churn_alert": "bool",
}
# What COPY's text format must escape, and what JSON escapes itself.
AWKWARD_TEXT = 'tab\there, new\nline, back\\slash, "quoted", 战略客户\r'


@tagged("post_install", "-at_install")
class TestBulkWrite(TransactionCase):
    """The engines' bulk UPDATE gives the same stored values whichever way
    the rows travel: array parameters for small batches, COPY for big ones."""

    def _rows(self, records, values):
        return [
            (record.id, *values[index % len(values)])
            for index, record in enumerate(records)
        ]

    def _write_and_read(self, records, columns, rows, copy_min_rows):
        # Read first: the cache must not keep the values from before.
        records.mapped(next(iter(columns)))
        with patch.object(bulk_write, "COPY_MIN_ROWS", copy_min_rows):
            bulk_write.write_columns(records, columns, rows)
        in_cache = [tuple(record[fname] for fname in columns) for record in records]
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE id = ANY(%s) ORDER BY id",
                SQL(", ").join(SQL.identifier(fname) for fname in columns),
                SQL.identifier(records._table),
                records.ids,
            )
        )
        return in_cache, self.env.cr.fetchall()

    def _write(self, copy_min_rows):
        partners = self.env["res.partner"].create(
            [{"name": f"Bulk {index}", "is_company": True} for index in range(4)]
        )
        scores = self.env["logistics.customer.score"].create(
            [{"partner_id": partner.id} for partner in partners]
        )
        partner_rows = self._rows(
            partners,
            [
                (AWKWARD_TEXT, 90, date(2027, 2, 28), True),
                (None, None, None, False),
                # An empty text stays empty, not NULL.
                ("", 7, None, False),
            ],
        )
        score_rows = self._rows(
            scores,
            [
                (
                    12.5,
                    json.dumps([{"metric": "on_time_rate", "note": AWKWARD_TEXT}]),
                    datetime(2026, 12, 7, 8, 30, 15),
                    True,
                ),
                (0.0, "[]", None, False),
            ],
        )
        partner_side = self._write_and_read(
            partners, PARTNER_COLUMNS, partner_rows, copy_min_rows
        )
        score_side = self._write_and_read(
            scores, SCORE_COLUMNS, score_rows, copy_min_rows
        )
        return partner_side, score_side

    def test_copy_and_arrays_store_the_same_values(self):
        arrays = self._write(copy_min_rows=1000)
        copied = self._write(copy_min_rows=1)
        self.assertEqual(copied, arrays)
        (partner_cache, partner_stored), (score_cache, score_stored) = copied
        self.assertEqual(partner_stored[0][0], AWKWARD_TEXT)
        self.assertEqual(score_stored[0][1][0]["note"], AWKWARD_TEXT)
        self.assertEqual(partner_cache[0][2], date(2027, 2, 28))
        self.assertEqual(partner_cache[1], (False, 0, False, False))
        self.assertEqual(score_cache[1][1:], ([], False, False))
        self.assertEqual(partner_stored[2][:2], ("", 7))
        # The temporary table goes with the statement, not with the
        # transaction: a second bulk write in it creates it again.
        self.assertEqual(self._write(copy_min_rows=1), copied)

    def test_insert_by_copy_and_arrays_store_the_same_values(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Insert {index}", "is_company": True} for index in range(4)]
        )
        Score = self.env["logistics.customer.score"]

        def insert(copy_min_rows):
            vals_list = [
                {
                    "partner_id": partner.id,
                    "tier_score": 12.5 * index,
                    "tier_breakdown": json.dumps([{"note": AWKWARD_TEXT}]),
                    "tier_computed_date": datetime(2026, 12, 7, 8, 30, 15),
                    "churn_alert": bool(index % 2),
                }
                for index, partner in enumerate(partners)
            ]
            with patch.object(bulk_write, "COPY_MIN_ROWS", copy_min_rows):
                scores = bulk_write.insert_rows(Score, vals_list)
            stored = [tuple(score[fname] for fname in vals_list[0]) for score in scores]
            self.env.cr.execute(
                SQL(
                    "SELECT tier_score, churn_alert FROM logistics_customer_score"
                    " WHERE id = ANY(%s) ORDER BY id",
                    scores.ids,
                )
            )
            in_table = self.env.cr.fetchall()
            scores.unlink()
            return stored, in_table

        arrays, in_table = insert(copy_min_rows=1000)
        self.assertEqual(insert(copy_min_rows=1), (arrays, in_table))
        # A zero and a False are values, not NULL.
        self.assertEqual(in_table[0], (0, False))
        self.assertEqual(arrays[1][2], [{"note": AWKWARD_TEXT}])
        self.assertEqual(
            arrays[3][1:],
            (37.5, [{"note": AWKWARD_TEXT}], datetime(2026, 12, 7, 8, 30, 15), True),
        )
