"""Turning marked messages into plain text in the reader's language.

Three kinds of message reach the web layer and the CLI: plain `str` (already translated, or data),
Flask-Babel's lazy strings (`_l(...)`, translated when turned into text) and the pure code's
`Message` (Vietnamese text that remembers its template). `translate` turns each into a plain `str`
in the current locale: Vietnamese outside a request, as the CLI prints. Lazy strings must not reach
a template as they are: their `__html__` skips escaping, and a message may quote what a user typed.
"""
from __future__ import annotations

from typing import Any

from flask_babel import get_translations
from flask_babel.speaklater import LazyString

from .messages import Message


def translate(value: Any) -> Any:
    """A Message or lazy string as plain text in the current language; anything else unchanged."""
    if isinstance(value, Message):
        translations = get_translations()
        if value.plural is not None:
            text = translations.ungettext(value.template, value.plural, value.num)
        else:
            text = translations.ugettext(value.template)
        if not value.params:
            return text  # formatted only when there are parameters, as gettext and Message do
        return text % {name: translate(param) for name, param in value.params.items()}
    if isinstance(value, LazyString):
        return str(value)
    return value
