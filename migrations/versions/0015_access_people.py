"""access-log rows naming people: the people a logged page names when no class scopes it

Revision ID: 0015_access_people
Revises: 0014_login_sessions
Create Date: 2026-12-03 09:45:00

A unit's untrained women, a plan's no-shows and people outside the audience, the admin's person
search and the possible duplicates were logged as one row with a count: "who saw her data" could not
find them, as no class joins her to the row. One row per person named now sits beside the entry.
Entries written before this revision keep naming nobody.
"""
from alembic import op
import sqlalchemy as sa


revision = '0015_access_people'
down_revision = '0014_login_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('access_log_people',
    sa.Column('access_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['access_id'], ['personal_data_accesses.id'],
                            name=op.f('fk_access_log_people_access_id_personal_data_accesses'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_access_log_people_person_id_people'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('access_id', 'person_id', name=op.f('pk_access_log_people'))
    )
    with op.batch_alter_table('access_log_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_log_people_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('access_log_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_log_people_person_id'))
    op.drop_table('access_log_people')
