"""planning pool, training outside the system, classes that count toward the trained share

Revision ID: 0006_planning_pool
Revises: 0005_completion_warnings
Create Date: 2026-11-23 13:03:53.082015

The leadership planning pool (diện quy hoạch) with its history (leaving sets left_on and a reason,
re-joining is a new entry) and the file each entry came from; training done elsewhere, per person;
and a flag on plans and classes saying whether completing them counts toward the trained share of
the pool (true for every existing row: what was counted before still counts).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_planning_pool'
down_revision = '0005_completion_warnings'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('external_trainings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('provider', sa.String(length=255), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('counts_towards_measures', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on', name=op.f('ck_external_trainings_valid_period')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_external_trainings_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_trainings'))
    )
    with op.batch_alter_table('external_trainings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_trainings_person_id'), ['person_id'], unique=False)

    op.create_table('pool_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('cycle', sa.String(length=20), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_pool_imports_imported_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_pool_imports_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pool_imports'))
    )
    with op.batch_alter_table('pool_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pool_imports_sha256'), ['sha256'], unique=False)

    op.create_table('pool_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('planned_posts', sa.Text(), nullable=True),
    sa.Column('cycle', sa.String(length=20), nullable=False),
    sa.Column('cycle_starts_on', sa.Date(), nullable=False),
    sa.Column('cycle_ends_on', sa.Date(), nullable=False),
    sa.Column('added_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('leave_reason', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('pool_import_id', sa.Integer(), nullable=True),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("leave_reason IS NULL OR leave_reason IN ('appointed', 'moved', 'removed', 'other')", name=op.f('ck_pool_entries_known_leave_reason')),
    sa.CheckConstraint('(left_on IS NULL) = (leave_reason IS NULL)', name=op.f('ck_pool_entries_left_with_reason')),
    sa.CheckConstraint('cycle_ends_on >= cycle_starts_on', name=op.f('ck_pool_entries_cycle_period')),
    sa.CheckConstraint('left_on IS NULL OR left_on >= added_on', name=op.f('ck_pool_entries_left_after_added')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_pool_entries_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_pool_entries_person_id_people')),
    sa.ForeignKeyConstraint(['pool_import_id'], ['pool_imports.id'], name=op.f('fk_pool_entries_pool_import_id_pool_imports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pool_entries'))
    )
    with op.batch_alter_table('pool_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pool_entries_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pool_entries_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pool_entries_pool_import_id'), ['pool_import_id'], unique=False)

    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counts_for_trained_share', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counts_for_trained_share', sa.Boolean(), server_default=sa.true(), nullable=False))



def downgrade():
    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.drop_column('counts_for_trained_share')

    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('counts_for_trained_share')

    with op.batch_alter_table('pool_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pool_entries_pool_import_id'))
        batch_op.drop_index(batch_op.f('ix_pool_entries_person_id'))
        batch_op.drop_index(batch_op.f('ix_pool_entries_organisation_id'))

    op.drop_table('pool_entries')
    with op.batch_alter_table('pool_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pool_imports_sha256'))

    op.drop_table('pool_imports')
    with op.batch_alter_table('external_trainings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_trainings_person_id'))

    op.drop_table('external_trainings')
