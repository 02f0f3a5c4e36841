"""Vendored static assets match their manifest, and templates stay compatible with a strict CSP.

Two vendor folders follow the same rules: `static/vendor/` (served by the app) and
`tests/browser/vendor/` (injected by the browser tests only, e.g. axe-core).
These tests read files only; they need neither the app nor a database.
"""
import hashlib
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor"
TEST_VENDOR = ROOT / "tests" / "browser" / "vendor"
VENDOR_DIRS = [VENDOR, TEST_VENDOR]
VENDOR_IDS = ["static", "tests-browser"]
TEMPLATES = ROOT / "templates"
MANIFEST_FILES = {"README.md", "vendor.json"}


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(folder):
    return json.loads((folder / "vendor.json").read_text(encoding="utf-8"))


def _listed_paths(folder):
    return [entry["path"] for package in _manifest(folder) for entry in package["files"]]


@pytest.mark.parametrize("folder", VENDOR_DIRS, ids=VENDOR_IDS)
def test_manifest_entries_are_complete(folder):
    for package in _manifest(folder):
        for key in ("package", "version", "license", "files"):
            assert package.get(key), f"{package.get('package')}: missing {key!r}"
        for entry in package["files"]:
            assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]), entry
            assert ".." not in Path(entry["path"]).parts, entry


@pytest.mark.parametrize("folder", VENDOR_DIRS, ids=VENDOR_IDS)
def test_every_listed_file_exists_with_its_recorded_sha256(folder):
    for package in _manifest(folder):
        for entry in package["files"]:
            path = folder / entry["path"]
            assert path.is_file(), f"{package['package']}: {entry['path']} is missing"
            assert _sha256(path) == entry["sha256"], (
                f"{package['package']} {package['version']}: {entry['path']} differs from vendor.json"
            )


@pytest.mark.parametrize("folder", VENDOR_DIRS, ids=VENDOR_IDS)
def test_every_vendored_file_is_listed(folder):
    on_disk = {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.relative_to(folder).as_posix() not in MANIFEST_FILES
    }
    listed = _listed_paths(folder)
    assert len(listed) == len(set(listed)), "a file is listed twice in vendor.json"
    assert on_disk - set(listed) == set(), f"files under {folder} missing from vendor.json"


@pytest.mark.parametrize("folder", VENDOR_DIRS, ids=VENDOR_IDS)
def test_readme_names_every_package_version_and_hash(folder):
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for package in _manifest(folder):
        assert package["package"] in readme
        assert package["version"] in readme
        assert package["license"] in readme
        for entry in package["files"]:
            assert entry["sha256"] in readme, f"README.md lacks the sha256 of {entry['path']}"


def test_the_accessibility_check_has_its_axe_core():
    """The browser tests' axe-core is vendored with its licence (MPL-2.0 asks the licence to travel)."""
    names = {entry["path"] for package in _manifest(TEST_VENDOR) if package["package"] == "axe-core"
             for entry in package["files"]}
    assert {"axe-core/axe.min.js", "axe-core/LICENSE"} <= names


# --- Templates under a strict Content-Security-Policy ------------------------------------------

JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
HTML_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
HANDLER_ATTR = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)
# Keyword arguments inside Jinja calls, e.g. {{ form.name(style="...") }} or onclick=...
JINJA_EXPR = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
JINJA_KWARG = re.compile(r"[(,]\s*(style|on[a-z]+)\s*=", re.I)


def _templates():
    return sorted(p for p in TEMPLATES.rglob("*")
                  if p.is_file() and p.suffix in {".html", ".htm", ".j2", ".txt", ".xml"})


def _source(path):
    return JINJA_COMMENT.sub("", path.read_text(encoding="utf-8"))


TEMPLATE_IDS = [p.relative_to(TEMPLATES).as_posix() for p in _templates()]


@pytest.mark.parametrize("path", _templates(), ids=TEMPLATE_IDS)
def test_template_has_no_inline_script(path):
    for attrs, body in SCRIPT.findall(_source(path)):
        assert not body.strip(), f"{path.name}: inline <script> body; move it to static/js/"
        assert re.search(r"\bsrc\s*=", attrs), f"{path.name}: <script> without src"


@pytest.mark.parametrize("path", _templates(), ids=TEMPLATE_IDS)
def test_template_has_no_inline_style(path):
    source = _source(path)
    assert not re.search(r"<style\b", source, re.I), f"{path.name}: <style> element; use static/css/app.css"
    for tag in HTML_TAG.findall(source):
        assert not STYLE_ATTR.search(tag), f"{path.name}: style= attribute in {tag!r}"
    for expr in JINJA_EXPR.findall(source):
        match = JINJA_KWARG.search(expr)
        assert not (match and match.group(1).lower() == "style"), f"{path.name}: style= passed in {expr!r}"


@pytest.mark.parametrize("path", _templates(), ids=TEMPLATE_IDS)
def test_template_has_no_event_handler_attributes(path):
    source = _source(path)
    for tag in HTML_TAG.findall(source):
        assert not HANDLER_ATTR.search(tag), f"{path.name}: on...= handler in {tag!r}"
        assert not JS_URL.search(tag), f"{path.name}: javascript: URL in {tag!r}"
    for expr in JINJA_EXPR.findall(source):
        match = JINJA_KWARG.search(expr)
        assert not (match and match.group(1).lower() != "style"), f"{path.name}: handler passed in {expr!r}"


def test_the_csp_checks_catch_what_they_should():
    """The regexes above, tried on small samples so that a broken pattern cannot pass silently."""
    bad_tags = ['<div style="color:red">', "<a href=x onclick='go()'>", '<body onload="x()">']
    good_tags = ['<a href="one=two">', '<input name="online" data-style="x">', '<a class="button">']
    assert all(STYLE_ATTR.search(t) or HANDLER_ATTR.search(t) for t in bad_tags)
    assert not any(STYLE_ATTR.search(t) or HANDLER_ATTR.search(t) for t in good_tags)
    assert SCRIPT.findall("<script>alert(1)</script>") == [("", "alert(1)")]
    assert JINJA_KWARG.search('{{ f(class_="x", onchange="go()") }}')
    assert not JINJA_KWARG.search("{% set one = 1 %}")
    assert JS_URL.search('<a href="javascript:void(0)">')
