"""class feedback: a plan's questions and quiz, receipts of who answered, the shuffled answer boxes, trainers' links

Revision ID: 0009_feedback
Revises: 0008_report_indexes
Create Date: 2026-11-23 14:15:51.178203

Answers are kept apart from who gave them: a receipt per enrolment (the day only), and one box row
per class and kind holding the answers as a list re-shuffled on each write (see docs/FEEDBACK.md).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_feedback'
down_revision = '0008_report_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feedback_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('opens_when', sa.String(length=20), server_default='last_ended', nullable=False),
    sa.Column('close_after_days', sa.Integer(), server_default='7', nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('quiz', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("opens_when IN ('last_started', 'last_ended')", name=op.f('ck_feedback_settings_known_opens_when')),
    sa.CheckConstraint('close_after_days BETWEEN 1 AND 90', name=op.f('ck_feedback_settings_close_after_range')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_feedback_settings_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_settings')),
    sa.UniqueConstraint('plan_id', name=op.f('uq_feedback_settings_plan_id'))
    )
    op.create_table('feedback_boxes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('entries', sa.JSON(), nullable=False),
    sa.CheckConstraint("kind IN ('form', 'pre_quiz')", name=op.f('ck_feedback_boxes_known_kind')),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_feedback_boxes_class_id_training_classes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_boxes')),
    sa.UniqueConstraint('class_id', 'kind', name=op.f('uq_feedback_boxes_class_id_kind'))
    )
    op.create_table('feedback_trainer_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_feedback_trainer_links_class_id_training_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['trainer_id'], ['trainers.id'], name=op.f('fk_feedback_trainer_links_trainer_id_trainers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_trainer_links'))
    )
    with op.batch_alter_table('feedback_trainer_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_trainer_links_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_trainer_links_trainer_id'), ['trainer_id'], unique=False)

    op.create_table('feedback_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.CheckConstraint("kind IN ('form', 'pre_quiz')", name=op.f('ck_feedback_receipts_known_kind')),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_feedback_receipts_class_id_training_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_feedback_receipts_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_receipts')),
    sa.UniqueConstraint('enrolment_id', 'kind', name=op.f('uq_feedback_receipts_enrolment_id_kind'))
    )
    with op.batch_alter_table('feedback_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_receipts_class_id'), ['class_id'], unique=False)



def downgrade():
    with op.batch_alter_table('feedback_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_receipts_class_id'))

    op.drop_table('feedback_receipts')
    with op.batch_alter_table('feedback_trainer_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_trainer_links_trainer_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_trainer_links_class_id'))

    op.drop_table('feedback_trainer_links')
    op.drop_table('feedback_boxes')
    op.drop_table('feedback_settings')
