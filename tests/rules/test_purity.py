"""The rules and the message type stay pure: no Flask, no database, nothing of the app but each other."""
import ast
from pathlib import Path

import bdgtrain.rules

PURE_MODULES = sorted(Path(bdgtrain.rules.__file__).parent.glob("*.py")) + [
    Path(bdgtrain.rules.__file__).parent.parent / "messages.py"]
STANDARD = {"__future__", "bisect", "calendar", "collections", "dataclasses", "datetime", "functools", "itertools",
            "re", "typing", "unicodedata", "base64", "hashlib", "hmac", "zoneinfo", "html"}
# icalendar only formats values (rules/ical.py): no I/O, no app, like the standard library here.
ALLOWED = {"bdgtrain.rules", "bdgtrain.messages", "icalendar"}


def _imports(path: Path):
    """Absolute names of what a module imports (relative imports resolved)."""
    package = ["bdgtrain", "rules"] if path.parent.name == "rules" else ["bdgtrain"]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            yield ".".join(base + ([node.module] if node.module else []))
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_rules_and_messages_import_only_the_standard_library_and_each_other():
    assert len(PURE_MODULES) > 2
    for path in PURE_MODULES:
        for name in _imports(path):
            assert name.split(".")[0] in STANDARD or any(name == a or name.startswith(a + ".") for a in ALLOWED), \
                f"{path.name} imports {name}"
