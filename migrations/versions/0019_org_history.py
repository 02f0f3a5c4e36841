"""organisations through time: dated parents and names (organisation_periods) and several successors (organisation_successors)

Revision ID: 0019_org_history
Revises: 0017_external_training_kinds
Create Date: 2026-12-05 13:30:00

A unit had one undated parent, name and successor: moving a commune rewrote the figures of its old
district for every earlier year, and a district split among communes could not be said. Each existing
unit gets one period (from its own first day, open, with its parent and name of now) and one successor
row for its successor; organisations.parent_id, name and successor_id stay as the latest values.
"""
from alembic import op
import sqlalchemy as sa


revision = '0019_org_history'
down_revision = '0017_external_training_kinds'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> organisation_id',
                       name=op.f('ck_organisation_periods_not_own_parent')),
    sa.CheckConstraint('valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from',
                       name=op.f('ck_organisation_periods_valid_period')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_organisation_periods_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['organisations.id'],
                            name=op.f('fk_organisation_periods_parent_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_periods'))
    )
    with op.batch_alter_table('organisation_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_periods_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_periods_parent_id'), ['parent_id'], unique=False)

    op.create_table('organisation_successors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('successor_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('successor_id <> organisation_id', name=op.f('ck_organisation_successors_not_own_successor')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_organisation_successors_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['successor_id'], ['organisations.id'],
                            name=op.f('fk_organisation_successors_successor_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_successors')),
    sa.UniqueConstraint('organisation_id', 'successor_id', name=op.f('uq_organisation_successors_organisation_id_successor_id'))
    )
    with op.batch_alter_table('organisation_successors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_successors_organisation_id'), ['organisation_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_successors_successor_id'), ['successor_id'], unique=False)

    # One open period per existing unit, one successor row per successor.
    op.execute("INSERT INTO organisation_periods (organisation_id, valid_from, valid_to, parent_id, name, "
               "created_at, updated_at) SELECT id, valid_from, NULL, parent_id, name, created_at, updated_at "
               "FROM organisations ORDER BY id")
    op.execute("INSERT INTO organisation_successors (organisation_id, successor_id, created_at, updated_at) "
               "SELECT id, successor_id, created_at, updated_at FROM organisations "
               "WHERE successor_id IS NOT NULL AND successor_id <> id ORDER BY id")


def downgrade():
    with op.batch_alter_table('organisation_successors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_successors_successor_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_successors_organisation_id'))
    op.drop_table('organisation_successors')
    with op.batch_alter_table('organisation_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_periods_parent_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_periods_organisation_id'))
    op.drop_table('organisation_periods')
