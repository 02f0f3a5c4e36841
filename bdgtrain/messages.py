"""Messages that pure code writes in Vietnamese and the web layer shows in the reader's language.

The rules and the spreadsheet reader may not import Flask, so they cannot call gettext. They return
a `Message` instead: a `str` holding the Vietnamese text (what the CLI prints, what tests compare,
what JSON carries) that also remembers its template and parameters, so that `bdgtrain.i18n.translate`
can look the template up in the catalogue at render time. `pybabel extract` knows both names as
keywords (see `make messages`), so every template written here reaches the catalogue.

    Message("Năm sinh %(year)s ở tương lai", year=2090)
    PluralMessage("%(num)s dòng", "%(num)s dòng", 3)
"""
from __future__ import annotations

from typing import Any


class Message(str):
    """Vietnamese text (`template % params`) that can be translated later."""

    template: str
    plural: str | None
    num: int | None
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Message:
        # gettext formats only when it is given parameters; so does a Message.
        self = super().__new__(cls, template % params if params else template)
        self.template, self.plural, self.num, self.params = template, None, None, params
        return self

    def __reduce__(self):  # copy, deepcopy (dataclasses.asdict) and pickle keep what was marked
        return _rebuild, (self.template, self.plural, self.num, self.params)


class PluralMessage(Message):
    """A message whose wording depends on a count (`num`), as ngettext chooses; `num` is a parameter too."""

    def __new__(cls, singular: str, plural: str, num: int, /, **params: Any) -> PluralMessage:
        params.setdefault("num", num)
        self = str.__new__(cls, (singular if num == 1 else plural) % params)
        self.template, self.plural, self.num, self.params = singular, plural, num, params
        return self


def _rebuild(template: str, plural: str | None, num: int | None, params: dict[str, Any]) -> Message:
    if plural is None:
        return Message(template, **params)
    return PluralMessage(template, plural, num, **params)


def listing(items) -> str:
    """Items joined with commas, as a Message whose items (and separator) are translated with it."""
    items = list(items)
    if not items:
        return ""
    joined = items[0]
    for item in items[1:]:
        # TRANSLATORS: one more item added to a list ("cấp tỉnh, cấp huyện"); keep both placeholders.
        joined = Message("%(items)s, %(item)s", items=joined, item=item)
    return joined
