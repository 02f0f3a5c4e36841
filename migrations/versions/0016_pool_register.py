"""the pool as a register: "retired" as a leaving reason, entries carried into the next cycle, kept uploads

Revision ID: 0016_pool_register
Revises: 0021_class_closed
Create Date: 2026-12-05 13:20:00

A woman may leave the pool because she retires; an entry carried into the next cycle names the one it
carries on (`carried_from_id`), so a page can tell "ended with its cycle" from "carried"; a pool file
uploaded on a unit's page is kept from its preview until it is confirmed (`status`, `content`). Imports
written before this revision were applied at once: their status is "applied".
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_pool_register'
down_revision = '0021_class_closed'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pool_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_pool_entries_carried_from_id_pool_entries'), 'pool_entries',
                                    ['carried_from_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_pool_entries_carried_from_id'), ['carried_from_id'], unique=False)
        batch_op.drop_constraint(op.f('ck_pool_entries_known_leave_reason'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_pool_entries_known_leave_reason'),
            "leave_reason IS NULL OR leave_reason IN ('appointed', 'moved', 'removed', 'retired', 'other')")

    with op.batch_alter_table('pool_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='applied', nullable=False))
        batch_op.add_column(sa.Column('content', sa.LargeBinary(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_pool_imports_known_status'),
                                         "status IN ('preview', 'applied', 'discarded')")


def downgrade():
    op.execute("UPDATE pool_entries SET leave_reason = 'other' WHERE leave_reason = 'retired'")
    with op.batch_alter_table('pool_imports', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_pool_imports_known_status'), type_='check')
        batch_op.drop_column('content')
        batch_op.drop_column('status')

    with op.batch_alter_table('pool_entries', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_pool_entries_known_leave_reason'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_pool_entries_known_leave_reason'),
            "leave_reason IS NULL OR leave_reason IN ('appointed', 'moved', 'removed', 'other')")
        batch_op.drop_index(batch_op.f('ix_pool_entries_carried_from_id'))
        batch_op.drop_constraint(batch_op.f('fk_pool_entries_carried_from_id_pool_entries'), type_='foreignkey')
        batch_op.drop_column('carried_from_id')
