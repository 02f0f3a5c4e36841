"""pool unit cycle index: a unit's pool entries by cycle, for its pool page

Revision ID: 0031_pool_unit_cycle_index
Revises: 0030_pool_import_preview
Create Date: 2026-12-07 01:20:00

Issue 22: a unit's pool page read all of the unit's entries (27,000 in the province-scale world) three
times over to find its cycles and count its list and who may be carried. With this index its cycles
are a few index probes and its counts read the index alone (services/pool/pool_register.py).
"""
from alembic import op


revision = '0031_pool_unit_cycle_index'
down_revision = '0030_pool_import_preview'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pool_entries', schema=None) as batch_op:
        batch_op.create_index('ix_pool_entries_unit_cycle',
                              ['organisation_id', 'cycle', 'cycle_starts_on', 'left_on', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('pool_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_pool_entries_unit_cycle')
