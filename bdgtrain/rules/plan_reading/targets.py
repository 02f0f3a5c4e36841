"""Targets: every "N%" of a sentence with its share, year, floor, subject and measure."""
from __future__ import annotations

import re

from ...messages import Message
from ..names import fold
from .readings import Note, PlanReading, TargetReading
from .text import first_upper, sentences

_PERCENT = re.compile(r"(?P<value>[0-9]{1,4}(?:[.,][0-9]+)?)\s*%")
_YEAR_AFTER = re.compile(r"^\s*(?:vào|đến|trong|tới)?\s*(?:năm|cuối năm)\s+(?P<year>[0-9]{4})\b", re.IGNORECASE)
_YEAR_PHRASE = re.compile(r"\b(?:vào|đến|tới|trong)\s+(?:cuối\s+)?năm\s+(?P<year>[0-9]{4})\b", re.IGNORECASE)
_FLOOR = re.compile(r"(?:ít nhất|tối thiểu|trở lên|hơn|trên|không dưới)", re.IGNORECASE)
_FILLER = re.compile(
    r"^(?:\s*(?:Chỉ tiêu|Mục tiêu)\s+[0-9]+\s*:|\s*(?:Phấn đấu|Phần đầu|Phân đầu|Bảo đảm|Đảm bảo|Hằng năm|Hàng năm)\b"
    r"|\s*(?:đến|vào|tới)\s+năm\s+[0-9]{4}|\s*(?:đạt|là|có|ít nhất|tối thiểu|hơn|trên)\b|\s*[,:;])+",
    re.IGNORECASE)
_TRAILING = re.compile(r"(?:\s*(?:đạt|là|có|ít nhất|tối thiểu|hơn|trên|không dưới)|\s*(?:đến|vào|tới)\s+năm\s+"
                       r"[0-9]{4}|\s*[,:;])+\s*$", re.IGNORECASE)
_MEASURES = [  # (measure, every folded word it needs, words that rule it out)
    ("women_leader_units", ("lanh dao chu chot",), ()),
    ("women_sent_share", ("cu di dao tao",), ()),
    ("women_masters_places_share", ("thac s", "chuong trinh dao tao"), ()),
    ("women_masters_share", ("nu thac s",), ()),
    ("women_doctorates_share", ("nu tien s",), ()),
    ("specialised_trained_share", ("chuyen trach", "boi duong"), ()),
    ("trained_share", ("quy hoach", "dao tao"), ()),
    ("women_pool_share", ("nu", "quy hoach"), ("dao tao", "boi duong")),
    ("women_committee_share", ("nu", "cap uy"), ()),
]


def guess_measure(subject: str) -> str | None:
    """The measure a target's subject names plainly, or None (the organiser chooses)."""
    folded = f" {fold(subject)} "
    for measure, needed, excluded in _MEASURES:
        if all(f" {w}" in folded for w in needed) and not any(w in folded for w in excluded):
            return measure
    return None


def _subject(before: str, after: str) -> str:
    before = _TRAILING.sub("", _FILLER.sub("", before)).strip()
    after = re.sub(r"\btrở lên\b\s*", "", after)
    after = _TRAILING.sub("", _FILLER.sub("", after)).strip().rstrip(".;").strip()
    if len(before.split()) >= 3:
        subject = before
    else:
        subject = f"{before} {after}".strip()
    subject = re.sub(r"\s+trở lên\b", "", subject)
    subject = subject.strip(" ,;:.")
    if subject.endswith("”") and "“" not in subject:
        subject = subject[:-1]
    return first_upper(subject).strip()


def read_targets(lines: list[str], reading: PlanReading) -> None:
    for line in lines:
        if not _PERCENT.search(line):
            continue
        for sentence in sentences(line):
            if not _PERCENT.search(sentence):
                continue
            _read_target_sentence(sentence, reading)


def _read_target_sentence(sentence: str, reading: PlanReading) -> None:
    # Clauses with their own subject: "Tỷ lệ nữ thạc sỹ đạt 50% và tỷ lệ nữ tiến sỹ đạt 25% ...".
    clauses = re.split(r"\s+và\s+(?=tỷ lệ\b)", sentence, flags=re.IGNORECASE)
    sentence_years = {m["year"] for m in _YEAR_PHRASE.finditer(sentence)}
    for clause in clauses:
        percents = list(_PERCENT.finditer(clause))
        if not percents:
            continue
        first, last = percents[0], percents[-1]
        subject = _subject(clause[:first.start()], clause[last.end():])
        previous_end = 0
        for k, match in enumerate(percents):
            value = float(match["value"].replace(",", "."))
            next_start = percents[k + 1].start() if k + 1 < len(percents) else len(clause)
            year = None
            after = _YEAR_AFTER.match(clause[match.end():next_start])
            if after:
                year = int(after["year"])
            else:
                before = list(_YEAR_PHRASE.finditer(clause[previous_end:match.start()]))
                if before:
                    year = int(before[-1]["year"])
                elif len(sentence_years) == 1:
                    year = int(next(iter(sentence_years)))
            qualifier = re.search(r"(?:(?:đến|vào)\s+năm\s+[0-9]{4}\s+)?(?:(?:đạt|là|có|ít nhất|tối thiểu|hơn|trên|"
                                  r"không dưới)\s*)+$", clause[max(previous_end, match.start() - 50):match.start()],
                                  re.IGNORECASE)
            start = match.start() - len(qualifier.group()) if qualifier else match.start()
            end = match.end() + (after.end() if after else 0)
            text = clause[start:end].strip()
            if after is None and clause[match.end():next_start].lstrip().lower().startswith("trở lên"):
                text += " trở lên"
            floor = bool(_FLOOR.search(clause[start:match.start()])) or "trở lên" in clause[match.end():next_start]
            previous_end = match.end() + (after.end() if after else 0)
            if value > 100:
                reading.errors.append(Note("target.over_100", Message(
                    "Chỉ tiêu “%(text)s” vượt quá 100%%.", text=text), sentence))
                continue
            if value <= 0:
                reading.unrecognised.append(Note("target.zero", Message("Chỉ tiêu “%(text)s” bằng 0.", text=text),
                                                 sentence))
                continue
            reading.targets.append(TargetReading(text=text, share=round(value / 100, 4), year=year, at_least=floor,
                                                 subject=subject, measure=guess_measure(subject), source=sentence))
