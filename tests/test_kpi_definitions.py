"""Each KPI is defined once: the report fields' help and the readme both
carry the formula from the single definition."""

import re
from pathlib import Path

from odoo.tests import TransactionCase, tagged

from odoo.addons.logistics_crm.models.logistics_kpi import KPI_DEFINITIONS

README = Path(__file__).resolve().parent.parent / "logistics_crm" / "README.rst"


def _words(text):
    return re.sub(r"\s+", " ", text).strip()


@tagged("post_install", "-at_install")
class TestKpiDefinitions(TransactionCase):
    def test_readme_states_every_formula(self):
        readme = _words(README.read_text())
        for code, (_label, formula) in KPI_DEFINITIONS.items():
            with self.subTest(kpi=code):
                self.assertIn(_words(formula), readme)

    def test_report_fields_explain_their_formula(self):
        explained = self.env["logistics.kpi.workbook"]._kpi_fields()
        self.assertEqual(set(explained), set(KPI_DEFINITIONS))
        for code, field in explained.items():
            with self.subTest(kpi=code):
                self.assertIn(KPI_DEFINITIONS[code][1], field.help)
