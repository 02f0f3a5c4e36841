"""plan documents: a plan's Kế hoạch as the organiser edited it before issue

Revision ID: 0027_plan_documents
Revises: 0026_plan_reading_drafts
Create Date: 2026-12-06 06:00:00

Issue 23 ("write a plan"): the app writes a plan's Kế hoạch (.docx, PDF) in the seeds' structure; the
organiser rewrites its generated sections (purpose, requirements, venue, materials, trainers, assignments,
funding, the opening and closing sentences), its number, place and day, signer and recipients before issue.
One row per plan keeps them; without a row the document says what is generated.
"""
from alembic import op
import sqlalchemy as sa

from bdgtrain.models.base import UTCDateTime


revision = '0027_plan_documents'
down_revision = '0026_plan_reading_drafts'
branch_labels = None
depends_on = None

TEXTS = ('preamble', 'purpose', 'requirements', 'venue', 'materials', 'trainers', 'assignments', 'funding',
         'closing')


def upgrade():
    op.create_table(
        'plan_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=80), nullable=False),
        sa.Column('place', sa.String(length=120), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        *[sa.Column(name, sa.Text(), nullable=False) for name in TEXTS],
        sa.Column('signer_authority', sa.String(length=120), nullable=False),
        sa.Column('signer_title', sa.String(length=120), nullable=False),
        sa.Column('signer_name', sa.String(length=120), nullable=False),
        sa.Column('recipients', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], ondelete='CASCADE',
                                name=op.f('fk_plan_documents_plan_id_plans')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_documents')),
        sa.UniqueConstraint('plan_id', name=op.f('uq_plan_documents_plan_id')),
    )


def downgrade():
    op.drop_table('plan_documents')
