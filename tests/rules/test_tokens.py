"""Signed tokens: any change to a ticket is refused; room codes expire after two rotations."""
from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from bdgtrain.rules import tokens

KEY = b"k" * 32
IDS = st.integers(min_value=1, max_value=256 ** 5 - 1)
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@given(IDS)
def test_ticket_round_trips(record_id):
    token = tokens.sign(KEY, "ticket", record_id)
    assert len(token) == 24 and set(token) <= set(ALPHABET)
    assert tokens.read(KEY, "ticket", token) == record_id
    assert tokens.read(KEY, "ticket", token.lower()) == record_id


@given(IDS, st.integers(min_value=0, max_value=23), st.sampled_from(ALPHABET))
def test_any_changed_character_is_refused(record_id, position, replacement):
    token = tokens.sign(KEY, "ticket", record_id)
    altered = token[:position] + replacement + token[position + 1:]
    if altered != token:
        assert tokens.read(KEY, "ticket", altered) is None


@given(IDS, st.integers(min_value=1, max_value=23))
def test_truncated_or_extended_token_is_refused(record_id, cut):
    token = tokens.sign(KEY, "ticket", record_id)
    assert tokens.read(KEY, "ticket", token[:cut]) is None
    assert tokens.read(KEY, "ticket", token + "A") is None


@given(IDS)
def test_token_of_another_purpose_or_key_is_refused(record_id):
    token = tokens.sign(KEY, "ticket", record_id)
    assert tokens.read(KEY, "room", token) is None
    assert tokens.read(b"x" * 32, "ticket", token) is None


@given(st.text(max_size=60))
def test_arbitrary_text_never_crashes_and_is_refused(text):
    assert tokens.read(KEY, "ticket", text) is None


def test_token_in_reads_urls_and_bare_tokens():
    token = tokens.sign(KEY, "ticket", 42)
    assert tokens.token_in(f"HTTPS://HALL.LOCAL:5443/T/{token}") == token
    assert tokens.token_in(f"https://hall.local/t/{token.lower()}/?utm=x") == token.lower()
    assert tokens.token_in(f"  {token}\n") == token
    assert tokens.token_in("") is None and tokens.token_in(None) is None


def test_digest_ignores_case_and_differs_per_token():
    a, b = tokens.sign(KEY, "ticket", 1), tokens.sign(KEY, "ticket", 2)
    assert tokens.digest(a) == tokens.digest(a.lower()) != tokens.digest(b)


SHOWN = datetime(2026, 11, 23, 1, 0, 0, tzinfo=timezone.utc)


def test_room_code_is_six_digits_and_changes_with_the_step():
    step = tokens.room_step(SHOWN, 20)
    codes = {tokens.room_code(KEY, 7, s) for s in range(step, step + 50)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 45


def test_room_code_is_good_for_two_rotations_then_refused():
    code = tokens.room_code(KEY, 7, tokens.room_step(SHOWN, 20))
    for seconds, fresh in [(0, True), (19, True), (20, True), (59, True), (60, False), (3600, False)]:
        at = SHOWN + timedelta(seconds=seconds)
        assert tokens.room_code_is_fresh(KEY, 7, code, at, 20) is fresh, seconds


def test_room_code_of_another_room_or_garbage_is_refused():
    code = tokens.room_code(KEY, 7, tokens.room_step(SHOWN, 20))
    assert not tokens.room_code_is_fresh(KEY, 8, code, SHOWN, 20)
    for garbage in ("", "12345", "1234567", "abcdef", None, "١٢٣٤٥٦"):
        assert not tokens.room_code_is_fresh(KEY, 7, garbage, SHOWN, 20)
