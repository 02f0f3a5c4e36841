"""`flask privacy purge [--days N] [--dry-run]`: retention of uploaded list files.

Removes the content of uploaded list files older than N days (default IMPORT_RETENTION_DAYS, 30)
and discards previews left that long; the import's record (file name, counts, who, when) stays.
Meant to run daily from a systemd timer (docs/DEPLOY.md, docs/PRIVACY.md).
"""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ..errors import DomainError
from ..extensions import db
from ..models.base import utcnow
from ..services.privacy import privacy

privacy_group = AppGroup("privacy", help="Personal-data protection: retention of uploaded files.")


@privacy_group.command("purge")
@click.option("--days", type=int, default=None,
              help="Keep uploaded list files this many days (default: IMPORT_RETENTION_DAYS).")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
def purge(days: int | None, dry_run: bool):
    """Remove the content of uploaded list files older than the retention period."""
    days = current_app.config["IMPORT_RETENTION_DAYS"] if days is None else days
    try:
        result = privacy.purge_imports(utcnow(), days, dry_run=dry_run)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if dry_run:
        db.session.rollback()
        click.echo(f"Sẽ xóa nội dung {result['files']} tệp danh sách, hủy {result['previews']} bản xem trước "
                   f"(cũ hơn {days} ngày). Chưa xóa gì (--dry-run).")
        return
    db.session.commit()
    click.echo(f"Đã xóa nội dung {result['files']} tệp danh sách, hủy {result['previews']} bản xem trước "
               f"(cũ hơn {days} ngày).")
