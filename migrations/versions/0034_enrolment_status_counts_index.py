"""enrolment status counts index: a class's enrolments counted by status and nominating body from an index

Revision ID: 0034_enrolment_status_counts
Revises: 0033_attendance_marks_index
Create Date: 2026-12-07 05:20:00

Issue 22: the roster counts a class's enrolments by status and nominating body (services/lists/roster.py,
roster_figures: its status line and its seats per body, and a supplier's count of her nominees). Found
through (class, person), the 3,000 enrolments of the province-scale class were each read from the table
for their status and body: 0.5 ms on SQLite, 0.7 ms on PostgreSQL; an index on (class, status, body)
answers alone, in 0.15 and 0.34 ms.
"""
from alembic import op


revision = '0034_enrolment_status_counts'
down_revision = '0033_attendance_marks_index'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.create_index('ix_enrolments_class_status_body', ['class_id', 'status', 'body_org_id'], unique=False)


def downgrade():
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_index('ix_enrolments_class_status_body')
