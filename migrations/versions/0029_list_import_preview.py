"""list import preview: the matched preview of an uploaded list, kept with the upload

Revision ID: 0029_list_import_preview
Revises: 0028_practice_and_statuses
Create Date: 2026-12-06 22:30:00

Issue 22: every view of an upload's preview read the file again and matched its 3,000 rows against
the registry of 100,000 (0.5-0.8 s). The outcome of each row is now kept as JSON with the upload,
under a key of what it was computed from (services/lists/import_preview.py), and computed again
only when that changes.
"""
from alembic import op
import sqlalchemy as sa


revision = '0029_list_import_preview'
down_revision = '0028_practice_and_statuses'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('list_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('preview', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('preview_key', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('list_imports', schema=None) as batch_op:
        batch_op.drop_column('preview_key')
        batch_op.drop_column('preview')
