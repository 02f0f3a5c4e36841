"""targets' counting windows: the period of the document that set each target

Revision ID: 0018_target_windows
Revises: 0015_access_people
Create Date: 2026-12-05 13:10:00

Seed 000's "đạt 75% vào năm 2025" belongs to a programme of 2021-2030; seed 001's yearly targets to
their year. A woman of the pool counts as trained when her training falls inside the window of the
target she is measured against, whether before or after she joined. Targets written before this
revision have no window and keep being counted over each pool entry's cycle.
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_target_windows'
down_revision = '0015_access_people'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('window_starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('window_ends_on', sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_targets_window_period'), '(window_starts_on IS NULL) = (window_ends_on IS NULL) '
            'AND (window_ends_on IS NULL OR window_ends_on >= window_starts_on)')


def downgrade():
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_targets_window_period'), type_='check')
        batch_op.drop_column('window_ends_on')
        batch_op.drop_column('window_starts_on')
