"""the seeds' other indicators: counts entered per unit and year, and the measures a target can name

Revision ID: 0020_seed_indicators
Revises: 0019_org_history
Create Date: 2026-12-05 13:30:00

Seeds 001 and 002 set targets the system cannot count from its own data: the women's share of those
sent to training (women sent / everyone sent, as seed 001 words it), of party committees, of
master's places, of master's and doctoral degrees, and the share of specialised staff trained. Units
enter the counts with their yearly headcount (NULL: not entered, never 0). The measure that read
women sent / women staff is renamed `women_sent_share`: its targets now judge the seed's reading.
Periodic reports already generated keep their JSON as it was.
"""
from alembic import op
import sqlalchemy as sa


revision = '0020_seed_indicators'
down_revision = '0019_org_history'
branch_labels = None
depends_on = None

NEW_COUNTS = ('staff_sent_to_training', 'committee_total', 'committee_women', 'masters_places_total',
              'masters_places_women', 'masters_total', 'masters_women', 'doctorates_total', 'doctorates_women',
              'specialised_total', 'specialised_trained')

OLD_MEASURES = "measure IN ('trained_share', 'women_pool_share', 'women_leader_units', 'women_staff_trained')"
NEW_MEASURES = ("measure IN ('trained_share', 'women_pool_share', 'women_leader_units', 'women_sent_share', "
                "'women_committee_share', 'women_masters_places_share', 'women_masters_share', "
                "'women_doctorates_share', 'specialised_trained_share')")

CONSISTENT = ("(staff_sent_to_training IS NULL OR (women_sent_to_training <= staff_sent_to_training "
              "AND staff_sent_to_training <= staff_total)) "
              "AND (committee_total IS NULL) = (committee_women IS NULL) "
              "AND (committee_women IS NULL OR committee_women <= committee_total) "
              "AND (masters_places_total IS NULL) = (masters_places_women IS NULL) "
              "AND (masters_places_women IS NULL OR masters_places_women <= masters_places_total) "
              "AND (masters_total IS NULL) = (masters_women IS NULL) "
              "AND (masters_women IS NULL OR masters_women <= masters_total) "
              "AND (doctorates_total IS NULL) = (doctorates_women IS NULL) "
              "AND (doctorates_women IS NULL OR doctorates_women <= doctorates_total) "
              "AND (specialised_total IS NULL) = (specialised_trained IS NULL) "
              "AND (specialised_trained IS NULL OR specialised_trained <= specialised_total)")
NON_NEGATIVE = ("COALESCE(staff_sent_to_training, 0) >= 0 AND COALESCE(committee_women, 0) >= 0 "
                "AND COALESCE(masters_places_women, 0) >= 0 AND COALESCE(masters_women, 0) >= 0 "
                "AND COALESCE(doctorates_women, 0) >= 0 AND COALESCE(specialised_trained, 0) >= 0")


def upgrade():
    with op.batch_alter_table('unit_headcounts', schema=None) as batch_op:
        for name in NEW_COUNTS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_unit_headcounts_consistent_entered_counts'), CONSISTENT)
        batch_op.create_check_constraint(op.f('ck_unit_headcounts_entered_non_negative'), NON_NEGATIVE)

    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_targets_known_measure'), type_='check')
    op.execute("UPDATE targets SET measure = 'women_sent_share' WHERE measure = 'women_staff_trained'")
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_targets_known_measure'), NEW_MEASURES)


def downgrade():
    # The measures that did not exist before have no meaning there: their targets go.
    op.execute("DELETE FROM targets WHERE measure IN ('women_committee_share', 'women_masters_places_share', "
               "'women_masters_share', 'women_doctorates_share', 'specialised_trained_share')")
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_targets_known_measure'), type_='check')
    op.execute("UPDATE targets SET measure = 'women_staff_trained' WHERE measure = 'women_sent_share'")
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_targets_known_measure'), OLD_MEASURES)

    with op.batch_alter_table('unit_headcounts', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_unit_headcounts_entered_non_negative'), type_='check')
        batch_op.drop_constraint(op.f('ck_unit_headcounts_consistent_entered_counts'), type_='check')
        for name in reversed(NEW_COUNTS):
            batch_op.drop_column(name)
