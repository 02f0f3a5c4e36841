"""pool entries in person order with the counting columns: a covering index for the province's trained share

Revision ID: 0032_pool_person_counting
Revises: 0031_pool_unit_cycle_index
Create Date: 2026-12-07 01:30:00

Issue 22: the plan summary and the monitor's dashboard show the province's trained share, a statement
over the whole pool (100,000 entries at province scale). Read through ix_pool_entries_unit_counting, the
entries come in unit order and SQLite fetched each one's row of `people` (her sex) at random: most of
the time spent reading the entries. From an index in person order that also holds the columns the count
needs, no table row of pool_entries is read and the rows of `people` are read in order, once each.

ix_pool_entries_person_id stays: with it PostgreSQL merges the pool with `people` in person order; when
it was replaced by this wider index, the planner hashed both tables instead and spilled the grouping to
disk.
"""
from alembic import op


revision = '0032_pool_person_counting'
down_revision = '0031_pool_unit_cycle_index'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pool_entries', schema=None) as batch_op:
        batch_op.create_index('ix_pool_entries_person_counting', ['person_id', 'added_on', 'left_on', 'cycle_ends_on',
                                                                  'organisation_id', 'cycle_starts_on'], unique=False)


def downgrade():
    with op.batch_alter_table('pool_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_pool_entries_person_counting')
