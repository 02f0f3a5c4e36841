"""`flask plan ...`: a Kế hoạch read from a file, or written from a plan (issue 23).

`plan read FILE [--json] [--create --organiser CODE]` reads a Kế hoạch as the page does
(importers/plan_text, rules/plan_reading) and, with --create, confirms it into a plan
(services/plan_reading), committing once at the end.

`plan document --plan HT-2019 --out ke-hoach.docx` writes what the plan's page would download: the texts
the organiser saved, else the generated ones. The format is the file's suffix."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from ..errors import DomainError
from ..extensions import db
from ..importers.plan_text import MAX_PLAN_BYTES, extract_plan_text
from ..importers.results import ReadError
from ..rules import numbers
from ..services.plan_reading import drafts
from ..services.planning import plan_document
from .common import fail, find_org, find_plan

plan_group = AppGroup("plan", help="Kế hoạch: đọc từ tệp, ghi ra .docx hoặc PDF.")


def _refuse(code: str, message: str, as_json: bool):
    db.session.rollback()
    if as_json:
        click.echo(json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False))
        raise SystemExit(2)
    raise click.ClickException(message)


def _summary(data: dict) -> str:
    lines = [f"Tên: {data['title'] or '(không thấy)'}"]
    for c in data["classes"]:
        state = " (dự kiến)" if c["tentative"] else ""
        lines.append(f"- {c['name']}: {c['date_expression'] or '(chưa có ngày)'}{state}")
    for t in data["targets"]:
        lines.append(f"- Chỉ tiêu {numbers.percent(t['share'], digits=0)} năm {t['year'] or '?'}: {t['subject']}")
    for d in data["report_deadlines"]:
        lines.append(f"- {d['label']}: trước {d['day']}/{d['month']}")
    if data["unrecognised"]:
        lines.append("Chưa hiểu:")
        lines += [f"- {n['message']}" + (f" ({n['source'][:80]})" if n["source"] else "")
                  for n in data["unrecognised"]]
    return "\n".join(lines)


@plan_group.command("read")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what was read as JSON.")
@click.option("--create", is_flag=True, help="Create the plan, as the page's confirm does.")
@click.option("--organiser", "organiser_code", help="Code of the organising unit (required with --create).")
def plan_read(path: Path, as_json: bool, create: bool, organiser_code: str | None):
    """Read the Kế hoạch in FILE (.docx, .pdf with text, .txt) and show what was recognised."""
    if create and not organiser_code:
        raise click.UsageError("--create cần --organiser MÃ_ĐƠN_VỊ (đơn vị tổ chức kế hoạch).")
    if path.stat().st_size > MAX_PLAN_BYTES:
        _refuse("file.too_large", f"Tệp quá lớn (tối đa {MAX_PLAN_BYTES // 1048576} MB).", as_json)
    try:
        text = extract_plan_text(path.read_bytes(), path.name)
        reading = drafts.read_text(text)
    except ReadError as error:
        _refuse(error.code, str(error.message), as_json)
    except DomainError as error:
        _refuse(error.code, error.message, as_json)
    data = reading.to_json()
    data.pop("sources")
    for c in data["classes"]:
        c.pop("sources")
    plan, existed = None, False
    if create:
        organiser = find_org(organiser_code)
        try:
            draft = drafts.read_into_draft(None, organiser, text, path.name)
            existed = draft.plan_id is not None
            plan = drafts.confirm_draft(None, draft)
            db.session.commit()
        except DomainError as error:
            if as_json:
                _refuse(error.code, error.message, True)
            fail(error)
        data["plan"] = {"code": plan.code, "classes": [c.code for c in plan.classes]}
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(_summary(data))
    if plan is not None:
        done = "Kế hoạch này đã được tạo trước đây" if existed else "Đã tạo kế hoạch"
        click.echo(f"{done}: {plan.code} với {len(plan.classes)} lớp.")


@plan_group.command("document")
@click.option("--plan", "plan_code", required=True, help="Mã kế hoạch, ví dụ HT-2019.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp ghi ra: .docx hoặc .pdf.")
def document(plan_code: str, out: Path) -> None:
    """Ghi văn bản Kế hoạch của một kế hoạch ra tệp .docx hoặc .pdf."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in plan_document.FORMATS:
        raise click.ClickException("Tên tệp phải kết thúc bằng .docx hoặc .pdf.")
    plan = find_plan(plan_code)
    content = plan_document.plan_document_file(plan, fmt)
    out.write_bytes(content)
    saved = "nội dung đã lưu" if plan_document.saved_document(plan) is not None else "nội dung tạo tự động"
    click.echo(f"Đã ghi Kế hoạch {plan.code} ({saved}) ra {out} ({len(content)} byte).")
