"""Build each addon's README.rst from its readme/ fragments, in OCA's layout.

`python3 scripts/gen_readme.py` writes them; `--check` exits 1 when one is stale.
"""

import argparse
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("logistics_crm", "logistics_crm_portal")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]+)\)")
# OCA's fragment order and section titles.
SECTIONS = (
    ("DESCRIPTION.md", None),
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("HISTORY.md", "Changelog"),
)


def _heading(title, char):
    return f"{title}\n{char * len(title)}\n"


def _indent(line):
    return len(line) - len(line.lstrip())


def _markdown_to_rst(text):
    """Convert the small Markdown subset fragments use: paragraphs, "- "
    lists, *em*, `code`, images alone on their line, and indented code
    blocks after a line ending in ":".
    """
    lines = text.strip().splitlines()
    out = []
    code_indent = None  # indentation of the line that opened a code block
    for number, line in enumerate(lines):
        if code_indent is not None and line.strip() and _indent(line) <= code_indent:
            code_indent = None
        image = IMAGE.fullmatch(line.strip()) if code_indent is None else None
        if image:
            out.append(f".. image:: {image['path']}\n   :alt: {image['alt']}\n")
            continue
        if code_indent is None:
            line = line.replace("`", "``")
            following = next((n for n in lines[number + 1 :] if n.strip()), "")
            if line.endswith(":") and _indent(following) >= _indent(line) + 4:
                line += ":"
                code_indent = _indent(line)
        out.append(line)
    return "\n".join(out) + "\n"


def render(addon):
    manifest = ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())
    readme = ROOT / addon / "readme"
    title = manifest["name"]
    parts = [
        "=" * len(title) + "\n" + title + "\n" + "=" * len(title) + "\n",
        f"|license| ``{manifest['version']}``\n",
        ".. |license| image:: https://img.shields.io/badge/licence-LGPL--3-blue.png\n"
        "    :target: http://www.gnu.org/licenses/lgpl-3.0-standalone.html\n"
        "    :alt: License: LGPL-3\n",
    ]
    for fragment, section in SECTIONS:
        path = readme / fragment
        if not path.is_file():
            continue
        if section:
            parts.append(_heading(section, "="))
        parts.append(_markdown_to_rst(path.read_text()))
    parts.append(_heading("Credits", "="))
    parts.append(_heading("Authors", "-") + f"\n- {manifest['author']}\n")
    contributors = readme / "CONTRIBUTORS.md"
    if contributors.is_file():
        parts.append(_heading("Contributors", "-") + "\n" + contributors.read_text())
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    stale = []
    for addon in ADDONS:
        target = ROOT / addon / "README.rst"
        content = render(addon)
        if args.check:
            if not target.is_file() or target.read_text() != content:
                stale.append(str(target.relative_to(ROOT)))
        else:
            target.write_text(content)
    if stale:
        sys.exit(f"error: stale {', '.join(stale)}: run python3 scripts/gen_readme.py")


if __name__ == "__main__":
    main()
