"""closed classes: training_classes.closed_at and close_reason

Revision ID: 0021_class_closed
Revises: 0018_target_windows
Create Date: 2026-12-05 13:30:00

A class that was held in part can no longer be cancelled (its credit would vanish from every
report); it is closed instead: its sessions still to come are cancelled and the class keeps when and
why. Plain ADD/DROP COLUMN, so SQLite keeps the table and its completion triggers (0012).
"""
from alembic import op
import sqlalchemy as sa


revision = '0021_class_closed'
down_revision = '0018_target_windows'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('training_classes', sa.Column('closed_at', sa.DateTime(), nullable=True))
    op.add_column('training_classes', sa.Column('close_reason', sa.Text(), nullable=True))


def downgrade():
    op.drop_column('training_classes', 'close_reason')
    op.drop_column('training_classes', 'closed_at')
