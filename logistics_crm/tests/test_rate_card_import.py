import base64
import io

import xlsxwriter

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LogisticsCrmCase

HEADER = [
    "Origin_Country",
    "origin_state",
    "origin_city",
    "origin_port",
    "DESTINATION_COUNTRY",
    "destination_state",
    "destination_city",
    "destination_port",
    "basis",
    "break_kg",
    "container_type",
    "rate",
    "minimum_charge",
    "transit_days",
]


def _xlsx(rows, header=None):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    for row_index, values in enumerate([header or HEADER, *rows]):
        for col_index, value in enumerate(values):
            if value is not None:
                sheet.write(row_index, col_index, value)
    workbook.close()
    return base64.b64encode(buffer.getvalue())


def _row(origin="CN", destination="NL", basis="kg", rate=4.5, **values):
    row = dict.fromkeys(HEADER)
    row.update(
        {
            "Origin_Country": origin,
            "DESTINATION_COUNTRY": destination,
            "basis": basis,
            "rate": rate,
        }
    )
    row.update(values)
    return [row[name] for name in HEADER]


@tagged("post_install", "-at_install")
class TestRateCardImport(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card = cls.env["logistics.rate.card"].create(
            {"name": "Asia-Europe 2027", "mode": "sea_fcl"}
        )
        cls.Line = cls.env["logistics.rate.card.line"]

    def _import(self, rows, header=None, **values):
        wizard = (
            self.env["logistics.rate.card.import"]
            .with_user(self.manager)
            .with_context(default_card_id=self.card.id)
            .create({"file": _xlsx(rows, header), "filename": "rates.xlsx", **values})
        )
        return wizard.action_import()

    def _lines(self):
        return self.Line.search([("card_id", "=", self.card.id)])

    def test_import_good_file(self):
        action = self.card.with_user(self.manager).action_import_lines()
        self.assertEqual(action["res_model"], "logistics.rate.card.import")
        result = self._import(
            [
                _row(
                    origin_city="Shanghai",
                    origin_port="cn sha",
                    break_kg=0,
                    rate=5,
                    minimum_charge=50,
                    transit_days=30,
                ),
                _row(break_kg=100, rate="4.25"),
                _row(
                    destination="us",
                    basis="Container",
                    container_type="40HC",
                    rate=2100,
                    break_kg=500,
                    destination_state="ca",
                    destination_city="Los Angeles",
                ),
                _row(basis="m3", rate=80),
            ]
        )
        self.assertEqual(result["params"]["type"], "success")
        lines = self._lines()
        self.assertEqual(len(lines), 4)
        cn, nl, us = (self.env.ref(f"base.{code}") for code in ("cn", "nl", "us"))
        first = lines.filtered(lambda line: line.origin_city == "Shanghai")
        self.assertRecordValues(
            first,
            [
                {
                    "origin_country_id": cn.id,
                    "origin_location_code": "CNSHA",
                    "destination_country_id": nl.id,
                    "rate_basis": "kg",
                    "min_weight_kg": 0.0,
                    "rate": 5.0,
                    "minimum_charge": 50.0,
                    "transit_time_days": 30.0,
                }
            ],
        )
        second = lines.filtered(lambda line: line.min_weight_kg == 100)
        self.assertEqual(second.rate, 4.25)
        container = lines.filtered(lambda line: line.rate_basis == "container")
        self.assertRecordValues(
            container,
            [
                {
                    "destination_country_id": us.id,
                    "destination_state_id": self.env.ref("base.state_us_5").id,
                    "destination_city": "Los Angeles",
                    "container_type": "40hc",
                    "rate": 2100.0,
                    # A break means nothing on a per-container line.
                    "min_weight_kg": 0.0,
                }
            ],
        )
        self.assertEqual(lines.filtered(lambda line: line.rate_basis == "m3").rate, 80)

    def test_bad_row_imports_nothing(self):
        self.Line.create(
            {
                "card_id": self.card.id,
                "origin_country_id": self.env.ref("base.cn").id,
                "destination_country_id": self.env.ref("base.nl").id,
                "rate": 1.0,
            }
        )
        with self.assertRaises(UserError) as caught:
            self._import([_row(), _row(origin="XX"), _row(break_kg=45)])
        message = str(caught.exception)
        self.assertIn("Row 3", message)
        self.assertIn("XX", message)
        self.assertNotIn("Row 2", message)
        self.assertEqual(len(self._lines()), 1)

    def test_every_error_reported(self):
        with self.assertRaises(UserError) as caught:
            self._import(
                [
                    _row(rate=-1),
                    _row(basis="container"),
                    _row(basis="pallet"),
                    _row(rate=None),
                    _row(transit_days="soon"),
                    _row(destination_state="ZZ", destination="US"),
                ]
            )
        message = str(caught.exception)
        for row in range(2, 8):
            self.assertIn(f"Row {row}:", message)
        self.assertFalse(self._lines())

    def test_missing_column_refused(self):
        header = [name for name in HEADER if name != "rate"]
        with self.assertRaises(UserError) as caught:
            self._import([_row()[:-3] + _row()[-2:]], header=header)
        self.assertIn("rate", str(caught.exception))
        self.assertFalse(self._lines())

    def test_not_an_excel_file(self):
        wizard = self.env["logistics.rate.card.import"].create(
            {"card_id": self.card.id, "file": base64.b64encode(b"origin,rate\n")}
        )
        with self.assertRaises(UserError):
            wizard.action_import()

    def test_replace_lines(self):
        old = self.Line.create(
            {
                "card_id": self.card.id,
                "origin_country_id": self.env.ref("base.cn").id,
                "destination_country_id": self.env.ref("base.nl").id,
                "rate": 1.0,
            }
        )
        self._import([_row(rate=7)])
        self.assertEqual(len(self._lines()), 2, "Without replace, lines add up.")
        self._import([_row(rate=9), _row(break_kg=100, rate=8)], replace_lines=True)
        lines = self._lines()
        self.assertFalse(old.exists())
        self.assertEqual(sorted(lines.mapped("rate")), [8.0, 9.0])
