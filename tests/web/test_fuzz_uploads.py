"""Uploads fuzzed end to end: mutated lists through the upload page, mutated pool files through the
pool importer. Every one ends in a preview or a clear refusal (never a server error), within a few
seconds, and a refused file writes nothing. (The readers alone get many more inputs in
tests/importers/test_fuzz_readers.py; these add the service and the web layer on top.)"""
from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Organisation, Person, PoolEntry
from bdgtrain.services.demo.demo import load_demo
from bdgtrain.services.demo.pool import sample_pool
from tests import factories as make
from tests.conftest import Browserless
from tests.importers.fuzzing import READ_SECONDS, byte_mutations, uploads, within, zip_member_mutations

WEB = settings(max_examples=25, deadline=None, derandomize=True, database=None,
               suppress_health_check=list(HealthCheck))


@pytest.fixture
def uploader(app):
    load_demo()
    snv = db.session.scalar(select(Organisation).where(Organisation.code == "SNV"))
    make.user("snv@test.vn", "supplier", snv)
    make.commit()
    client = app.test_client()
    assert Browserless(client).login("snv@test.vn").status_code == 302
    return client, snv.id


def test_mutated_lists_through_the_upload_page_never_break_it(app, uploader):
    client, snv_id = uploader
    url = "/plans/HT-2019/classes/LOP-3/lists/upload"
    token = Browserless(client).csrf(url)
    people_before = db.session.scalar(select(func.count()).select_from(Person))

    @WEB
    @given(upload=uploads())
    def run(upload):
        filename, data = upload
        db.session.commit()  # the request runs in another thread: nothing of ours may hold a lock
        status, response = within(READ_SECONDS * 2, client.post, url, data={
            "csrf_token": token, "source_org_id": str(snv_id), "file": (io.BytesIO(data), filename)},
            content_type="multipart/form-data")
        assert status == "ok", response
        assert response.status_code in (303, 422), (filename, response.status_code)
        if response.status_code == 422:
            assert 'class="error' in response.get_data(as_text=True) or "lỗi" in response.get_data(as_text=True)

    run()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Person)) == people_before  # previews write no people


def _pool_plan(app, filename, data):
    from bdgtrain.errors import DomainError
    from bdgtrain.services.lists import lists
    from bdgtrain.services.pool import pool

    with app.app_context():
        try:
            read = lists.read_upload(filename, data, date(2025, 6, 1))
            plan = pool.plan_pool_import(read, "2021-2026", None, date(2025, 6, 1))
            return ("plan", len(plan.rows), len(plan.problems))
        except DomainError as error:
            assert error.code and error.message.strip()
            return ("refused", error.code)
        finally:
            db.session.rollback()


POOL_SEED = sample_pool()  # once: the zip's timestamps change from one build to the next


@st.composite
def pool_files(draw):
    seed = POOL_SEED
    if draw(st.booleans()):
        return "quy-hoach.xlsx", draw(zip_member_mutations(seed))
    return draw(st.sampled_from(["quy-hoach.xlsx", "quy-hoach.csv", "quy-hoach.xls"])), draw(byte_mutations(seed))


def test_mutated_pool_files_end_in_a_plan_or_a_refusal(app):
    load_demo()
    make.commit()
    assert _pool_plan(app, "quy-hoach.xlsx", POOL_SEED)[0] == "plan"  # the seed itself is read

    @WEB
    @given(upload=pool_files())
    def run(upload):
        filename, data = upload
        status, value = within(READ_SECONDS * 2, _pool_plan, app, filename, data)
        if status == "raised":
            raise AssertionError(f"{filename}: {value!r}") from value

    run()
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == 0
