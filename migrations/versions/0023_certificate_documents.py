"""certificate documents: the issue day, place and signer printed on a certificate

Revision ID: 0023_certificate_documents
Revises: 0022_official_reports
Create Date: 2026-12-06 03:00:00

Issue 19: a certificate is an official document (Decree 30/2020/NĐ-CP) with a place-and-date line
and a signer, chosen when the class's certificates are issued. Certificates issued before this
revision keep NULL in all five columns: they print the local day of issued_at and no signature.
"""
from alembic import op
import sqlalchemy as sa


revision = '0023_certificate_documents'
down_revision = '0022_official_reports'
branch_labels = None
depends_on = None

TEXTS = ('place', 'signer_authority', 'signer_title', 'signer_name')


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_on', sa.Date(), nullable=True))
        for name in TEXTS:
            batch_op.add_column(sa.Column(name, sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        for name in reversed(TEXTS):
            batch_op.drop_column(name)
        batch_op.drop_column('issued_on')
