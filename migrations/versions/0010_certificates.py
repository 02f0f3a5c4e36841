"""certificates of completion, revocable and re-issuable

Revision ID: 0010_certificates
Revises: 0009_feedback
Create Date: 2026-11-23 14:40:00

One row per certificate issued to an enrolment that completed its class; revoking stamps the row
(who, when, why) and a re-issue is a new row naming the one it replaces. Nothing is deleted.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_certificates'
down_revision = '0009_feedback'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=80), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_certificates_enrolment_id_enrolments')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users')),
    sa.ForeignKeyConstraint(['replaces_id'], ['certificates.id'], name=op.f('fk_certificates_replaces_id_certificates')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('number', name=op.f('uq_certificates_number'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_enrolment_id'), ['enrolment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_enrolment_id'))
    op.drop_table('certificates')
