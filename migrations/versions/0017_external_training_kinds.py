"""external training: its kind, and the files it is imported from

Revision ID: 0017_external_training_kinds
Revises: 0016_pool_register
Create Date: 2026-12-05 13:10:00

Training outside the system gets a page and an .xlsx import (issue 18): each record says its kind
(tập huấn, bồi dưỡng, lý luận chính trị, quản lý nhà nước, thạc sĩ, tiến sĩ, other); records written
before this revision become "other". An imported file is kept from its preview until it is applied
or discarded (then its content goes), and each record it wrote names it and its row.
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_external_training_kinds'
down_revision = '0016_pool_register'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('external_training_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('preview', 'applied', 'discarded')",
                       name=op.f('ck_external_training_imports_known_status')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'],
                            name=op.f('fk_external_training_imports_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_training_imports'))
    )
    with op.batch_alter_table('external_training_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_training_imports_sha256'), ['sha256'], unique=False)

    with op.batch_alter_table('external_trainings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='other', nullable=False))
        batch_op.add_column(sa.Column('training_import_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_row', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_external_trainings_known_kind'),
            "kind IN ('tap_huan', 'boi_duong', 'llct', 'qlnn', 'thac_si', 'tien_si', 'other')")
        batch_op.create_foreign_key(batch_op.f('fk_external_trainings_training_import_id_external_training_imports'),
                                    'external_training_imports', ['training_import_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_external_trainings_training_import_id'), ['training_import_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('external_trainings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_trainings_training_import_id'))
        batch_op.drop_constraint(batch_op.f('fk_external_trainings_training_import_id_external_training_imports'),
                                 type_='foreignkey')
        batch_op.drop_constraint(op.f('ck_external_trainings_known_kind'), type_='check')
        batch_op.drop_column('source_row')
        batch_op.drop_column('training_import_id')
        batch_op.drop_column('kind')

    with op.batch_alter_table('external_training_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_training_imports_sha256'))
    op.drop_table('external_training_imports')
