"""`flask demo load|lists|attendance|pool|carry-pool|practice`: the Hà Tĩnh 2019 demo plan (seed 004), its
sample files and activity."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..errors import DomainError
from ..extensions import db
from ..links import external_url
from ..localtime import local_today
from ..models.base import utcnow
from ..services.checkin import tickets
from ..services.demo import demo
from ..services.demo.attendance import mark_demo_attendance
from ..services.demo.lists import sample_lists
from ..services.demo.pool import carry_to_the_cycle_of, sample_pool
from ..services.demo.practice import ensure_practice_class
from ..services.feedback import feedback
from ..services.reporting import completions
from .common import fail, find_class, first_run_password

demo_group = AppGroup("demo", help="The Hà Tĩnh 2019 demo plan (seed 004).")


@demo_group.command("load")
@click.option("--with-users/--without-users", default=False,
              help="Also create one demo account per role (organiser, suppliers, monitor).")
def demo_load(with_users: bool):
    """Load the demo; running it again changes nothing."""
    try:
        plan = demo.load_demo()
        created = demo.ensure_demo_users(first_run_password("demo-password")) if with_users else []
        db.session.commit()
    except DomainError as error:
        fail(error)
    click.echo(f"Kế hoạch {plan.code}: {len(plan.classes)} lớp, "
               f"{sum(len(c.sessions) for c in plan.classes)} buổi.")
    for email in created:
        click.echo(f"Đã tạo tài khoản demo {email}")


@demo_group.command("lists")
@click.argument("folder", type=click.Path(file_okay=False))
def demo_lists(folder):
    """Write the two agencies' sample lists for Lớp 3 into FOLDER, to try `lists import` or the upload page."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for name, content in sample_lists().items():
        (target / name).write_bytes(content)
        click.echo(target / name)


@demo_group.command("attendance")
@click.option("--class", "class_code", default="LOP-3", show_default=True)
def demo_attendance(class_code):
    """Mark sample attendance in a demo class's past sessions (some late, some absent), for the monitor's view."""
    added = mark_demo_attendance(find_class(demo.PLAN_CODE, class_code), utcnow())
    db.session.commit()
    completions.refresh()  # as the check-in sweep would: the demo's reports read stored completions
    db.session.commit()
    click.echo(f"{class_code}: {added} dòng điểm danh mẫu đã ghi.")


@demo_group.command("pool")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def demo_pool(file):
    """Write a sample Hà Tĩnh planning pool to FILE (some of Lớp 3's women among them), for `pool import`."""
    with open(file, "wb") as handle:
        handle.write(sample_pool())
    click.echo(file)


@demo_group.command("carry-pool")
def demo_carry_pool():
    """Carry the demo's pool (imported into 2016-2021) into each next cycle up to the one running today."""
    try:
        carried = carry_to_the_cycle_of(local_today())
        db.session.commit()
    except DomainError as error:
        fail(error)
    for cycle, count in carried:
        click.echo(f"{count} người chuyển sang nhiệm kỳ {cycle}.")


@demo_group.command("practice")
@click.option("--base", default="http://127.0.0.1:5000", show_default=True,
              help="The address the app is served at, for the links printed.")
def demo_practice(base):
    """Put the practice class ("Lớp thực hành", in no figure) on today, with its people; print its links."""
    try:
        practice = ensure_practice_class(utcnow())
        db.session.commit()
    except DomainError as error:
        fail(error)
    plan, cls = practice.plan, practice.cls
    click.echo(f"Lớp thực hành {plan.code}/{cls.code}: hôm nay, {len(practice.enrolments)} học viên"
               + (" (đã chuyển sang hôm nay, điểm danh thử trước đó đã xóa)." if practice.moved else "."))
    links = [("Trang lớp", "plans.view_class"), ("Quét mã điểm danh", "checkin.scanner"),
             ("Mã phòng (máy chiếu)", "checkin.kiosk"), ("Theo dõi trực tiếp", "checkin.live")]
    for label, endpoint in links:
        click.echo(f"  {label}: {external_url(endpoint, base, code=plan.code, class_code=cls.code)}")
    click.echo(f"  Phiếu đánh giá: {feedback.form_url(cls, base)}")
    for enrolment in practice.enrolments:
        click.echo(f"  Vé của {enrolment.person.full_name}: {tickets.ticket_url(enrolment, base)}")
