"""Find every user-visible string marked with _(), N_() or n_() in app/, and report what nl.json lacks.

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
PLURAL_MARKER = "n_"  # n_(count, "one", "other"): both forms are marked


def extract(root: Path = ROOT / "app") -> dict[str, str]:
    """Map each marked source string to the first place it appears."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = (node.args[:1] if node.func.id in MARKERS
                     else node.args[1:3] if node.func.id == PLURAL_MARKER else [])
            for arg in texts:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, f"{path.relative_to(ROOT)}:{node.lineno}")
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
