"""The text of an uploaded Kế hoạch: .docx, PDF with text, .txt; a scan, a zip bomb or a spreadsheet refused."""
from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest

from bdgtrain.importers.plan_text import MAX_PLAN_BYTES, extract_plan_text
from bdgtrain.importers.results import ReadError
from bdgtrain.rules.plan_reading import read_plan_text
from tests.plan_files import docx_bytes, pdf_bytes, scanned_pdf_bytes, seed_text


def test_docx_reads_paragraphs_and_the_header_table_in_order():
    text = extract_plan_text(docx_bytes(seed_text("004"), header=("UBND TỈNH HÀ TĨNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA "
                                                                                       "VIỆT NAM")), "kh.docx")
    assert text.index("UBND TỈNH HÀ TĨNH") < text.index("CỘNG HÒA") < text.index("KẾ HOẠCH")
    reading = read_plan_text(text)
    assert [c.date_text for c in reading.classes] == ["ngày 10/7/2019", "ngày 11-12/7/2019", "ngày 15-16/7/2019",
                                                      "ngày 17-19/7/2019"]
    assert reading.issuing_body.value == "UBND TỈNH HÀ TĨNH"


def test_pdf_with_text_reads_like_the_docx():
    reading = read_plan_text(extract_plan_text(pdf_bytes(seed_text("004")), "kh.pdf"))
    assert reading.errors == []
    assert [len(c.dates) for c in reading.classes] == [1, 2, 2, 3]
    assert reading.title.value.startswith("Kế hoạch tổ chức tập huấn nâng cao năng lực")
    assert reading.title.value.endswith("cơ quan dân cử")


def test_a_scanned_pdf_is_refused_plainly():
    with pytest.raises(ReadError) as caught:
        extract_plan_text(scanned_pdf_bytes(), "scan.pdf")
    assert caught.value.code == "file.no_text" and "bản quét" in caught.value.message


def cp1258(text: str) -> bytes:
    """As Vietnamese Windows writes it: precomposed letters where the code page has them, else the
    letter and a combining tone mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            for mark in marks:  # the vowel's own mark (â, ơ) joins it; the tone stays combining
                letter = unicodedata.normalize("NFC", base + mark)
                rest = "".join(m for m in marks if m != mark)
                if len(letter) == 1:
                    try:
                        out += letter.encode("cp1258") + rest.encode("cp1258")
                        break
                    except UnicodeEncodeError:
                        continue
            else:
                out += (base + "".join(marks)).encode("cp1258")
    return out


@pytest.mark.parametrize("encode", [lambda t: t.encode("utf-8"), lambda t: t.encode("utf-8-sig"), cp1258])
def test_text_files_in_the_usual_encodings(encode):
    text = "KẾ HOẠCH\nTập huấn năm 2019\n1. Lớp tập huấn 1\n- Thời gian: ngày 10/7/2019"
    assert extract_plan_text(encode(text), "kh.txt") == text


@pytest.mark.parametrize("data, code", [
    (b"", "file.empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "file.not_plan_document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "file.not_plan_document"),
    (b"x" * (MAX_PLAN_BYTES + 1), "file.too_large"),
])
def test_what_is_not_a_plan_file_is_refused(data, code):
    with pytest.raises(ReadError) as caught:
        extract_plan_text(data, "f")
    assert caught.value.code == code


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ReadError) as caught:
        extract_plan_text(buffer.getvalue(), "list.xlsx")
    assert caught.value.code == "file.not_plan_document"


def test_a_docx_bomb_is_refused_before_it_is_parsed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (401 * 1024 * 1024))
    with pytest.raises(ReadError) as caught:
        extract_plan_text(buffer.getvalue(), "bomb.docx")
    assert caught.value.code == "file.too_large"


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_damaged_files_are_read_or_refused_never_a_crash(kind):
    import random
    good = docx_bytes(seed_text("003")) if kind == "docx" else pdf_bytes(seed_text("003"))
    rng = random.Random(23)
    for _ in range(60):
        data = bytearray(good)
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[:rng.randrange(len(data))]
        try:
            text = extract_plan_text(bytes(data), f"f.{kind}")
        except ReadError as error:
            assert error.code.startswith("file.") and error.message
        else:
            assert isinstance(text, str)
