"""plan reading drafts: a Kế hoạch read from a file, waiting to be checked and confirmed

Revision ID: 0026_plan_reading_drafts
Revises: 0025_class_seats_waiting
Create Date: 2026-12-06 05:45:00

Issue 23 (read a plan): an uploaded or pasted Kế hoạch is read into a draft the organiser edits before
anything is created. One draft per organisation and text digest, so the same file read twice shows the
same draft; plan_id records what it became, so confirming twice creates one plan.
"""
from alembic import op
import sqlalchemy as sa



revision = '0026_plan_reading_drafts'
down_revision = '0025_class_seats_waiting'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'plan_reading_drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=40), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('source_name', sa.String(length=255), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('reading', sa.JSON(), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plan_reading_drafts_created_by_id_users')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_plan_reading_drafts_organisation_id_organisations')),
        sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_reading_drafts_plan_id_plans'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_reading_drafts')),
        sa.UniqueConstraint('organisation_id', 'digest', name=op.f('uq_plan_reading_drafts_organisation_id_digest')),
        sa.UniqueConstraint('token', name=op.f('uq_plan_reading_drafts_token')),
    )
    with op.batch_alter_table('plan_reading_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_reading_drafts_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('plan_reading_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_reading_drafts_organisation_id'))
    op.drop_table('plan_reading_drafts')
