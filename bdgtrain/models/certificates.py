"""Certificates of completion (giấy chứng nhận): issued to who completed a class, revocable, re-issuable.

A certificate is never deleted or edited after issue: revoking stamps it (when, who, why) and a
re-issue is a new row that names the one it replaces, so a revoked certificate shown at an
appointment still reads "revoked" on the verification page. The paper says what was chosen when it was
issued (issue 19): the issue day, the place and the signer; certificates issued before carry none of these
(NULL) and print the local day of `issued_at`, without a signature block.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .base import UTCDateTime, utcnow
from .people import Enrolment


class Certificate(db.Model):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    number: Mapped[str] = mapped_column(String(80), unique=True)  # "HT-2019/LOP-3/001", printed on it
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    issued_on: Mapped[date | None]  # the day printed on it ("Hà Tĩnh, ngày 16 tháng 7 năm 2019")
    place: Mapped[str | None] = mapped_column(String(120))
    signer_authority: Mapped[str | None] = mapped_column(String(120))  # "KT. GIÁM ĐỐC"; "" when none
    signer_title: Mapped[str | None] = mapped_column(String(120))
    signer_name: Mapped[str | None] = mapped_column(String(120))

    enrolment: Mapped[Enrolment] = relationship()
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    replaces: Mapped[Certificate | None] = relationship(remote_side=[id], foreign_keys=[replaces_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
