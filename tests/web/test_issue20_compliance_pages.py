"""Issue 20, finding 6: the compliance pages grew with a plan (32 MB of HTML, an access-log row naming
every person). The people they name (outside the audience, no-shows) come 100 to a page, searchable
by name; the tallies stay whole, the .xlsx stays complete, and the access log names the people shown."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from bdgtrain.extensions import db
from bdgtrain.models import Enrolment, Organisation, Person, PersonalDataAccess, TrainingClass
from bdgtrain.models.privacy import PersonalDataAccessPerson
from bdgtrain.rules.names import fold, sort_key
from tests import factories as make
from tests import monitoring_world
from tests.conftest import Browserless

CROWD = 250  # no-shows added to LOP-3 (whose four sessions are over); with Cúc, Minh and Bình: 253 named


def _name(n: int) -> str:
    return f"Nguyễn Thị Mẫu {n:03d}"


@pytest.fixture
def world(app):
    plan, people = monitoring_world.build()
    monitoring_world.save_signer(plan)
    lop3 = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))
    db.session.execute(insert(Person), [{"full_name": _name(n), "name_folded": fold(_name(n)),
                                         "name_sort_key": sort_key(_name(n)), "sex": "F",
                                         "unit_name": "UBND huyện Kỳ Anh", "unit_folded": fold("UBND huyện Kỳ Anh")}
                                        for n in range(1, CROWD + 1)])
    ids = db.session.scalars(select(Person.id).where(Person.name_folded.like("nguyen thi mau %"))).all()
    assert len(ids) == CROWD
    db.session.execute(insert(Enrolment), [{"class_id": lop3.id, "person_id": pid, "status": "confirmed"}
                                           for pid in ids])
    hlhpn = db.session.scalar(select(Organisation).where(Organisation.code == "HLHPN"))
    make.user("giamsat@test.vn", "monitor", hlhpn)
    db.session.commit()
    return plan, people


def _client(app):
    client = app.test_client()
    assert Browserless(client).login("giamsat@test.vn").status_code == 302
    return client


def _people_rows(html: str) -> list[str]:
    """The names in the people table's rows (none when the page has no table)."""
    table = re.search(r'<table class="striped people-list">(.*?)</table>', html, re.S)
    if not table:
        return []
    body = table.group(1).split("<tbody>")[1]
    return re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td>", body)


def _last_access(action: str) -> tuple[PersonalDataAccess, set[str]]:
    entry = db.session.scalars(select(PersonalDataAccess).where(PersonalDataAccess.action == action)
                               .order_by(PersonalDataAccess.id.desc())).first()
    named = set(db.session.scalars(select(Person.full_name).join(
        PersonalDataAccessPerson, PersonalDataAccessPerson.person_id == Person.id)
        .where(PersonalDataAccessPerson.access_id == entry.id)))
    return entry, named


@pytest.mark.parametrize("url", ["/plans/HT-2019/compliance", "/monitor/HT-2019", "/plans/HT-2019/summary"])
def test_people_come_a_hundred_to_a_page_and_the_log_names_those_shown(app, world, url):
    client = _client(app)
    action = {"/plans/HT-2019/compliance": "compliance.viewed", "/monitor/HT-2019": "monitoring.dashboard.viewed",
              "/plans/HT-2019/summary": "plan.summary.viewed"}[url]
    seen = []
    for page in (1, 2, 3):
        response = client.get(f"{url}?page={page}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert len(response.data) < 1_000_000
        assert html.count("Nguyễn Thị Mẫu") <= 100                               # main named all 250 here
        rows = _people_rows(html)
        assert len(rows) == (100 if page < 3 else CROWD + 3 - 200)
        assert "Trang %s/3 — 253 mục" % page in html and 'aria-label="Trang 3"' in html   # the page links
        entry, named = _last_access(action)
        assert entry.people_count == len(rows) and named == set(rows)           # only the people shown
        seen += rows
    assert len(seen) == len(set(seen)) == CROWD + 3                             # page 3 shows the rest
    assert {"Lê Văn Minh", "Hồ Thị Bình", "Phạm Thị Cúc", _name(1), _name(CROWD)} <= set(seen)


def test_tallies_stay_whole_while_the_names_are_paged(app, world):
    html = _client(app).get("/plans/HT-2019/compliance").get_data(as_text=True)
    lop3 = re.search(r'LOP-3</a>.*?</tr>', html, re.S).group(0)
    cells = re.findall(r'<td class="num">(\d+)</td>', lop3)
    assert cells[:1] == [str(5 + CROWD)] and cells[4] == str(1 + CROWD)          # nominated, no-show: everyone


def test_search_by_folded_name_finds_one_person(app, world):
    client = _client(app)
    html = client.get("/plans/HT-2019/compliance?q=mau+007").get_data(as_text=True)
    assert _people_rows(html) == [_name(7)]
    _entry, named = _last_access("compliance.viewed")
    assert named == {_name(7)}
    html = client.get("/plans/HT-2019/compliance?q=PHẠM THỊ CÚC").get_data(as_text=True)
    assert _people_rows(html) == ["Phạm Thị Cúc"]
    html = client.get("/plans/HT-2019/compliance?q=nobody").get_data(as_text=True)
    assert _people_rows(html) == [] and "Không tìm thấy ai khớp “nobody”." in html
    # the search is kept in the page links
    html = client.get("/plans/HT-2019/compliance?q=mau").get_data(as_text=True)
    assert len(_people_rows(html)) == 100 and "q=mau" in html and "Trang 1/3 — 250 mục" in html


def test_a_page_past_the_last_shows_the_last_never_a_500(app, world):
    client = _client(app)
    response = client.get("/plans/HT-2019/compliance?page=999")
    assert response.status_code == 200
    assert len(_people_rows(response.get_data(as_text=True))) == 53
    response = client.get("/plans/HT-2019/compliance?page=999&q=nobody")
    assert response.status_code == 200 and _people_rows(response.get_data(as_text=True)) == []
    assert client.get("/plans/HT-2019/compliance?page=99999999999999999999").status_code == 400


def test_the_compliance_file_stays_complete(app, world):
    response = _client(app).get("/plans/HT-2019/compliance.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[-1]
    names = {row[1] for row in sheet.iter_rows(min_row=4, values_only=True) if row and row[1]}
    assert {_name(n) for n in range(1, CROWD + 1)} | {"Phạm Thị Cúc", "Lê Văn Minh", "Hồ Thị Bình"} <= names
    entry, named = _last_access("compliance.exported")
    assert entry.people_count == CROWD + 3 and len(named) == CROWD + 3


# --- issue 22: the classes come 50 to a page, with a search by code or title ----------------------------

def _class_rows(html: str) -> list[str]:
    """The class codes of the classes table's rows, in order."""
    table = html.split('aria-label="Các lớp tập huấn"')[1].split("</table>")[0]
    return re.findall(r'<th scope="row" class="class-cell"><a href="[^"]*">([^<]*)</a>', table)


@pytest.fixture
def many_classes(app, world):
    """60 more classes in the plan (EXTRA-01 ... EXTRA-60), nobody in them: 64 with LOP-1 ... LOP-4."""
    plan, _people = world
    db.session.execute(insert(TrainingClass), [{"plan_id": plan.id, "code": f"EXTRA-{n:02d}",
                                                "title": f"Lớp bổ sung số {n}", "status": "planned"}
                                               for n in range(1, 61)])
    db.session.commit()
    return world


def test_classes_come_fifty_to_a_page_while_the_plan_total_stays_whole(app, many_classes):
    client = _client(app)
    first = client.get("/plans/HT-2019/compliance").get_data(as_text=True)
    second = client.get("/plans/HT-2019/compliance?class_page=2").get_data(as_text=True)
    assert _class_rows(first) == [f"EXTRA-{n:02d}" for n in range(1, 51)]
    assert _class_rows(second) == [f"EXTRA-{n:02d}" for n in range(51, 61)] + ["LOP-1", "LOP-2", "LOP-3", "LOP-4"]
    def nominated(html):  # the first figure of each class row, and of the total row
        rows = re.findall(r'class="class-cell">.*?</tr>', html, re.S)
        total = re.search(r"Tổng cộng</th>.*?</tr>", html, re.S).group(0)
        return [int(re.findall(r'<td class="num">(\d+)</td>', r)[0]) for r in rows], int(
            re.findall(r'<td class="num">(\d+)</td>', total)[0])
    (on_first, total), (on_second, total_again) = nominated(first), nominated(second)
    assert total == total_again == sum(on_first + on_second) and total > CROWD   # the total is the plan's
    assert "Theo kế hoạch: 64 lớp" in first and "Theo kế hoạch: 64 lớp" in second
    assert "class_page=2" in first and "Trang 1/2 — 64 mục" in first and "Trang 2/2 — 64 mục" in second
    # the people list's links keep the classes' page, and the classes' links keep the people's page
    assert re.search(r'href="[^"]*class_page=2[^"]*page=2|href="[^"]*page=2[^"]*class_page=2', second)
    people_second = client.get("/plans/HT-2019/compliance?page=2").get_data(as_text=True)
    assert re.search(r'href="[^"]*class_page=2[^"]*"', people_second)
    assert client.get("/plans/HT-2019/compliance?class_page=999").status_code == 200
    assert _class_rows(client.get("/plans/HT-2019/compliance?class_page=999").get_data(as_text=True))[-1] == "LOP-4"
    assert client.get("/plans/HT-2019/compliance?class_page=abc").status_code == 400


def test_search_by_class_code_or_title_keeps_the_whole_figures(app, many_classes):
    client = _client(app)
    whole = client.get("/plans/HT-2019/compliance").get_data(as_text=True)
    html = client.get("/plans/HT-2019/compliance?class_q=lop-3").get_data(as_text=True)
    assert _class_rows(html) == ["LOP-3"]
    lop3 = re.search(r'LOP-3</a>.*?</tr>', html, re.S).group(0)
    assert re.findall(r'<td class="num">(\d+)</td>', lop3)[:1] == [str(5 + CROWD)]
    # the search picks the rows; the total, the agencies and the districts stay the plan's
    for section in ("Tổng cộng</th>", 'id="by-agency"', 'id="by-district"'):
        assert whole.split(section)[1].split("</table>")[0] == html.split(section)[1].split("</table>")[0]
    assert _class_rows(client.get("/plans/HT-2019/compliance?class_q=BO SUNG SO 7").get_data(as_text=True)) == [
        "EXTRA-07"]
    html = client.get("/plans/HT-2019/compliance?class_q=nothing").get_data(as_text=True)
    assert _class_rows(html) == [] and "Không tìm thấy lớp nào khớp “nothing”." in html
