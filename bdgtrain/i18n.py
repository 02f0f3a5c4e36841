"""Turning marked messages into plain text in the reader's language.

Three kinds of message reach the web layer and the CLI: plain `str` (already translated, or data),
Flask-Babel's lazy strings (`_l(...)`, translated when turned into text) and the pure code's
`Message` (Vietnamese text that remembers its template). `translate` turns each into a plain `str`
in the current locale: Vietnamese outside a request, as the CLI prints. Lazy strings must not reach
a template as they are: their `__html__` skips escaping, and a message may quote what a user typed.
"""
from __future__ import annotations

from typing import Any

from flask_babel import Domain, _get_current_context, get_translations  # the second: its request state (4.0, pinned)
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


class RequestDomain(Domain):
    """Flask-Babel's message domain, with the request's catalogue looked up once per request.

    Flask-Babel finds the catalogue anew for every message: three lookups of its request state through
    `g`, the locale turned into its name, a dictionary lookup (about 6 µs; a page of 50 audit events
    translates some 350 labels). Here the catalogue found is kept in that request state beside the
    locale it was found for, so `force_locale` (which sets another locale) and `refresh` (which drops
    it) are seen at the next message. Outside a request, Flask-Babel's own answer.
    """

    def get_translations(self):
        state = _get_current_context()
        if state is None:
            return super().get_translations()
        kept = getattr(state, _KEPT, None)
        locale = getattr(state, "babel_locale", None)
        if kept is not None and locale is not None and kept[0] is locale:
            return kept[1]
        translations = super().get_translations()  # also settles state.babel_locale
        setattr(state, _KEPT, (getattr(state, "babel_locale", None), translations))
        return translations


_KEPT = "bdgtrain_translations"  # in Flask-Babel's request state: (locale, its catalogue)
