"""Issue 22: a large class's certificates come in pages and batches, and every one is still obtainable.

A class of 3,000 had all its certificates on one list page (9 MB), one print page and one file (36 s of
PDF before its first byte). The list is paged by 100, printing goes in batches of 100 (?batch=N, as the
invitation cards) and the files hold FILE_BATCH certificates each (?batch=N). A class of 160 stands in for
3,000: the batches of each kind together hold every certificate in force exactly once, read back from
the HTML, from the PDF's text (pdftotext) and from the .docx; revoked ones are listed but never printed.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from datetime import date, datetime, timezone

import pytest
from docx import Document as read_docx
from sqlalchemy import insert, select

from bdgtrain.extensions import db
from bdgtrain.models import Certificate, Enrolment, Organisation, Person, TrainingClass
from bdgtrain.rules.names import fold, sort_key
from bdgtrain.services.certificates import certificates
from bdgtrain.services.demo.demo import load_demo
from tests import factories as make
from tests.conftest import Browserless

CLASS = "/plans/HT-2019/classes/LOP-3"
PEOPLE = 160
REVOKED = 3  # the first three numbers: listed, never printed
MB = 1_000_000
NUMBER = re.compile(r"HT-2019/LOP-3/\d{3}")
SYLLABLES = ["An", "Ba", "Ca", "Da", "Gia", "Ha", "Kha", "La", "Ma", "Na"]


def _org(code: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


def _lop3() -> TrainingClass:
    return db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))


def _grow_and_certify(count: int) -> list[str]:
    """`count` more people in LOP-3, and a certificate for everyone of the class (the first REVOKED revoked),
    written in a few statements; the numbers in force."""
    names = ["Lê Thị Thu " + " ".join(SYLLABLES[int(d)] for d in f"{n:03d}") for n in range(count)]
    db.session.execute(insert(Person), [
        {"full_name": name, "name_folded": fold(name), "name_sort_key": sort_key(name), "sex": "F",
         "unit_name": "UBND huyện Kỳ Anh", "unit_folded": fold("UBND huyện Kỳ Anh")} for name in names])
    ids = db.session.scalars(select(Person.id).where(Person.full_name.in_(names))).all()
    db.session.execute(insert(Enrolment), [{"class_id": _lop3().id, "person_id": pid, "status": "confirmed",
                                            "body_org_id": _org("SNV").id} for pid in ids])
    enrolments = db.session.scalars(select(Enrolment.id).join(Person, Person.id == Enrolment.person_id)
                                    .where(Enrolment.class_id == _lop3().id)
                                    .order_by(Person.name_sort_key, Person.id)).all()  # numbered in the list's order
    issued = datetime(2019, 7, 17, 2, 0, tzinfo=timezone.utc)
    db.session.execute(insert(Certificate), [
        {"enrolment_id": eid, "number": f"HT-2019/LOP-3/{n:03d}", "issued_at": issued, "issued_on": date(2019, 7, 17),
         "place": "Hà Tĩnh", "signer_title": "Giám đốc", "signer_name": "Trần Thị Mai",
         "revoked_at": issued if n <= REVOKED else None, "revoke_reason": "Ghi sai họ tên" if n <= REVOKED else None}
        for n, eid in enumerate(enrolments, start=1)])
    db.session.commit()
    return [f"HT-2019/LOP-3/{n:03d}" for n in range(REVOKED + 1, len(enrolments) + 1)]


@pytest.fixture
def in_force(app):
    load_demo()
    make.user("tochuc@test.vn", "organiser", _org("SLDTBXH"))
    db.session.commit()
    return _grow_and_certify(PEOPLE)


@pytest.fixture
def web(client, in_force):
    web = Browserless(client)
    assert web.login("tochuc@test.vn").status_code == 302
    return web


def _get(web, url: str):
    response = web.client.get(url)
    assert response.status_code == 200, url
    return response


def _html(web, url: str) -> str:
    response = _get(web, url)
    assert len(response.data) < MB, (url, len(response.data))
    return response.get_data(as_text=True)


def _pdf_text(data: bytes) -> str:
    assert shutil.which("pdftotext"), "poppler-utils' pdftotext is needed to read the PDF back"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return unicodedata.normalize("NFC", text.decode())


def _docx_text(data: bytes) -> str:
    document = read_docx(io.BytesIO(data))
    cells = [p.text for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_list_pages_by_a_hundred_with_the_revoked_ones(web, in_force):
    total = len(in_force) + REVOKED
    first = _html(web, CLASS + "/certificates")
    assert first.count("<tr>") - 1 == 100  # the heading row, then a page of 100
    assert f'href="{CLASS}/certificates?page=2"' in first
    second = _html(web, CLASS + "/certificates?page=2")
    assert second.count("<tr>") - 1 == total - 100
    listed = Counter(NUMBER.findall(first) + NUMBER.findall(second))
    assert set(listed) == set(in_force) | {f"HT-2019/LOP-3/{n:03d}" for n in range(1, REVOKED + 1)}
    assert web.client.get(CLASS + "/certificates?page=0").status_code == 400


def test_the_list_links_every_print_batch_and_every_file(web, in_force):
    html = _html(web, CLASS + "/certificates")
    prints = -(-len(in_force) // certificates.PRINT_BATCH)
    files = -(-len(in_force) // certificates.FILE_BATCH)
    assert prints == 2 and files > prints
    for n in range(1, prints + 1):
        assert f'href="{CLASS}/certificates/print?batch={n}"' in html
    for n in range(1, files + 1):
        assert f'href="{CLASS}/certificates.pdf?batch={n}"' in html
        assert f'href="{CLASS}/certificates.docx?batch={n}"' in html


def test_print_batches_hold_every_certificate_in_force_exactly_once(web, in_force):
    seen: Counter = Counter()
    for n in (1, 2):
        html = _html(web, f"{CLASS}/certificates/print?batch={n}")
        assert f'href="{CLASS}/certificates/print?batch={3 - n}"' in html  # a link to the other batch
        printed = re.findall(r"Số: (HT-2019/LOP-3/\d{3})", html)
        assert len(printed) == html.count('<article class="certificate">')
        seen.update(printed)
    assert set(seen) == set(in_force) and set(seen.values()) == {1}
    assert _html(web, CLASS + "/certificates/print").count('<article class="certificate">') == 100
    assert web.client.get(CLASS + "/certificates/print?batch=x").status_code == 400


def test_pdf_batches_hold_every_certificate_in_force_exactly_once(web, in_force):
    files = -(-len(in_force) // certificates.FILE_BATCH)
    seen: Counter = Counter()
    for n in range(1, files + 1):
        response = _get(web, f"{CLASS}/certificates.pdf?batch={n}")
        assert response.mimetype == "application/pdf"
        assert f"-dot-{n}.pdf" in response.headers["Content-Disposition"]
        text = _pdf_text(response.data)
        assert "GIẤY CHỨNG NHẬN" in text and "Lê Thị Thu" in text
        numbers = NUMBER.findall(text)
        assert len(numbers) == min(certificates.FILE_BATCH, len(in_force) - (n - 1) * certificates.FILE_BATCH)
        seen.update(numbers)
    assert set(seen) == set(in_force) and set(seen.values()) == {1}
    assert NUMBER.findall(_pdf_text(_get(web, CLASS + "/certificates.pdf").data)) == in_force[:certificates.FILE_BATCH]


def test_a_docx_batch_holds_the_same_certificates_as_the_pdf_batch(web, in_force):
    docx = _get(web, f"{CLASS}/certificates.docx?batch=2")
    pdf = _get(web, f"{CLASS}/certificates.pdf?batch=2")
    in_docx = NUMBER.findall(_docx_text(docx.data))
    assert in_docx == NUMBER.findall(_pdf_text(pdf.data))
    assert in_docx == in_force[certificates.FILE_BATCH:2 * certificates.FILE_BATCH]


def test_the_service_batches_cover_the_class_once(app, in_force):
    for size in (certificates.PRINT_BATCH, certificates.FILE_BATCH, 7):
        first = certificates.current_batch(_lop3(), 1, size)
        batches = [certificates.current_batch(_lop3(), n, size) for n in range(1, first.pages + 1)]
        numbers = [c.number for batch in batches for c in batch.items]
        assert numbers == in_force  # the list's order: each once, none revoked
        assert first.pages == certificates.batch_count(len(in_force), size)
    assert certificates.current_count(_lop3()) == len(in_force)


@pytest.mark.parametrize("path", ["/certificates/print", "/certificates/print?batch=2", "/certificates"])
def test_the_print_and_list_pages_read_a_batch_in_few_statements(web, in_force, count_queries, backend, path):
    """The login's session, the plan, the class, the count, the rows, what the papers share (the print page: it
    loaded both organisations, the venue and the sessions one statement each) and the access log; SQLite's
    write lock is one more."""
    with count_queries() as counter:
        _get(web, CLASS + path)
    bound = (7 if "print" in path else 6) + (backend == "sqlite")
    assert counter.count <= bound, "\n".join(counter.statements)
