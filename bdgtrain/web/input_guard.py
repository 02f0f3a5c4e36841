"""Refusals of input that no page or API call can mean, before any view sees it.

A NUL byte in a form field, a query string, a JSON string or a path cannot be stored by PostgreSQL
("text fields cannot contain NUL"), so it would end in a server error on one database and be stored
on the other; a lone UTF-16 surrogate in a JSON string ("\\ud800") cannot be encoded at all (a server
error on both); JSON nested deeper than Python's recursion limit would crash the JSON reader. All
answer 400 with a Vietnamese message, whatever the route (routes added later included).
"""
from __future__ import annotations

from flask import abort, request
from flask_babel import lazy_gettext as _l

from ..errors import DomainError

MAX_JSON_DEPTH = 64


def _has_nul(value) -> bool:
    return isinstance(value, str) and "\x00" in value


def _has_lone_surrogate(value) -> bool:
    """A JSON "\\ud800" escape without its pair: no UTF-8 encodes it, so no database stores it and no
    answer can carry it back (it was a server error wherever it reached a write or a JSON answer)."""
    return isinstance(value, str) and any("\ud800" <= c <= "\udfff" for c in value)


def _unstorable(value) -> bool:
    return _has_nul(value) or _has_lone_surrogate(value)


def _json_is_bad(body) -> bool:
    """A NUL or a lone surrogate in any key or string, or nesting deeper than any of our documents
    (iterative: no recursion)."""
    stack = [(body, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return True
        if isinstance(value, dict):
            for key, item in value.items():
                if _unstorable(key):
                    return True
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif _unstorable(value):
            return True
    return False


def refuse_unstorable_input():
    if "\x00" in request.path or "%00" in request.query_string.decode("latin-1"):
        abort(400)
    if any(_has_nul(v) for values in request.args.listvalues() for v in values):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            try:
                body = request.get_json(silent=True)
            except RecursionError:
                abort(400)
            if _json_is_bad(body):
                raise DomainError("bad_request", _l("Nội dung JSON có ký tự không hợp lệ (ký tự NUL hoặc nửa cặp "
                                                    "UTF-16 như \\ud800) hoặc lồng nhau quá sâu."))
        elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            if any(_has_nul(k) or _has_nul(v) for k, values in request.form.lists() for v in values):
                abort(400)
            if any(_has_nul(f.filename) for f in request.files.values()):
                abort(400)
    return None
