"""class seats: enrolments may be "waiting" (nominated when the class was full)

Revision ID: 0025_class_seats_waiting
Revises: 0024
Create Date: 2026-12-06 05:20:00

Issue 21 (seats): a class's capacity is enforced; nominations beyond it go to a waiting list and are
offered the next seat that frees, in nomination order. Only the status CHECK changes. SQLite rebuilds
the table for that, and a rebuilt table loses its triggers: the two completion triggers of 0012 on
enrolments are created again, as 0012 wrote them.
"""
from alembic import op


revision = '0025_class_seats_waiting'
down_revision = '0024_api_token_scopes'
branch_labels = None
depends_on = None

_OLD = "status IN ('nominated', 'confirmed', 'declined', 'replaced')"
_NEW = "status IN ('nominated', 'confirmed', 'declined', 'replaced', 'waiting')"
_INVALIDATE = ("UPDATE training_classes SET completions_as_of = NULL "
               "WHERE id = {class_id} AND completions_as_of IS NOT NULL")
# As 0012_stored_completions created them on SQLite (PostgreSQL keeps its triggers through ALTER).
_SQLITE_TRIGGERS = [
    ("trg_enrolments_upd_completions", "UPDATE",
     " WHEN OLD.status IS NOT NEW.status OR OLD.person_id IS NOT NEW.person_id OR OLD.class_id IS NOT NEW.class_id",
     ["OLD.class_id", "NEW.class_id"]),
    ("trg_enrolments_del_completions", "DELETE", "", ["OLD.class_id"]),
]


def _change_check(check: str) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_enrolments_known_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_enrolments_known_status'), check)
    if sqlite:
        for trigger, event, condition, class_ids in _SQLITE_TRIGGERS:
            body = ";\n".join(_INVALIDATE.format(class_id=c) for c in class_ids)
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            op.execute(f"CREATE TRIGGER {trigger} AFTER {event} ON enrolments FOR EACH ROW{condition}\n"
                       f"BEGIN\n{body};\nEND")


def upgrade():
    _change_check(_NEW)


def downgrade():
    # Nobody waits any more: a waiting nomination reads as declined, with why.
    op.execute("UPDATE enrolments SET status = 'declined', status_note = 'Danh sách chờ (không được xếp chỗ)' "
               "WHERE status = 'waiting'")
    _change_check(_OLD)
