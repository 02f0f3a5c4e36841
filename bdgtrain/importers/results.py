"""What reading a list gives back: the rows, the problems, the columns, and the one error that refuses a file."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class ReadError(Exception):
    """The whole file is refused and nothing is read: a stable `code` and a Vietnamese `message`
    (a Message, which the web layer translates).

    Codes: file.too_large, file.not_spreadsheet, file.encrypted, file.text_encoding, file.empty,
    file.no_header, file.legacy_encoding_unsure.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"ReadError({self.code!r}, {self.message!r})"


@dataclass(frozen=True)
class ColumnInfo:
    index: int   # 0-based column position
    letter: str  # as Excel names it: A, B, ..., AA
    header: str  # as written in the file (two-level headers: "Năm sinh (Nữ)")
    field: str | None  # None: a column the reader does not use


@dataclass(frozen=True)
class RowProblem:
    row: int      # the spreadsheet's own row number (1-based, as Excel shows it)
    column: str   # the header as written in the file, or the column letter
    message: str  # Vietnamese, for the person who fixes the file (a Message: the web layer translates it)


@dataclass(slots=True)
class PersonRow:
    row: int
    full_name: str
    sex: str | None = None  # "F" or "M"
    birth_date: date | None = None
    birth_year: int | None = None  # also set when birth_date is known
    ethnicity: str | None = None
    position: str | None = None
    unit_name: str | None = None
    phone: str | None = None  # digits, starting with 0
    email: str | None = None
    id_number: str | None = None  # CCCD (12 digits) or CMND (9 digits)
    note: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class ReadResult:
    rows: list[PersonRow]
    problems: list[RowProblem]  # any problem means the service refuses the whole file
    columns: list[ColumnInfo]
    header_row: int  # spreadsheet row number of the (last) header row
    sheet: str | None  # None for CSV
    notes: list[str] = field(default_factory=list)  # Vietnamese Messages, for the preview
