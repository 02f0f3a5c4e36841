"""attendance marks index: a plan's compliance counts its held sessions' marks from an index

Revision ID: 0033_attendance_marks_index
Revises: 0032_pool_person_counting
Create Date: 2026-12-07 01:50:00

Issue 22: the compliance page, the dashboard and the plan summary count each enrolment's present and
late marks in the plan's held sessions (services/monitoring/compliance.py, _marks). Picked by session,
the 26,600 marks of the province-scale plan were each read from the table for their status and
enrolment; an index on (session, status, enrolment) answers alone.
"""
from alembic import op


revision = '0033_attendance_marks_index'
down_revision = '0032_pool_person_counting'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.create_index('ix_attendances_session_status_enrolment', ['session_id', 'status', 'enrolment_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.drop_index('ix_attendances_session_status_enrolment')
