"""The plain text of an uploaded Kế hoạch: .docx, .pdf with a text layer, .txt; told by the bytes, not the name.

A .docx (a zip) is first inflated through zip_guard with a running count, then its body is read in
order, paragraphs and tables alike (a table's cells one per line, row by row: the header block of a
Vietnamese document is often a two-cell table). A PDF is read with pypdf, page by page; one with no
text at all (a scan) is refused plainly, since reading images would need OCR. Text files are UTF-8
(with or without a BOM) or, failing that, Windows-1258 (Vietnamese Windows). The result is NFC with
Unix line ends; rules/plan_reading does the reading.
"""
from __future__ import annotations

import io
import unicodedata
import zipfile

import docx
import pypdf  # pure Python (pinned in requirements.txt): no system library to install
from docx.table import Table
from docx.text.paragraph import Paragraph

from bdgtrain.messages import Message

from . import zip_guard
from .results import ReadError

MAX_PLAN_BYTES = 15 * 1024 * 1024  # a plan with its annexes is under 2 MB; scans run larger and are refused anyway
MAX_PLAN_PAGES = 200
MAX_PLAN_CHARS = 400_000  # the reader's own bound (rules/plan_reading.MAX_TEXT_CHARS)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ACCEPTED = Message("Hãy gửi tệp Word (.docx), PDF có chữ, tệp văn bản (.txt) hoặc dán nội dung kế hoạch.")


def _refused(problem: Message) -> ReadError:
    # TRANSLATORS: what is wrong with a file, then what to send instead.
    return ReadError("file.not_plan_document", Message("%(problem)s %(advice)s", problem=problem, advice=ACCEPTED))


def _finish(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if len(text) > MAX_PLAN_CHARS:
        raise ReadError("file.too_large", Message(
            "Văn bản dài %(num)s ký tự, quá giới hạn %(max)s ký tự của một kế hoạch.", num=len(text),
            max=MAX_PLAN_CHARS))
    if not text.strip():
        raise ReadError("file.empty", Message("Văn bản không có chữ nào để đọc."))
    return text


def pasted_text(text: str) -> str:
    """Text pasted into the page, bounded like a file."""
    return _finish(text or "")


def extract_plan_text(data: bytes, filename: str) -> str:
    """The plain text of a plan file; ReadError (a Vietnamese message) for anything else."""
    if len(data) > MAX_PLAN_BYTES:
        raise ReadError("file.too_large", Message("Tệp “%(file)s” quá lớn (tối đa %(max)s MB).", file=filename,
                                                  max=MAX_PLAN_BYTES // 1048576))
    if not data.strip():
        raise ReadError("file.empty", Message("Tệp “%(file)s” không có dữ liệu.", file=filename))
    if data.startswith(b"PK"):
        return _finish(_docx_text(data, filename))
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5].lower() == b"%pdf-":
        return _finish(_pdf_text(data, filename))
    if data.startswith(_OLE2):
        raise _refused(Message("Tệp “%(file)s” là văn bản Word cũ (.doc): hãy mở bằng Word và lưu lại dạng .docx.",
                               file=filename))
    if b"\x00" in data[:4096]:
        raise _refused(Message("Tệp “%(file)s” không phải văn bản.", file=filename))
    return _finish(_decode(data, filename))


def _decode(data: bytes, filename: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise ReadError("file.text_encoding", Message(
            "Không đọc được bảng mã của tệp “%(file)s”. Hãy lưu lại dạng UTF-8.", file=filename)) from None


def _docx_text(data: bytes, filename: str) -> str:
    damaged = _refused(Message("Tệp “%(file)s” bị hỏng, không mở được.", file=filename))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise damaged from None
    if "word/document.xml" not in {info.filename for info in infos}:
        raise _refused(Message("Tệp “%(file)s” là tệp nén, không phải văn bản Word.", file=filename))
    if sum(info.file_size for info in infos) > zip_guard.MAX_UNZIPPED_BYTES:
        raise zip_guard.unzips_too_large(filename)
    zip_guard.check_inflated(data, infos, filename, damaged)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds (KeyError, XMLSyntaxError, ...) for a broken file
        raise damaged from None
    lines: list[str] = []

    def table_lines(table: Table) -> None:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell appears once per column it spans
                    continue
                seen.add(id(cell._tc))
                for paragraph in cell.paragraphs:
                    lines.append(paragraph.text)
                for inner in cell.tables:
                    table_lines(inner)

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            table_lines(Table(child, document))
    return "\n".join(lines)


def _pdf_text(data: bytes, filename: str) -> str:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError("file.encrypted", Message(
                "Tệp “%(file)s” được đặt mật khẩu nên không đọc được.", file=filename))
        if len(reader.pages) > MAX_PLAN_PAGES:
            raise ReadError("file.too_large", Message(
                "Tệp “%(file)s” có %(num)s trang, quá giới hạn %(max)s trang.", file=filename,
                num=len(reader.pages), max=MAX_PLAN_PAGES))
        pages = []
        total = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            total += len(text)
            if total > MAX_PLAN_CHARS:
                break
            pages.append(text)
    except ReadError:
        raise
    except Exception:  # pypdf raises many kinds (PdfReadError, KeyError, RecursionError, ...) for a broken file
        raise _refused(Message("Tệp PDF “%(file)s” bị hỏng, không mở được.", file=filename)) from None
    text = "\n".join(pages)
    if not text.strip():
        raise ReadError("file.no_text", Message(
            "Tệp PDF “%(file)s” không có lớp chữ (có lẽ là bản quét): không đọc được chữ trong ảnh. Hãy gửi "
            "bản Word (.docx) hoặc PDF xuất từ Word.", file=filename))
    return text
