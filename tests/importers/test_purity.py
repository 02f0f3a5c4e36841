"""The reader stays pure: services and the CLI call it without an app, a request or a database."""
import ast
from pathlib import Path

import bdgtrain.importers

ALLOWED = {"python_calamine", "openpyxl", "xlrd", "bdgtrain.rules", "bdgtrain.messages"}
STANDARD = {"__future__", "zlib", "codecs", "collections", "contextlib", "csv", "dataclasses", "datetime", "gc", "io",
            "re", "struct", "typing", "unicodedata", "xml", "zipfile"}


def test_importers_import_only_the_standard_library_spreadsheet_libraries_and_rules():
    folder = Path(bdgtrain.importers.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                continue  # within the package
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                top = name.split(".")[0]
                assert top in STANDARD or any(name == a or name.startswith(a + ".") for a in ALLOWED), \
                    f"{path.name} imports {name}"
