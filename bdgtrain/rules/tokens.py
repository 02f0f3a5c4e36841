"""Signed tokens for what a person can scan or subscribe to: tickets, rooms, room codes.

Pure: the deployment's key is passed in. A token is the record's id and a truncated HMAC-SHA256
over (purpose, id), written in RFC 4648 base32 without padding, so that a URL built from it can be
upper-cased and a QR code can use its compact alphanumeric mode. The purpose keeps a ticket from
being replayed as a room or a feed. Comparison is in constant time; anything that is not exactly
a token we signed (altered, truncated, padded, another purpose) reads as None.

Room codes rotate: the code shown at step `s` (time // period) is an HMAC over (room, s) cut to
six digits, short enough to type from the projector when a phone's camera fails. A code is good
while it is at most `ROOM_CODE_STEPS_ACCEPTED - 1` rotations old, judged at the moment of the
scan, so a photo sent home is useless by the time it arrives.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import datetime

MAC_BYTES = 10  # 80 bits: unguessable, and short enough for a small QR code at level M
_ID_BYTES = 5   # ids up to about a trillion
ROOM_CODE_DIGITS = 6
ROOM_CODE_STEPS_ACCEPTED = 3  # the current code and the two before it
_TOKEN_SHAPE = re.compile(r"[A-Z2-7]{24}")


def _mac(key: bytes, purpose: str, payload: bytes) -> bytes:
    return hmac.new(key, purpose.encode() + b"\x00" + payload, hashlib.sha256).digest()


def sign(key: bytes, purpose: str, record_id: int) -> str:
    """The token for `record_id` under `purpose`: 24 characters, A-Z and 2-7."""
    if not 0 < record_id < 256 ** _ID_BYTES:
        raise ValueError("record id out of range")
    payload = record_id.to_bytes(_ID_BYTES, "big")
    return base64.b32encode(payload + _mac(key, purpose, payload)[:MAC_BYTES]).decode()


def read(key: bytes, purpose: str, text: str | None) -> int | None:
    """The id a token was signed for, or None. Accepts lower case (some scanners lower URLs)."""
    if not isinstance(text, str):
        return None
    candidate = text.strip().upper()
    if not _TOKEN_SHAPE.fullmatch(candidate):
        return None
    raw = base64.b32decode(candidate)
    payload, mac = raw[:_ID_BYTES], raw[_ID_BYTES:]
    if not hmac.compare_digest(mac, _mac(key, purpose, payload)[:MAC_BYTES]):
        return None
    return int.from_bytes(payload, "big") or None


def token_in(text: str | None) -> str | None:
    """The token inside what a scanner read: the token itself or any URL ending in it."""
    if not isinstance(text, str):
        return None
    path = text.strip().split("#", 1)[0].split("?", 1)[0].rstrip("/")
    return path.rsplit("/", 1)[-1] or None


def digest(token: str) -> str:
    """What an offline scanner stores instead of the token: it can match a scan, not forge one."""
    return hashlib.sha256(token.strip().upper().encode()).hexdigest()


def room_step(at: datetime, period_seconds: int) -> int:
    return int(at.timestamp()) // period_seconds


def room_code(key: bytes, room_id: int, step: int) -> str:
    mac = _mac(key, "room-code", room_id.to_bytes(_ID_BYTES, "big") + step.to_bytes(8, "big", signed=True))
    return str(int.from_bytes(mac[:8], "big") % 10 ** ROOM_CODE_DIGITS).zfill(ROOM_CODE_DIGITS)


def room_code_is_fresh(key: bytes, room_id: int, code: str | None, scanned_at: datetime,
                       period_seconds: int) -> bool:
    """Whether `code` was on the kiosk's screen at most two rotations before `scanned_at`."""
    if not isinstance(code, str):
        return False
    code = code.strip().replace(" ", "")
    if not (len(code) == ROOM_CODE_DIGITS and code.isascii() and code.isdigit()):
        return False
    now = room_step(scanned_at, period_seconds)
    return any(hmac.compare_digest(code, room_code(key, room_id, now - age))
               for age in range(ROOM_CODE_STEPS_ACCEPTED))
