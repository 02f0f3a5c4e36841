"""completion warnings: a mail kind for participants below the completion threshold

Revision ID: 0005_completion_warnings
Revises: 0004_calendar
Create Date: 2026-11-23 12:55:00

After a session closes, an invited participant who has fallen below her class's completion
threshold is e-mailed once for that session; the outbox needs to accept that kind of message.
"""
from alembic import op


revision = '0005_completion_warnings'
down_revision = '0004_calendar'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_mail_messages_known_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_mail_messages_known_kind'),
            "kind IN ('invitation', 'update', 'cancellation', 'completion_warning')")


def downgrade():
    op.execute("DELETE FROM mail_messages WHERE kind = 'completion_warning'")
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_mail_messages_known_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_mail_messages_known_kind'),
                                         "kind IN ('invitation', 'update', 'cancellation')")
