"""One form of address to participants (issue 21): "Anh/Chị" on every page, mail and form a participant
reads; never "bạn", "Ông/Bà" or a lower-case "anh/chị". Staff pages may say "bạn" to their user. The
certificate itself is an official paper and keeps "Ông/Bà" (services/certificates/certificate_documents.py)."""
from __future__ import annotations

import re

import pytest

from tests.conftest import PROJECT_ROOT

# What a participant opens: her ticket and room check-in, the kiosk she scans, the feedback and quiz
# forms, her calendar page, the invitation and reminder mails, the privacy notice, her certificate page.
PARTICIPANT_FACING = [
    "templates/checkin/ticket.html",
    "templates/checkin/room.html",
    "templates/checkin/kiosk.html",
    "templates/checkin/_result.html",
    "templates/feedback/form.html",
    "templates/feedback/quiz.html",
    "templates/feedback/_quiz_fields.html",
    "templates/feedback/thanks.html",
    "templates/calendar/mine.html",
    "templates/mail/message.txt",
    "templates/mail/message.html",
    "templates/mail/completion_warning.txt",
    "templates/_privacy_notice.html",
    "templates/certificates/print.html",
    "bdgtrain/services/feedback/feedback.py",
    "bdgtrain/services/calendar/calendar_content.py",
    "bdgtrain/rules/feedback.py",
]

OTHER_ADDRESS = re.compile(r"\b(?:[Bb]ạn|Ông/Bà|ông/bà|anh/chị|Anh/chị|anh/Chị|quý vị|Quý vị)\b")


@pytest.mark.parametrize("path", PARTICIPANT_FACING)
def test_participants_are_addressed_as_anh_chi(path):
    text = (PROJECT_ROOT / path).read_text(encoding="utf-8")
    found = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1) if OTHER_ADDRESS.search(line)]
    assert not found, f"{path}: address a participant as \"Anh/Chị\": {found}"


def test_the_scan_can_fail():
    assert OTHER_ADDRESS.search("Giấy mời của bạn") and OTHER_ADDRESS.search("kính mời Ông/Bà")
    assert not OTHER_ADDRESS.search("Giấy mời của Anh/Chị")


def test_participant_pages_do_say_anh_chi():
    """The list above is not empty of meaning: the main pages do address her."""
    for path in ("templates/checkin/ticket.html", "templates/feedback/form.html", "templates/mail/message.txt"):
        assert "Anh/Chị" in (PROJECT_ROOT / path).read_text(encoding="utf-8"), path
