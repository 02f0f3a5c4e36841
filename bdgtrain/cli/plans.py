"""`flask plan ...`: a plan's Kế hoạch written as .docx or PDF (issue 23), for scripts and checks.

`plan document --plan HT-2019 --out ke-hoach.docx` writes what the plan's page would download: the texts the
organiser saved, else the generated ones. The format is the file's suffix.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..services.planning import plan_document
from .common import find_plan


@click.group("plan", help="Kế hoạch: văn bản Kế hoạch (.docx, PDF).")
def plan_group() -> None:
    pass


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
