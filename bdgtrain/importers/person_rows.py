"""Reading the rows below a list's header into people and problems, one pass that reports every
problem with the spreadsheet's own row number and the column's header.

Not people: blank rows, rows holding only a row number (templates numbered in advance), the row of
column numbers, group rows ("I", "II" or "A" in the row-number column, or a single cell "I. Huyện
Hương Sơn"; their label goes to extra["group"] of the people below), and everything from the footer
down: a row with no row number whose few cells are all footer words ("Người lập biểu", "KT. GIÁM
ĐỐC", "Hà Tĩnh, ngày ... tháng ... năm ...", "(Ký, ghi rõ họ tên)") or a "Tổng cộng" row, provided
no row that looks like a person comes after it (row_kinds.py tells the footer and group rows).

Pure: plain Python, no Flask, no database, no clock (`today` is given).
"""
from __future__ import annotations

from datetime import date

from bdgtrain.messages import Message, PluralMessage

from . import cells
from .headers import EXTRA_FIELDS, Header
from .results import PersonRow, ReadError, ReadResult, RowProblem
from .row_kinds import Footer, group_label, is_row_number
from .sources import CSV, Sheet

# Columns whose merged cells (one unit for several people) are filled down to every row they cover.
_FILLED_DOWN = {"ethnicity", "position", "unit", "position_unit", "note", "district", "commune",
                "hometown", "address", "education"}

_blank = cells.is_blank


def _fill_merged_down(sheet: Sheet, header: Header) -> None:
    filled = {column.index for column in header.columns if column.field in _FILLED_DOWN}
    rows = sheet.rows
    for (r0, c0), (r1, c1) in sheet.merged:
        if c0 == c1 and c0 in filled and r1 > r0 and r0 >= header.data_start:
            value = rows[r0][c0] if r0 < len(rows) else ""
            for r in range(r0 + 1, min(r1 + 1, len(rows))):
                rows[r][c0] = value


def read_rows(sheet: Sheet, header: Header, kind: str, today: date, notes: list[str]) -> ReadResult:
    """Every person below `header` until the footer, and every problem found on the way."""
    notes = notes + header.notes
    if header.numbering_row is not None:
        notes.append(Message("Bỏ qua dòng %(row)s: dòng đánh số cột.", row=header.numbering_row + 1))
    _fill_merged_down(sheet, header)
    reader = _RowReader(sheet, header, _Columns(header), _CellValues(today), zeros_may_be_lost=kind == CSV)
    reader.read_until_footer(notes)
    return reader.result(notes)


class _Columns:
    """Where each field is (a column index, or None when the list has no such column) and each column's title."""

    def __init__(self, header: Header):
        self.title = {column.index: column.header or column.letter for column in header.columns}
        index = {column.field: column.index for column in header.columns if column.field}
        self.name = header.name_columns[0]
        self.given = header.name_columns[1] if len(header.name_columns) > 1 else None
        self.stt = index.get("stt")
        self.used = sorted(c for f, c in index.items() if f != "stt")
        self.birth, self.male, self.female, self.sex = (index.get(f) for f in ("birth", "male", "female", "sex"))
        self.phone, self.id_number, self.email = index.get("phone"), index.get("id_number"), index.get("email")
        self.ethnicity, self.unit, self.note = index.get("ethnicity"), index.get("unit"), index.get("note")
        # "Chức vụ, đơn vị" in one column stands for the position when there is no column of its own.
        self.position = index["position"] if "position" in index else index.get("position_unit")
        self.extras = [(f, index[f]) for f in EXTRA_FIELDS if f in index]
        self.split = self.male if self.male is not None else self.female
        self.split_title = self.title[self.split].rsplit(" (", 1)[0] if self.split is not None else ""

    def problem_order(self) -> dict[str, int]:
        """Problems of a row are listed in the order of their columns."""
        order = {text: c for c, text in self.title.items()}
        if self.split is not None:
            order.setdefault(self.split_title, self.split)
        return order


class _CellValues:
    """Each distinct value parsed once: values repeat down a column (units, dates, "Nữ"). The caches also
    answer for blank cells, so the row reader needs no separate blank test; a name refused is not kept."""

    __slots__ = ("today", "births", "sexes", "texts", "propers", "names")

    def __init__(self, today: date):
        self.today = today
        self.births: dict = {"": (None, None, None)}
        self.sexes: dict = {"": (None, None)}
        self.texts: dict = {"": None}
        self.propers: dict = {"": None}
        self.names: dict = {}

    def birth(self, value) -> tuple:
        """(birth date, birth year, problem message)."""
        found = self.births.get(value)
        if found is None:
            if _blank(value):
                found = (None, None, None)
            else:
                try:
                    found = (*cells.birth(value, self.today), None)
                except cells.CellError as error:
                    found = (None, None, error.message)
            self.births[value] = found
        return found

    def sex(self, value) -> tuple:
        found = self.sexes[value] = (None, None) if _blank(value) else _sex_or_message(value)
        return found

    def text(self, value):
        found = self.texts[value] = None if _blank(value) else cells.text(value)
        return found

    def proper(self, value):
        found = self.propers[value] = None if _blank(value) else cells.proper(value)
        return found

    def name(self, value) -> str:
        found = self.names[value] = cells.full_name(value)
        return found


_SKIP, _FOOTER_STARTS, _PERSON = "skip", "footer", "person"


class _RowReader:
    """One pass over the rows below the header: which rows are people, and each person's checked cells.

    The steps run once a row (100,000 in a large list), so each unpacks the column indexes it needs
    from one tuple into locals, and the attributes are slots."""

    __slots__ = ("rows", "start", "last_header_row", "sheet_name", "header_columns", "columns", "values",
                 "zeros_may_be_lost", "stt_and_used", "name_columns", "sex_columns", "text_columns",
                 "contact_columns", "footer", "wide_rows", "people", "problems", "restored_phones", "restored_ids",
                 "group")

    def __init__(self, sheet: Sheet, header: Header, columns: _Columns, values: _CellValues, *,
                 zeros_may_be_lost: bool):
        self.rows, self.start, self.last_header_row = sheet.rows, header.data_start, header.last_row
        self.sheet_name = sheet.name
        self.header_columns = header.columns
        self.columns, self.values, self.zeros_may_be_lost = columns, values, zeros_may_be_lost
        self.stt_and_used = (columns.stt, columns.used)
        self.name_columns = (columns.name, columns.given)
        self.sex_columns = (columns.birth, columns.male, columns.female, columns.sex)
        self.text_columns = (columns.ethnicity, columns.position, columns.unit, columns.note, columns.extras)
        self.contact_columns = (columns.phone, columns.id_number, columns.email)
        self.footer = Footer(sheet.rows, header.data_start, columns.name, columns.stt, columns.used)
        # Group rows span many columns in one merged cell; no person's name does.
        self.wide_rows = {r0 for (r0, c0), (r1, c1) in sheet.merged
                          if c1 - c0 >= 2 and r0 == r1 and r0 >= header.data_start}
        self.people: list[PersonRow] = []
        self.problems: list[RowProblem] = []
        self.restored_phones: list[int] = []
        self.restored_ids: list[int] = []
        self.group: str | None = None

    def read_until_footer(self, notes: list[str]) -> None:
        rows, kind_of, read_person = self.rows, self._kind_of, self._read_person
        for r in range(self.start, len(rows)):
            row = rows[r]
            kind = kind_of(r, row)
            if kind is _PERSON:
                read_person(r + 1, row)
            elif kind is _FOOTER_STARTS:
                notes.append(Message("Dừng đọc ở dòng %(row)s: từ đây là phần cuối danh sách (tổng cộng, ký tên).",
                                     row=r + 1))
                break

    def _kind_of(self, r: int, row: list) -> str:
        """A person, a row to skip (blank, a row number only, a group row, whose label is kept), or the footer."""
        stt_c, used = self.stt_and_used
        only_stt = False
        for c in used:
            value = row[c]
            if value != "" and (type(value) is not str or value[0].isalnum() or not _blank(value)):
                break
        else:  # blank, or only a row number, or text in the row-number column only (a group label)
            if stt_c is None or type(row[stt_c]) is not str or _blank(row[stt_c]) or is_row_number(row[stt_c]):
                return _SKIP
            only_stt = True
        if stt_c is None or (type(row[stt_c]) is not float and not is_row_number(row[stt_c])):
            filled = [(c, value) for c, value in enumerate(row) if not _blank(value)]
            if self.footer.starts_at(r, [value for _, value in filled]):
                return _FOOTER_STARTS
            label = group_label(row, stt_c, filled, r in self.wide_rows)
            if label is not None:
                self.group = label
                return _SKIP
            if only_stt:
                return _SKIP
        return _PERSON

    def _read_person(self, number: int, row: list) -> None:
        ethnicity_c, position_c, unit_c, note_c, extras = self.text_columns  # locals: this runs once a row
        values = self.values
        name = self._full_name(number, row)
        sex, birth_date, birth_year = self._sex_and_birth(number, row)
        texts, read_text = values.texts, values.text
        ethnicity = position = unit = note = None
        if ethnicity_c is not None:
            value = row[ethnicity_c]
            ethnicity = values.propers[value] if value in values.propers else values.proper(value)
        if position_c is not None:
            value = row[position_c]
            position = texts[value] if value in texts else read_text(value)
        if unit_c is not None:
            value = row[unit_c]
            unit = texts[value] if value in texts else read_text(value)
        if note_c is not None:
            value = row[note_c]
            note = texts[value] if value in texts else read_text(value)
        phone, id_number, email = self._contacts(number, row)
        extra = {}
        for field, c in extras:
            value = row[c]
            found = texts[value] if value in texts else read_text(value)
            if found is not None:
                extra[field] = found
        if self.group is not None:
            extra["group"] = self.group
        if name:
            self.people.append(PersonRow(number, name, sex, birth_date, birth_year, ethnicity, position, unit,
                                         phone, email, id_number, note, extra))

    def _full_name(self, number: int, row: list) -> str:
        """Her name, from one column or from a family-name and a given-name column; "" with a problem if none."""
        name_c, given_c = self.name_columns
        value = row[name_c]
        if given_c is not None and not _blank(row[given_c]):
            value = f"{cells.shown(value) if not _blank(value) else ''} {cells.shown(row[given_c])}"
        names = self.values.names
        if value in names:  # most names were read before; a blank one never is kept
            return names[value]
        if value == "" or _blank(value):
            self.problems.append(RowProblem(number, self.columns.title[name_c], Message("Thiếu họ và tên")))
            return ""
        try:
            return self.values.name(value)
        except cells.CellError as error:
            self.problems.append(RowProblem(number, self.columns.title[name_c], error.message))
            return ""

    def _sex_and_birth(self, number: int, row: list) -> tuple:
        """(sex, birth date, birth year) from the birth column, the Nam/Nữ columns and the sex column."""
        birth_c, male_c, female_c, sex_c = self.sex_columns
        columns, values, problems = self.columns, self.values, self.problems
        sex = birth_date = birth_year = None
        if birth_c is not None:
            value = row[birth_c]
            birth_date, birth_year, message = values.births.get(value) or values.birth(value)
            if message:
                problems.append(RowProblem(number, columns.title[birth_c], message))
        if male_c is not None or female_c is not None:
            split = _split_sex_birth(row, number, male_c, female_c, columns.title, columns.split_title,
                                     values.birth, problems)
            if split is not None:
                sex = split[0]
                if birth_year is None:
                    birth_date, birth_year = split[1], split[2]
        if sex_c is not None:
            value = row[sex_c]
            found, message = values.sexes.get(value) or values.sex(value)
            if message:
                problems.append(RowProblem(number, columns.title[sex_c], message))
            elif sex and found and sex != found:
                problems.append(RowProblem(number, columns.title[sex_c], Message(
                    "Giới tính “%(value)s” không khớp với cột %(column)s đã ghi", value=cells.shown(value),
                    column=columns.split_title)))
            elif found:
                sex = found
        return sex, birth_date, birth_year

    def _contacts(self, number: int, row: list) -> tuple:
        """(phone, ID number, e-mail), noting the rows whose leading zero Excel lost and was put back."""
        phone_c, id_c, email_c = self.contact_columns
        phone = id_number = email = None
        if phone_c is not None and (value := row[phone_c]) != "":
            try:
                phone, restored = cells.phone(value)
                if restored:
                    self.restored_phones.append(number)
            except cells.CellError as error:
                if not _blank(value):
                    self.problems.append(RowProblem(number, self.columns.title[phone_c], error.message))
        if id_c is not None and (value := row[id_c]) != "":
            try:
                id_number, restored = cells.id_number(value, self.zeros_may_be_lost)
                if restored:
                    self.restored_ids.append(number)
            except cells.CellError as error:
                if not _blank(value):
                    self.problems.append(RowProblem(number, self.columns.title[id_c], error.message))
        if email_c is not None and (value := row[email_c]) != "":
            try:
                email = cells.email(value)
            except cells.CellError as error:
                if not _blank(value):
                    self.problems.append(RowProblem(number, self.columns.title[email_c], error.message))
        return phone, id_number, email

    def result(self, notes: list[str]) -> ReadResult:
        if not self.people and not self.problems:
            raise ReadError("file.empty", Message("Danh sách chưa có người nào: dưới dòng tiêu đề (dòng %(row)s) "
                                                  "không có dòng dữ liệu.", row=self.last_header_row + 1))
        order = self.columns.problem_order()
        self.problems.sort(key=lambda problem: (problem.row, order.get(problem.column, len(order))))
        if self.restored_phones:
            notes.append(PluralMessage(
                "Đã thêm số 0 đầu cho %(num)s số điện thoại bị Excel bỏ mất số 0 (%(rows)s).",
                "Đã thêm số 0 đầu cho %(num)s số điện thoại bị Excel bỏ mất số 0 (%(rows)s).",
                len(self.restored_phones), rows=_row_list(self.restored_phones)))
        if self.restored_ids:
            notes.append(PluralMessage(
                "Đã thêm số 0 đầu cho %(num)s số CCCD/CMND bị Excel bỏ mất số 0 (%(rows)s); hãy kiểm tra lại.",
                "Đã thêm số 0 đầu cho %(num)s số CCCD/CMND bị Excel bỏ mất số 0 (%(rows)s); hãy kiểm tra lại.",
                len(self.restored_ids), rows=_row_list(self.restored_ids)))
        return ReadResult(self.people, self.problems, self.header_columns, self.last_header_row + 1, self.sheet_name,
                          notes)


def _split_sex_birth(row, number, male_c, female_c, title, split_title, birth_of, problems):
    """Năm sinh written under Nam or Nữ: (sex, birth date, birth year) from the column filled, or None."""
    male = row[male_c] if male_c is not None else ""
    female = row[female_c] if female_c is not None else ""
    male_filled, female_filled = not _blank(male), not _blank(female)
    if male_filled and female_filled:
        problems.append(RowProblem(number, split_title, Message("Ghi ở cả cột Nam và cột Nữ: chỉ ghi ở một cột")))
        return None
    if not (male_filled or female_filled):
        return None
    value, c = (male, male_c) if male_filled else (female, female_c)
    sex = "M" if male_filled else "F"
    if cells.is_mark(value):
        return sex, None, None
    day, year, message = birth_of(value)
    if message:
        problems.append(RowProblem(number, title[c], message))
    return sex, day, year


def _sex_or_message(value) -> tuple[str | None, str | None]:
    try:
        return cells.sex(value), None
    except cells.CellError as error:
        return None, error.message


def _row_list(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:10]))
    if len(numbers) > 10:
        return PluralMessage("dòng %(rows)s và %(num)s dòng khác", "dòng %(rows)s và %(num)s dòng khác",
                             len(numbers) - 10, rows=shown)
    return PluralMessage("dòng %(rows)s", "dòng %(rows)s", len(numbers), rows=shown)
