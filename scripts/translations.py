"""Find every user-visible string marked with _() or N_() in app/, and report what nl.json lacks.

    python scripts/translations.py            # list missing Dutch translations as JSON
    python scripts/translations.py --unused   # catalog entries no code uses any more

The test suite uses `extract()` to make sure the Dutch UI has no English holes.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "resources" / "translations" / "nl.json"  # plus resources/translations/nl/*.json
MARKERS = {"_", "N_"}


def extract(root: Path = ROOT / "app") -> dict[str, str]:
    """Map each marked source string to the first place it appears."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in MARKERS and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from app.i18n import load_catalog

    catalog = load_catalog(CATALOG.parent, "nl")
    marked = extract()
    if "--unused" in argv:
        print(json.dumps(sorted(set(catalog) - set(marked)), indent=2, ensure_ascii=False))
        return 0
    missing = {text: "" for text in marked if text not in catalog}
    print(json.dumps(missing, indent=2, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
