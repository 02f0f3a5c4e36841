"""practice plans: a plan for trying the training day, kept out of every figure

Revision ID: 0028_practice_and_statuses
Revises: 0027_plan_documents
Create Date: 2026-12-06 05:30:00

Issue 21: the demo is in 2019, so its scanner, room code and feedback form could not be tried
without changing the clock. The demo gets a practice plan whose class runs on the day `make run` is
run. `plans.is_practice` marks it; every counting query leaves such plans out
(models.planning.COUNTED_PLAN_SQL). Class and session statuses are derived (rules.class_status),
so nothing else is stored.
"""
from alembic import op
import sqlalchemy as sa


revision = '0028_practice_and_statuses'
down_revision = '0027_plan_documents'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_practice', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('is_practice')
