"""personal-data protection: the access log and erased people

Revision ID: 0011_personal_data
Revises: 0010_certificates
Create Date: 2026-11-23 14:30:00

The log of who viewed or exported whose personal data (one row per page or file, scoped to a class
or a person), and the moment a person's personal fields were erased (docs/PRIVACY.md).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_personal_data'
down_revision = '0010_certificates'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('personal_data_accesses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=255), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('scope_label', sa.String(length=255), nullable=True),
    sa.Column('people_count', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_personal_data_accesses_class_id_training_classes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_personal_data_accesses_person_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_personal_data_accesses_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_accesses'))
    )
    with op.batch_alter_table('personal_data_accesses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_data_accesses_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_accesses_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_accesses_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_accesses_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_accesses_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('erased_at')

    with op.batch_alter_table('personal_data_accesses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_data_accesses_user_id'))
        batch_op.drop_index(batch_op.f('ix_personal_data_accesses_person_id'))
        batch_op.drop_index(batch_op.f('ix_personal_data_accesses_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_personal_data_accesses_class_id'))
        batch_op.drop_index(batch_op.f('ix_personal_data_accesses_action'))

    op.drop_table('personal_data_accesses')
