"""pool import preview: the planned preview of a unit's pool upload, kept with the upload

Revision ID: 0030_pool_import_preview
Revises: 0029_list_import_preview
Create Date: 2026-12-06 23:10:00

Issue 22: every view of a pool upload's preview read the file again and matched it against the
registry of 100,000 people and the pool. The outcome of each row is now kept as JSON with the upload,
under a key of what it was planned from (services/pool/pool_preview.py), as list imports do (0029).
"""
from alembic import op
import sqlalchemy as sa


revision = '0030_pool_import_preview'
down_revision = '0029_list_import_preview'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pool_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('preview', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('preview_key', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('pool_imports', schema=None) as batch_op:
        batch_op.drop_column('preview_key')
        batch_op.drop_column('preview')
