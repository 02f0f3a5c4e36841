"""Vietnamese by default, English when chosen: no Vietnamese text is left unmarked, the catalogue covers
every marked message in the source, its placeholders match, and pages, service refusals and the
spreadsheet reader's findings reach the reader in her language (the CLI and services outside a request
stay Vietnamese)."""
from __future__ import annotations

import ast
import fnmatch
import io
import os
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.i18n import translate
from bdgtrain.messages import Message, PluralMessage
from bdgtrain.models import Organisation
from bdgtrain.rules.eligibility import eligibility_warnings
from bdgtrain.services.demo.demo import load_demo
from bdgtrain.services.planning import lookups
from tests import factories as make
from tests import list_files as files
from tests.conftest import PROJECT_ROOT

ENGLISH_PO = PROJECT_ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)")


# --- the catalogue -----------------------------------------------------------------------------------

def _make_messages_options() -> tuple[dict, list[str]]:
    """The keywords (gettext's and the project's own) and ignored folders of `make messages`, read from
    the Makefile, so that this test extracts what the Makefile does."""
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    line = re.search(r"^BABEL_KEYWORDS\s*:=(.*)$", makefile, re.MULTILINE)
    ignored = re.search(r'--ignore-dirs="([^"]*)"', makefile)
    assert line and ignored, "the Makefile defines BABEL_KEYWORDS and the folders `make messages` ignores"
    words = line.group(1).split()
    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update(parse_keywords([spec for flag, spec in zip(words, words[1:]) if flag == "-k"]))
    return keywords, ignored.group(1).split()


def _source_messages() -> Catalog:
    """What `make messages` extracts from the current source, as babel.cfg maps it."""
    keywords, ignored = _make_messages_options()
    with (PROJECT_ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalogue = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(PROJECT_ROOT), method_map, options_map, keywords=keywords,
            directory_filter=lambda path: not any(fnmatch.fnmatch(os.path.basename(path), pattern)
                                                  for pattern in ignored)):
        catalogue.add(message, locations=[(filename, lineno)], context=context)
    return catalogue


@pytest.fixture(scope="module")
def source():
    return _source_messages()


@pytest.fixture(scope="module")
def english():
    with ENGLISH_PO.open("rb") as po:
        return read_po(po, locale="en")


def _shown(message) -> str:
    text = " | ".join(message.id) if isinstance(message.id, tuple) else message.id
    where = ", ".join(sorted({f"{name}:{line}" for name, line in message.locations}))
    return f"{'[' + message.context + '] ' if message.context else ''}{text!r} ({where})"


def test_extraction_finds_every_kind_of_marked_message(source):
    ids = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in source if m.id}
    assert len(ids) > 500
    for expected in [
        (None, "Chưa nhập ngày."),                                    # Message in a pure rule
        (None, "dòng %(rows)s"),                                      # PluralMessage in the reader
        (None, "Thiếu họ và tên"),                                    # the reader's row problems
        (None, "Lớp này đã bị hủy."),                                 # lazy_gettext in a service
        (None, "Tệp có %(num)s dòng lỗi nên không được ghi; hãy sửa các dòng được liệt kê rồi tải lên lại."),
        (None, "Vui lòng đăng nhập để tiếp tục."),                    # the login message
        ("section", "Đơn vị"),                                        # pgettext in a template
        ("role", "Đơn vị cung cấp danh sách"),                        # lazy_pgettext
        (None, "Đổi ngôn ngữ"),                                       # the language switch
    ]:
        assert expected in ids, f"not extracted: {expected}"


def test_every_message_in_the_source_has_an_english_translation(source, english):
    problems = []
    for message in source:
        if not message.id:
            continue
        entry = english.get(message.id, context=message.context)
        if entry is None or entry.id != message.id:
            problems.append(f"not in the catalogue: {_shown(message)}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {_shown(message)}")
        else:
            forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            expected = english.num_plurals if isinstance(entry.id, tuple) else 1
            if len(forms) != expected or not all(form and form.strip() for form in forms):
                problems.append(f"not translated: {_shown(message)}")
    assert not problems, ("run `make messages`, then translate in translations/en/LC_MESSAGES/messages.po:\n"
                          + "\n".join(problems))


VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)
MARKERS = {"_", "_l", "gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext", "lazy_ngettext",
           "lazy_pgettext", "Message", "PluralMessage"}
# Vietnamese on purpose: what the CLI prints, data (the demo, the reader's tables of old encodings and
# of name particles), and files in an official Vietnamese shape (exports read back by the importer,
# the import templates).
UNMARKED_MODULES = {"cli/accounts.py", "cli/calendar.py", "cli/checkin.py", "cli/common.py", "cli/demo.py",
                    "cli/feedback.py", "cli/lists.py", "cli/mail.py", "cli/ops.py", "cli/orgs.py", "cli/pool.py",
                    "cli/privacy.py", "cli/reporting.py", "services/demo/demo.py", "services/demo/feedback.py",
                    "services/demo/lists.py", "services/demo/pool.py",
                    "services/lists/roster_files.py", "services/demo/targets.py",
                    "services/reporting/report_files.py",
                    "services/reporting/seed_sources.py",  # references into the Vietnamese seed documents
                    "services/feedback/feedback_output.py",  # a Vietnamese report, as roster_files.py
                    "services/monitoring/summary_document.py",  # an official document sent outside
                    # Official documents (issue 19): the decree's fixed words and the seeds' report sections
                    "documents/model.py", "documents/layout.py", "documents/docx_writer.py",
                    "documents/pdf_writer.py", "documents/xlsx_writer.py", "rules/official_documents.py",
                    "services/reporting/report_document.py", "services/demo/documents.py",
                    "cli/official_reports.py", "services/certificates/certificate_documents.py",
                    "importers/legacy.py",
                    "importers/templates.py", "rules/names.py",
                    "cli/training_records.py", "importers/training_template.py",
                    # Issue 23: the plan commands print Vietnamese as the other commands do; the Kế hoạch
                    # written in the seeds' shape is an official document; the reader's tables are the
                    # words a Kế hoạch is written in; the next-year draft and the practice class are data
                    # stored in the plan's language, edited by the organiser like anything she typed.
                    "cli/plans.py", "rules/plan_document.py", "services/planning/plan_document.py",
                    "services/reporting/next_year.py", "services/demo/practice.py",
                    *(f"rules/plan_reading/{part}.py"
                      for part in ("text", "header", "classes", "assignments", "targets", "deadlines")),
                    # Issue 21: units' names are data in Vietnamese; their short forms are Vietnamese too.
                    "rules/unit_names.py",
                    # Issue 21: the personal-data export handed to a citizen is Vietnamese whatever the admin reads.
                    "web/privacy/citizen_export.py"}
UNMARKED_TEXTS = {
    ("rules/dates.py", "ngày"), ("rules/dates.py", "từ"), ("rules/dates.py", "đến"), ("rules/dates.py", "và"),
    ("rules/dates.py", "Sáng"), ("rules/dates.py", "Chiều"),  # words the parser reads; stored session labels
    ("base.html", "Tiếng Việt"),  # a language's own name, never translated
    # The national motto of an official document's header block, never translated.
    ("periodic_view.html", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), ("periodic_view.html", "Độc lập - Tự do - Hạnh phúc"),
    # The default feedback questions are a plan's data (stored, edited by the organiser, in its language),
    # and "[văn bản]" is a word of the question syntax the organiser writes.
    *(("rules/feedback.py", line) for line in (
        "* [1-5] Mức độ hữu ích của nội dung tập huấn", "* [1-5] Giảng viên (kiến thức, cách truyền đạt)",
        "* [1-5] Công tác tổ chức lớp (thời gian, địa điểm, tài liệu)",
        "[văn bản] Nội dung nào hữu ích nhất với Anh/Chị?",
        "[văn bản] Lớp tập huấn cần cải thiện điều gì?", "[văn bản]")),
    # Stored, not shown as UI text: what erasure writes in place of her name and values, and its audit summary.
    ("services/privacy/privacy.py", "[đã xóa]"), ("services/privacy/privacy.py", "[Đã xóa #"),
    ("services/privacy/privacy.py", "Xóa thông tin cá nhân theo yêu cầu; số liệu điểm danh được giữ ẩn danh."),
    # Stored in the plan a read Kế hoạch becomes: a deadline's default label and where the plan came from.
    ("services/plan_reading/drafts.py", "Báo cáo"), ("services/plan_reading/drafts.py", "Đọc từ “"),
}


def _unmarked_python_texts(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def marks(node) -> bool:  # a translation call, or re.compile (a pattern is not text)
        if not isinstance(node, ast.Call):
            return False
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        return name in MARKERS or name == "compile"

    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and VIETNAMESE.search(node.value)):
            continue
        if isinstance(parents.get(node), ast.Expr):
            continue  # a docstring
        ancestor = parents.get(node)
        while ancestor is not None and not marks(ancestor):
            ancestor = parents.get(ancestor)
        if ancestor is None:
            yield node.lineno, node.value


def _unmarked_template_texts(path: Path, environment):
    from jinja2 import nodes

    tree = environment.parse(path.read_text(encoding="utf-8"))
    marked = {id(const) for call in tree.find_all(nodes.Call)
              if isinstance(call.node, nodes.Name) and call.node.name in MARKERS
              for const in call.find_all(nodes.Const)}
    for data in tree.find_all(nodes.TemplateData):
        for line in data.data.splitlines():
            text = " ".join(re.sub(r"<[^>]*>|[<>]", " ", line).split())
            if VIETNAMESE.search(text):
                yield data.lineno, text
    for const in tree.find_all(nodes.Const):
        if isinstance(const.value, str) and VIETNAMESE.search(const.value) and id(const) not in marked:
            yield const.lineno, const.value


def test_no_vietnamese_text_is_left_unmarked():
    from jinja2 import Environment

    problems = []
    package = PROJECT_ROOT / "bdgtrain"
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        if name in UNMARKED_MODULES:
            continue
        problems += [f"bdgtrain/{name}:{line}: {text!r}" for line, text in _unmarked_python_texts(path)
                     if (name, text) not in UNMARKED_TEXTS]
    for path in sorted([*(PROJECT_ROOT / "templates").rglob("*.html"), *(PROJECT_ROOT / "templates").rglob("*.txt")]):
        problems += [f"templates/{path.relative_to(PROJECT_ROOT / 'templates').as_posix()}:{line}: {text!r}"
                     for line, text in _unmarked_template_texts(path, Environment(extensions=["jinja2.ext.i18n"]))
                     if (path.name, text) not in UNMARKED_TEXTS]
    assert not problems, ("Vietnamese text a reader may see is not marked for translation (wrap it in _(), _l(), "
                          "Message()...):\n" + "\n".join(problems))


def test_translations_keep_the_placeholders_of_their_message(english):
    problems = []
    for entry in english:
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        wanted = {name for text in ids for name in PLACEHOLDER.findall(text)}
        values = dict.fromkeys(wanted, 1)
        for form in entry.string if isinstance(entry.string, tuple) else (entry.string,):
            if set(PLACEHOLDER.findall(form)) != wanted:
                problems.append(f"{ids[0]!r}: {form!r} has {sorted(PLACEHOLDER.findall(form))}, wants {sorted(wanted)}")
                continue
            try:  # Jinja formats every translation, even without parameters: a stray % would break the page
                form % values
            except (KeyError, TypeError, ValueError) as error:
                problems.append(f"{ids[0]!r}: {form!r} cannot be formatted ({error})")
    assert not problems, "\n".join(problems)


def test_english_plurals_follow_the_count(app):
    with force_locale("en"):
        assert translate(PluralMessage("%(num)s lớp", "%(num)s lớp", 1)) == "1 class"
        assert translate(PluralMessage("%(num)s lớp", "%(num)s lớp", 3)) == "3 classes"


def test_pure_messages_translate_with_their_nested_parts(app):
    warnings = eligibility_warnings("M", "commune", "F", ["province", "district"])
    assert warnings == ["Lớp dành cho nữ, người này là nam.",
                        "Lớp dành cho cán bộ cấp tỉnh, cấp huyện; đơn vị của người này là cấp xã."]
    with force_locale("en"):
        assert [translate(w) for w in warnings] == [
            "The class is for female participants; this person is male.",
            "The class is for officials from: provincial level, district level; this person’s organisation: "
            "commune level."]


# --- outside a request: services and the CLI speak Vietnamese ---------------------------------------

def test_a_service_refusal_is_vietnamese_text_outside_a_request(app):
    with pytest.raises(DomainError) as refused:
        lookups.get_plan("NOPE")
    assert refused.value.message == 'Không tìm thấy kế hoạch "NOPE".'
    assert type(refused.value.message) is str and str(refused.value) == refused.value.message
    assert str(DomainError("x", _l("Lớp này đã bị hủy."))) == "Lớp này đã bị hủy."


def test_cli_prints_service_refusals_in_vietnamese(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "khong-hop-le", "--password", "x" * 12,
                                 "--role", "admin"])
    assert result.exit_code == 1
    assert 'Địa chỉ e-mail "khong-hop-le" không hợp lệ.' in result.output


# --- pages ------------------------------------------------------------------------------------------

def switch_language(web, lang: str, page: str = "/login") -> None:
    """The footer's language form, as a person uses it."""
    response = web.post("/locale", {"lang": lang, "next": page}, token_page=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(page)


def test_login_page_is_vietnamese_by_default_and_english_after_switching(app, web, client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="vi"' in page and "Mật khẩu" in page and "Đổi ngôn ngữ" in page and "Password" not in page

    switch_language(web, "en")
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page
    for text in ("Log in", "Password", "Stay logged in on this computer", "Change language",
                 "Skip to main content"):
        assert text in page
    assert "Mật khẩu" not in page and "Đăng nhập" not in page
    assert "Tiếng Việt" in page  # the switch names each language in its own words

    switch_language(web, "vi")
    assert "Mật khẩu" in client.get("/login").get_data(as_text=True)


def test_an_unknown_language_is_ignored(app, web, client):
    switch_language(web, "fr")
    assert 'lang="vi"' in client.get("/login").get_data(as_text=True)


def test_login_request_and_dashboard_in_english(app, web, client):
    make.user("admin@test.vn", "admin")
    make.commit()
    switch_language(web, "en")
    response = client.get("/")
    assert response.status_code == 302
    assert "Please log in to continue." in client.get(response.headers["Location"]).get_data(as_text=True)

    web.login("admin@test.vn")
    page = client.get("/").get_data(as_text=True)
    for text in ("You are logged in.", "Dashboard", "Upcoming sessions", "No upcoming sessions.", "Plans",
                 "Organisations", "Venues", "Audit log", "Log out"):
        assert text in page, text
    assert "Tổng quan" not in page and "Đăng xuất" not in page

    # A fresh session at login and logout keeps the language chosen.
    response = web.post("/logout", token_page="/")
    assert "You have been logged out." in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.fixture
def organiser(app, web):
    org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    make.user("tochuc@test.vn", "organiser", org)
    plan = make.plan(org, code="HT-2019")
    make.training_class(plan, code="LOP-1", date_expression="11-12/7/2019")
    make.commit()
    web.login("tochuc@test.vn")
    return plan


def test_plan_and_class_pages_in_english(organiser, web, client):
    assert "Các lớp tập huấn" in client.get("/plans/HT-2019").get_data(as_text=True)
    switch_language(web, "en", "/plans/HT-2019")
    page = client.get("/plans/HT-2019").get_data(as_text=True)
    for text in ("Training classes", "Edit plan", "Delete plan", "Add class", "Held", "1 class"):
        assert text in page, text
    assert "Kế hoạch thử nghiệm" in page  # what people typed is shown as typed
    assert "Các lớp tập huấn" not in page and "Đã tổ chức" not in page  # the 2019 class's days have passed

    page = client.get("/plans/HT-2019/classes/LOP-1").get_data(as_text=True)
    assert "4 sessions; times are Vietnam time." in page
    assert page.count("Morning") >= 2 and page.count("Afternoon") >= 2 and "Sáng" not in page


def test_service_refusals_reach_the_page_in_english(organiser, web, client):
    switch_language(web, "en", "/plans/HT-2019")
    form = {"code": "lop-1", "title": "Lớp khác", "date_expression": "13/7/2019", "status": "planned",
            "eligible_sex": "", "venue_id": "", "capacity": ""}
    response = web.post("/plans/HT-2019/classes/new", form, token_page="/plans/HT-2019")
    assert response.status_code == 422
    assert "Plan HT-2019 already has a class with the code “LOP-1”." in response.get_data(as_text=True)

    # A pure rule's Message, carried by the service's DomainError to the form.
    response = web.post("/plans/HT-2019/classes/new", dict(form, code="LOP-2", date_expression="31/2/2019"),
                        token_page="/plans/HT-2019")
    assert response.status_code == 422
    assert "31/2/2019 is not a valid date." in response.get_data(as_text=True)

    # A refusal shown as a flash message after a redirect.
    response = web.post("/plans/HT-2019/delete", token_page="/plans/HT-2019")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The plan still has training classes: delete or cancel them before deleting the plan." in page


def test_not_found_in_english_for_pages_and_plain_json(organiser, web, client):
    assert client.get("/plans/NOPE", headers={"Accept": "application/json"}).get_json() == {
        "error": {"code": "not_found", "message": 'Không tìm thấy kế hoạch "NOPE".'}}
    switch_language(web, "en", "/plans/HT-2019")
    response = client.get("/plans/NOPE")
    assert response.status_code == 404 and "Plan “NOPE” not found." in response.get_data(as_text=True)
    assert client.get("/plans/NOPE", headers={"Accept": "application/json"}).get_json() == {
        "error": {"code": "not_found", "message": "Plan “NOPE” not found."}}
    assert "The page or data you asked for was not found." in client.get("/no-such-page").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_translated_message_quoting_what_was_typed_is_escaped(organiser, web, client, lang):
    switch_language(web, lang, "/plans/HT-2019")
    html = client.get("/plans/%3Cb%3Ebold%3C%2Fb%3E").get_data(as_text=True)
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html


# --- the spreadsheet reader's findings in the import preview -----------------------------------------

UPLOAD = "/plans/HT-2019/classes/LOP-3/lists/upload"


@pytest.fixture
def supplier(app, web):
    load_demo()
    snv = db.session.scalar(select(Organisation).where(Organisation.code == "SNV"))
    make.user("noivu@test.vn", "supplier", snv)
    make.commit()
    web.login("noivu@test.vn")
    return snv


def upload(web, supplier, data: bytes, filename: str):
    payload = {"csrf_token": web.csrf(UPLOAD), "source_org_id": str(supplier.id), "file": (io.BytesIO(data), filename)}
    return web.client.post(UPLOAD, data=payload, content_type="multipart/form-data")


def test_import_preview_shows_the_readers_problems_in_english(supplier, web):
    switch_language(web, "en", UPLOAD)
    rows = [{"name": "", "born": 1980}, dict(files.HOA, phone="12345")]
    response = upload(web, supplier, files.snv_xlsx(rows), "ds.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "File refused: 2 errors. Nothing was saved." in html
    assert "Full name missing" in html and "Phone number “12345” is not valid" in html
    assert "Thiếu họ và tên" not in html
    assert "Họ và tên" in html  # the file's own column headings are shown as written


def test_import_preview_notes_and_warnings_in_english(supplier, web, client):
    switch_language(web, "en", UPLOAD)
    response = upload(web, supplier, files.snv_xlsx([files.HOA, dict(files.LAN, sex="Nam")]), "ds.xlsx")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Skipped row 7: it only numbers the columns." in page
    assert "Stopped reading at row" in page and "(totals, signatures)" in page
    assert "The class is for female participants; this person is male." in page
    assert "New people: 2" in page and "Row-by-row preview" in page
    assert "<td>Số điện thoại</td><td>Phone number</td>" in page  # the file's heading, then how it was read
    assert "Bỏ qua dòng" not in page


def test_a_refused_file_is_explained_in_english(supplier, web):
    switch_language(web, "en", UPLOAD)
    response = upload(web, supplier, b"%PDF-1.4\n" + b"0" * 100, "danh-sach.pdf")
    assert response.status_code == 422
    assert ("The file “danh-sach.pdf” is a PDF, not a spreadsheet. Please send an Excel (.xlsx, .xls) or CSV "
            "file.") in response.get_data(as_text=True)


def test_the_same_refusal_is_vietnamese_by_default(supplier, web):
    response = upload(web, supplier, b"%PDF-1.4\n" + b"0" * 100, "danh-sach.pdf")
    assert response.status_code == 422
    assert ("Tệp “danh-sach.pdf” là tệp PDF, không phải bảng tính. Hãy gửi tệp Excel (.xlsx, .xls) hoặc CSV."
            in response.get_data(as_text=True))


def test_message_text_is_what_the_cli_prints(app):
    message = Message("Tệp “%(file)s” không có dữ liệu.", file="a.csv")
    assert translate(message) == str(message) == "Tệp “a.csv” không có dữ liệu."
