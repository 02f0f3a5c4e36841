"""WTForms' own messages (a length, a choice, a number that is not one) reach the user in her language:
WTForms ships no Vietnamese, so translations/vi/LC_MESSAGES/wtforms.po supplies it."""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from wtforms.i18n import messages_path

from tests.conftest import PROJECT_ROOT
from tests.web.test_translations import switch_language

CATALOGUE = PROJECT_ROOT / "translations" / "vi" / "LC_MESSAGES" / "wtforms.po"
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]")


def _entries(path: Path) -> dict:
    with path.open("rb") as handle:
        return {message.id: message.string for message in read_po(handle) if message.id}


def test_every_wtforms_message_has_a_vietnamese_text_with_the_same_placeholders():
    wtforms = _entries(Path(messages_path()) / "wtforms.pot")
    ours = _entries(CATALOGUE)
    assert set(wtforms) <= set(ours), "untranslated: " + ", ".join(map(str, set(wtforms) - set(ours)))
    for msgid in wtforms:
        english = msgid if isinstance(msgid, str) else msgid[0]
        texts = ours[msgid] if isinstance(ours[msgid], tuple) else (ours[msgid],)
        for text in texts:
            assert text and text != english, msgid
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(english)), msgid


def _too_long_login(web):
    return web.post("/login", {"email": "a" * 300 + "@ha-tinh.gov.vn", "password": "mat-khau"}, token_page="/login")


def test_a_built_in_validator_answers_in_vietnamese(app, web):
    response = _too_long_login(web)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Không được dài quá 255 ký tự." in page and "Field cannot be longer" not in page


def test_a_built_in_validator_answers_in_english_after_switching(app, web):
    switch_language(web, "en")
    page = _too_long_login(web).get_data(as_text=True)
    assert "Field cannot be longer than 255 characters." in page and "Không được dài quá" not in page
