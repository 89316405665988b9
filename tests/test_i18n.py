"""Both addons ship a current .pot and a complete Simplified Chinese catalogue."""

import io
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("logistics_crm", "logistics_crm_portal")


def _msgids(catalog):
    return {(entry.msgctxt, entry.msgid) for entry in catalog if not entry.obsolete}


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def _exported(self, module):
        buffer = io.BytesIO()
        trans_export(False, [module], buffer, "po", self.env)
        return polib.pofile(buffer.getvalue().decode())

    def test_pot_files_are_current(self):
        for module in MODULES:
            with self.subTest(module=module):
                pot = polib.pofile(str(ROOT / module / "i18n" / f"{module}.pot"))
                current = _msgids(self._exported(module))
                shipped = _msgids(pot)
                self.assertFalse(
                    current - shipped,
                    f"{module}.pot misses terms: re-export it (README, Development)",
                )
                self.assertFalse(shipped - current, f"{module}.pot has stale terms")

    def test_zh_cn_is_complete(self):
        for module in MODULES:
            with self.subTest(module=module):
                pot = polib.pofile(str(ROOT / module / "i18n" / f"{module}.pot"))
                po = polib.pofile(str(ROOT / module / "i18n" / "zh_CN.po"))
                translated = {
                    (entry.msgctxt, entry.msgid)
                    for entry in po
                    if entry.msgstr.strip()
                    and not entry.obsolete
                    and "fuzzy" not in entry.flags
                }
                missing = _msgids(pot) - translated
                self.assertFalse(
                    missing, f"{module}/i18n/zh_CN.po lacks {len(missing)} translations"
                )
                for entry in po:
                    # Placeholders must survive translation or formatting breaks.
                    for placeholder in ("%s", "%(", "%d"):
                        self.assertEqual(
                            entry.msgid.count(placeholder),
                            entry.msgstr.count(placeholder),
                            f"{module} zh_CN: placeholders differ in {entry.msgid!r}",
                        )
