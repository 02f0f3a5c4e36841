"""Reading the rows below a list's header into people and problems, one pass that reports every
problem with the spreadsheet's own row number and the column's header.

Not people: blank rows, rows holding only a row number (templates numbered in advance), the row of
column numbers, group rows ("I", "II" or "A" in the row-number column, or a single cell "I. Huyện
Hương Sơn"; their label goes to extra["group"] of the people below), and everything from the footer
down: a row with no row number whose few cells are all footer words ("Người lập biểu", "KT. GIÁM
ĐỐC", "Hà Tĩnh, ngày ... tháng ... năm ...", "(Ký, ghi rõ họ tên)") or a "Tổng cộng" row, provided
no row that looks like a person comes after it.

Pure: plain Python, no Flask, no database, no clock (`today` is given).
"""
from __future__ import annotations

import re
from datetime import date

from bdgtrain.messages import Message, PluralMessage

from . import cells
from .headers import EXTRA_FIELDS, Header, header_key
from .results import PersonRow, ReadError, ReadResult, RowProblem
from .sources import CSV, Sheet

# Columns whose merged cells (one unit for several people) are filled down to every row they cover.
_FILLED_DOWN = {"ethnicity", "position", "unit", "position_unit", "note", "district", "commune",
                "hometown", "address", "education"}

_FOOTER = re.compile(
    r"(nguoi (lap|tong hop|duyet|ky)|lap (bieu|bang)|(pho )?giam doc|(pho )?chu tich|truong (phong|ban|khoa)"
    r"|thu truong|xac nhan|noi nhan|da ky|ky ten|ky (va )?ghi ro|ky dong dau|ky xac nhan|ho ten chu ky"
    r"|(kt|tm|tl|tuq|q) .+|.*\bngay\b.*\bthang\b.*\bnam\b.*)( .*)?")
_TOTAL = re.compile(r"(tong cong|tong so|tong|cong)( so)?( (nguoi|hoc vien|dai bieu|can bo|dong chi))?( [0-9].*)?")
_ENUMERATOR = re.compile(r"(?:[IVXL]{1,6}|[A-Z])[.)/-]?")
_ENUMERATED_TEXT = re.compile(r"(?:[IVXL]{1,6}|[A-Z])[.)/-]\s*\S.*", re.DOTALL)

_blank = cells.is_blank


def _is_number(value) -> bool:
    if type(value) in (int, float):
        return True
    return type(value) is str and value.strip().rstrip(".").isdigit()


def _fill_merged_down(sheet: Sheet, header: Header) -> None:
    filled = {column.index for column in header.columns if column.field in _FILLED_DOWN}
    rows = sheet.rows
    for (r0, c0), (r1, c1) in sheet.merged:
        if c0 == c1 and c0 in filled and r1 > r0 and r0 >= header.data_start:
            value = rows[r0][c0] if r0 < len(rows) else ""
            for r in range(r0 + 1, min(r1 + 1, len(rows))):
                rows[r][c0] = value


class _Footer:
    """Whether a row opens the footer: footer words only, and no person after it."""

    def __init__(self, rows: list[list], start: int, name_c: int, stt_c: int | None, used: list[int]):
        self.rows, self.start, self.name_c, self.stt_c, self.used = rows, start, name_c, stt_c, used
        self._last_person: int | None = None

    def last_person(self) -> int:
        if self._last_person is None:
            self._last_person = -1
            for r in range(len(self.rows) - 1, self.start - 1, -1):
                row = self.rows[r]
                if _blank(row[self.name_c]):
                    continue
                numbered = self.stt_c is not None and _is_number(row[self.stt_c])
                if numbered or sum(not _blank(row[c]) for c in self.used) >= 3:
                    self._last_person = r
                    break
        return self._last_person

    def starts_at(self, r: int, filled: list) -> bool:
        keys = [header_key(value) if isinstance(value, str) else "" for value in filled]
        looks = (_TOTAL.fullmatch(keys[0]) is not None
                 or (len(keys) <= 3 and all(_FOOTER.fullmatch(key) for key in keys)))
        return looks and r > self.last_person()


def _group_label(row: list, stt_c: int | None, filled: list[tuple[int, object]], wide: bool) -> str | None:
    """The label of a group row ("I. Huyện Hương Sơn"), or None for a row about a person."""
    stt = row[stt_c] if stt_c is not None else ""
    others = [cells.shown(value) for c, value in filled if c != stt_c]
    if isinstance(stt, str) and _ENUMERATOR.fullmatch(stt.strip()):
        return " ".join(others) or stt.strip()
    if len(filled) == 1:
        c, value = filled[0]
        if isinstance(value, str) and (_ENUMERATED_TEXT.fullmatch(value.strip()) or c == stt_c or wide):
            return cells.shown(value)
    return None


def read_rows(sheet: Sheet, header: Header, kind: str, today: date, notes: list[str]) -> ReadResult:
    rows = sheet.rows
    notes = notes + header.notes
    if header.numbering_row is not None:
        notes.append(Message("Bỏ qua dòng %(row)s: dòng đánh số cột.", row=header.numbering_row + 1))
    _fill_merged_down(sheet, header)
    title = {column.index: column.header or column.letter for column in header.columns}
    index = {column.field: column.index for column in header.columns if column.field}
    name_c = header.name_columns[0]
    given_c = header.name_columns[1] if len(header.name_columns) > 1 else None
    stt_c = index.get("stt")
    used = sorted(c for f, c in index.items() if f != "stt")
    footer = _Footer(rows, header.data_start, name_c, stt_c, used)
    # Group rows span many columns in one merged cell; no person's name does.
    wide_rows = {r0 for (r0, c0), (r1, c1) in sheet.merged if c1 - c0 >= 2 and r0 == r1 and r0 >= header.data_start}
    zeros_may_be_lost = kind == CSV

    birth_c, male_c, female_c, sex_c = index.get("birth"), index.get("male"), index.get("female"), index.get("sex")
    phone_c, id_c, email_c = index.get("phone"), index.get("id_number"), index.get("email")
    ethnicity_c, position_c, unit_c, note_c = (index.get(f) for f in ("ethnicity", "position", "unit", "note"))
    position_unit_c = index.get("position_unit")
    extras = [(f, index[f]) for f in EXTRA_FIELDS if f in index]
    split_c = male_c if male_c is not None else female_c
    split_title = title[split_c].rsplit(" (", 1)[0] if split_c is not None else ""

    people: list[PersonRow] = []
    problems: list[RowProblem] = []
    # Values repeat down a column (units, dates, "Nữ"): each distinct value is parsed once. The
    # caches also answer for blank cells, so the loop below needs no separate blank test.
    birth_cache: dict = {"": (None, None, None)}
    sex_cache: dict = {"": (None, None)}
    text_cache: dict = {"": None}
    proper_cache: dict = {"": None}
    name_cache: dict = {}  # names repeat too ("Nguyễn Thị Hoa"); a name refused is not kept
    restored_phones: list[int] = []
    restored_ids: list[int] = []
    group: str | None = None

    def birth_of(value):
        found = birth_cache.get(value)
        if found is None:
            if _blank(value):
                found = (None, None, None)
            else:
                try:
                    found = (*cells.birth(value, today), None)
                except cells.CellError as error:
                    found = (None, None, error.message)
            birth_cache[value] = found
        return found

    def sex_of(value):
        found = sex_cache[value] = (None, None) if _blank(value) else _sex_or_message(value)
        return found

    def text_of(value):
        found = text_cache[value] = None if _blank(value) else cells.text(value)
        return found

    def proper_of(value):
        found = proper_cache[value] = None if _blank(value) else cells.proper(value)
        return found

    def name_of(value):
        found = name_cache[value] = cells.full_name(value)
        return found

    for r in range(header.data_start, len(rows)):
        row = rows[r]
        only_stt = False
        for c in used:
            value = row[c]
            if value != "" and (type(value) is not str or value[0].isalnum() or not _blank(value)):
                break
        else:  # blank, or only a row number, or text in the row-number column only (a group label)
            if stt_c is None or type(row[stt_c]) is not str or _blank(row[stt_c]) or _is_number(row[stt_c]):
                continue
            only_stt = True
        number = r + 1
        if stt_c is None or (type(row[stt_c]) is not float and not _is_number(row[stt_c])):
            filled = [(c, value) for c, value in enumerate(row) if not _blank(value)]
            if footer.starts_at(r, [value for _, value in filled]):
                notes.append(Message("Dừng đọc ở dòng %(row)s: từ đây là phần cuối danh sách (tổng cộng, ký tên).",
                                     row=number))
                break
            label = _group_label(row, stt_c, filled, r in wide_rows)
            if label is not None:
                group = label
                continue
            if only_stt:
                continue

        value = row[name_c]
        if given_c is not None and not _blank(row[given_c]):
            value = f"{cells.shown(value) if not _blank(value) else ''} {cells.shown(row[given_c])}"
        name = ""
        if value == "" or _blank(value):
            problems.append(RowProblem(number, title[name_c], Message("Thiếu họ và tên")))
        else:
            try:
                name = name_cache[value] if value in name_cache else name_of(value)
            except cells.CellError as error:
                problems.append(RowProblem(number, title[name_c], error.message))

        sex = birth_date = birth_year = ethnicity = position = unit = phone = email = id_number = note = None
        if birth_c is not None:
            value = row[birth_c]
            birth_date, birth_year, message = birth_cache.get(value) or birth_of(value)
            if message:
                problems.append(RowProblem(number, title[birth_c], message))
        if male_c is not None or female_c is not None:
            split = _split_sex_birth(row, number, male_c, female_c, title, split_title, birth_of, problems)
            if split is not None:
                sex = split[0]
                if birth_year is None:
                    birth_date, birth_year = split[1], split[2]
        if sex_c is not None:
            value = row[sex_c]
            found, message = sex_cache.get(value) or sex_of(value)
            if message:
                problems.append(RowProblem(number, title[sex_c], message))
            elif sex and found and sex != found:
                problems.append(RowProblem(number, title[sex_c], Message(
                    "Giới tính “%(value)s” không khớp với cột %(column)s đã ghi", value=cells.shown(value),
                    column=split_title)))
            elif found:
                sex = found
        if ethnicity_c is not None:
            value = row[ethnicity_c]
            ethnicity = proper_cache[value] if value in proper_cache else proper_of(value)
        if position_c is not None:
            value = row[position_c]
            position = text_cache[value] if value in text_cache else text_of(value)
        elif position_unit_c is not None:
            value = row[position_unit_c]
            position = text_cache[value] if value in text_cache else text_of(value)
        if unit_c is not None:
            value = row[unit_c]
            unit = text_cache[value] if value in text_cache else text_of(value)
        if note_c is not None:
            value = row[note_c]
            note = text_cache[value] if value in text_cache else text_of(value)
        if phone_c is not None and (value := row[phone_c]) != "":
            try:
                phone, restored = cells.phone(value)
                if restored:
                    restored_phones.append(number)
            except cells.CellError as error:
                if not _blank(value):
                    problems.append(RowProblem(number, title[phone_c], error.message))
        if id_c is not None and (value := row[id_c]) != "":
            try:
                id_number, restored = cells.id_number(value, zeros_may_be_lost)
                if restored:
                    restored_ids.append(number)
            except cells.CellError as error:
                if not _blank(value):
                    problems.append(RowProblem(number, title[id_c], error.message))
        if email_c is not None and (value := row[email_c]) != "":
            try:
                email = cells.email(value)
            except cells.CellError as error:
                if not _blank(value):
                    problems.append(RowProblem(number, title[email_c], error.message))
        extra = {}
        for field, c in extras:
            value = row[c]
            found = text_cache[value] if value in text_cache else text_of(value)
            if found is not None:
                extra[field] = found
        if group is not None:
            extra["group"] = group
        if name:
            people.append(PersonRow(number, name, sex, birth_date, birth_year, ethnicity, position, unit,
                                    phone, email, id_number, note, extra))

    if not people and not problems:
        raise ReadError("file.empty", Message("Danh sách chưa có người nào: dưới dòng tiêu đề (dòng %(row)s) "
                                              "không có dòng dữ liệu.", row=header.last_row + 1))
    order = {text: c for c, text in title.items()}
    if split_c is not None:
        order.setdefault(split_title, split_c)
    problems.sort(key=lambda problem: (problem.row, order.get(problem.column, len(order))))
    if restored_phones:
        notes.append(PluralMessage("Đã thêm số 0 đầu cho %(num)s số điện thoại bị Excel bỏ mất số 0 (%(rows)s).",
                                   "Đã thêm số 0 đầu cho %(num)s số điện thoại bị Excel bỏ mất số 0 (%(rows)s).",
                                   len(restored_phones), rows=_row_list(restored_phones)))
    if restored_ids:
        notes.append(PluralMessage(
            "Đã thêm số 0 đầu cho %(num)s số CCCD/CMND bị Excel bỏ mất số 0 (%(rows)s); hãy kiểm tra lại.",
            "Đã thêm số 0 đầu cho %(num)s số CCCD/CMND bị Excel bỏ mất số 0 (%(rows)s); hãy kiểm tra lại.",
            len(restored_ids), rows=_row_list(restored_ids)))
    return ReadResult(people, problems, header.columns, header.last_row + 1, sheet.name, notes)


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
