"""drop four indexes no query needs, which every large list import paid for row by row

Revision ID: 0013_import_indexes
Revises: 0012_stored_completions
Create Date: 2026-12-02 19:20:00

An import of 100,000 people writes every row into every index of people, enrolments and
nominations; SQLite's share of that was most of the import's time (docs/BENCHMARKS.md, issue 3).
Three of these indexes repeat the first column of another one, which serves the same look-ups
(and the foreign keys' checks on delete) on both databases:

- ix_enrolments_class_id: uq_enrolments_class_id_person_id starts with class_id;
- ix_enrolments_person_id: ix_enrolments_person_status_class starts with person_id;
- ix_nominations_enrolment_id: uq_nominations_enrolment_id_organisation_id starts with enrolment_id.

The fourth, ix_people_name_folded, serves no query: names are searched with "contains"
(LIKE '%...%'), which no B-tree index can answer, and lists are sorted by name_sort_key.
"""
from alembic import op


revision = '0013_import_indexes'
down_revision = '0012_stored_completions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index('ix_people_name_folded')
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_index('ix_enrolments_class_id')
        batch_op.drop_index('ix_enrolments_person_id')
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_index('ix_nominations_enrolment_id')


def downgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.create_index('ix_nominations_enrolment_id', ['enrolment_id'], unique=False)
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.create_index('ix_enrolments_person_id', ['person_id'], unique=False)
        batch_op.create_index('ix_enrolments_class_id', ['class_id'], unique=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index('ix_people_name_folded', ['name_folded'], unique=False)
