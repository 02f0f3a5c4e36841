"""What an organisation's official documents say by default: header, place, signer, recipients.

Reports and certificates offer these when they are written (each field can be changed there) and
the command line uses them when it issues. The header of a document names the agency and its parent
as they were on the issue day (a unit renamed or moved later keeps its old header on old papers).
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...documents.model import Header, Signature
from ...errors import DomainError
from ...extensions import db
from ...models import DocumentSettings, Organisation, User
from ...rules.official_documents import header_name, recipient_lines
from ..core import audit
from .orgs import name_on, sorted_periods

FIELD_LIMITS = {"header_name": 255, "parent_header": 255, "number_suffix": 40, "place": 120,
                "signer_authority": 120, "signer_title": 120, "signer_name": 120, "recipients": 4000}


@dataclass(frozen=True)
class DocumentDefaults:
    header_name: str = ""
    parent_header: str = ""
    number_suffix: str = ""
    place: str = ""
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: str = ""  # one per line, as typed

    @property
    def has_signer(self) -> bool:
        return bool(self.signer_title.strip() and self.signer_name.strip())


def settings_of(org: Organisation) -> DocumentSettings | None:
    return db.session.scalar(select(DocumentSettings).where(DocumentSettings.organisation_id == org.id))


def document_defaults(org: Organisation) -> DocumentDefaults:
    """The organisation's saved defaults, or empty ones (the header then comes from its name)."""
    kept = settings_of(org)
    if kept is None:
        return DocumentDefaults()
    return DocumentDefaults(**{f.name: getattr(kept, f.name) or "" for f in fields(DocumentDefaults)})


def save_document_defaults(actor: User | None, org: Organisation, data: DocumentDefaults) -> DocumentSettings:
    """Keep the defaults; a title without a name (or the reverse) is refused, naming the field."""
    values = {f.name: " ".join(getattr(data, f.name).split()) if f.name != "recipients"
              else "\n".join(recipient_lines(data.recipients)) for f in fields(DocumentDefaults)}
    for name, limit in FIELD_LIMITS.items():
        if len(values[name]) > limit:
            raise DomainError("documents.too_long", _l("Nội dung quá dài (tối đa %(limit)s ký tự).", limit=limit),
                              field=name)
    if bool(values["signer_title"]) != bool(values["signer_name"]):
        missing = "signer_name" if values["signer_title"] else "signer_title"
        raise DomainError("documents.signer_incomplete",
                          _l("Hãy nhập cả chức vụ và họ tên người ký (hoặc để trống cả hai)."), field=missing)
    kept = settings_of(org)
    before = {name: getattr(kept, name) for name in values} if kept else None
    if kept is None:
        kept = DocumentSettings(organisation=org)
        db.session.add(kept)
    for name, value in values.items():
        setattr(kept, name, value)
    db.session.flush()
    audit.record(actor, "org.documents.saved", org, before=before, after=values, summary=org.code)
    return kept


def check_signer(title: str, name: str) -> None:
    """No official document leaves without a signer: both the title and the name, naming the missing one."""
    if not title.strip():
        raise DomainError("documents.signer_title_missing", _l("Hãy nhập chức vụ người ký."), field="signer_title")
    if not name.strip():
        raise DomainError("documents.signer_name_missing", _l("Hãy nhập họ tên người ký."), field="signer_name")


def signature_of(authority: str, title: str, name: str) -> Signature:
    return Signature(title=" ".join(title.split()).upper(), name=" ".join(name.split()),
                     authority=" ".join(authority.split()).upper())


def parent_on(org: Organisation, day: date) -> Organisation | None:
    """The unit's parent on `day` (dated periods; before the first: the first period's parent)."""
    periods = sorted_periods(org)
    if not periods:
        return org.parent
    parent = periods[0].parent
    for period in periods:
        if period.valid_from is not None and period.valid_from > day:
            break
        parent = period.parent
    return parent


def document_header(org: Organisation, number: str, place: str, issued_on: date) -> Header:
    """The header block of a document `org` issues on `issued_on`: its saved header names, else its name and
    its parent's of that day, without the roles kept in brackets."""
    defaults = document_defaults(org)
    issuing = defaults.header_name or header_name(name_on(org, issued_on))
    parent = defaults.parent_header
    if not parent:
        above = parent_on(org, issued_on)
        parent = header_name(name_on(above, issued_on)) if above is not None else ""
    return Header(issuing_body=issuing, number=number, place=place, issued_on=issued_on, parent_body=parent or None)
