"""official reports: drafts and issued reports, their text, signer, recipients and files; document settings

Revision ID: 0022_official_reports
Revises: 0020_seed_indicators
Create Date: 2026-12-06 02:00:00

Issue 19: a periodic report is written as a draft (narrative sections, signer, recipients) and then
issued: frozen with its figures and its .docx, PDF and .xlsx as sent (periodic_report_files). A
number is used once per issuing agency and year among issued reports (a partial unique index). A
correction is a new report that replaces the one it corrects. Organisations keep their documents'
defaults (header, place, signer, recipients) in document_settings. Reports made before this
revision were sent as generated: they become issued reports of no kind, with no stored files.
"""
from alembic import op
import sqlalchemy as sa

from bdgtrain.models.base import UTCDateTime


revision = '0022_official_reports'
down_revision = '0020_seed_indicators'
branch_labels = None
depends_on = None

TEXTS = ('results_text', 'shortcomings_text', 'tasks_text', 'recommendations_text')
SIGNER = ('signer_authority', 'signer_title', 'signer_name')


def upgrade():
    with op.batch_alter_table('periodic_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=False, server_default='issued'))
        batch_op.add_column(sa.Column('number_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('issuer_org_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('issued_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('issued_by_id', sa.Integer(), nullable=True))
        for name in TEXTS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=''))
        for name in SIGNER:
            batch_op.add_column(sa.Column(name, sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('recipients', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_periodic_reports_issuer_org_id_organisations'), 'organisations',
                                    ['issuer_org_id'], ['id'])
        batch_op.create_foreign_key(op.f('fk_periodic_reports_issued_by_id_users'), 'users', ['issued_by_id'], ['id'])
        batch_op.create_foreign_key(op.f('fk_periodic_reports_replaces_id_periodic_reports'), 'periodic_reports',
                                    ['replaces_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_periodic_reports_known_status'), "status IN ('draft', 'issued')")
        batch_op.create_check_constraint(op.f('ck_periodic_reports_known_kind'),
                                         "kind IS NULL OR kind IN ('six_month', 'annual')")
    # Reports made before: issued as generated, on their own day, by whoever generated them.
    op.execute("UPDATE periodic_reports SET issued_at = created_at, issued_by_id = generated_by_id")
    with op.batch_alter_table('periodic_reports', schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None)
        for name in TEXTS + SIGNER + ('recipients',):
            batch_op.alter_column(name, server_default=None)
    op.create_index('uq_periodic_report_number', 'periodic_reports', ['issuer_org_id', 'number_year', 'number'],
                    unique=True, sqlite_where=sa.text("status = 'issued'"),
                    postgresql_where=sa.text("status = 'issued'"))

    op.create_table(
        'periodic_report_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('format', sa.String(length=10), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.CheckConstraint("format IN ('docx', 'pdf', 'xlsx')", name=op.f('ck_periodic_report_files_known_format')),
        sa.ForeignKeyConstraint(['report_id'], ['periodic_reports.id'], ondelete='CASCADE',
                                name=op.f('fk_periodic_report_files_report_id_periodic_reports')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_periodic_report_files')),
        sa.UniqueConstraint('report_id', 'format', name=op.f('uq_periodic_report_files_report_id_format')),
    )
    op.create_index(op.f('ix_periodic_report_files_report_id'), 'periodic_report_files', ['report_id'])

    op.create_table(
        'document_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('header_name', sa.String(length=255), nullable=False),
        sa.Column('parent_header', sa.String(length=255), nullable=False),
        sa.Column('number_suffix', sa.String(length=40), nullable=False),
        sa.Column('place', sa.String(length=120), nullable=False),
        sa.Column('signer_authority', sa.String(length=120), nullable=False),
        sa.Column('signer_title', sa.String(length=120), nullable=False),
        sa.Column('signer_name', sa.String(length=120), nullable=False),
        sa.Column('recipients', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE',
                                name=op.f('fk_document_settings_organisation_id_organisations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_settings')),
        sa.UniqueConstraint('organisation_id', name=op.f('uq_document_settings_organisation_id')),
    )


def downgrade():
    op.drop_table('document_settings')
    op.drop_index(op.f('ix_periodic_report_files_report_id'), table_name='periodic_report_files')
    op.drop_table('periodic_report_files')
    op.drop_index('uq_periodic_report_number', table_name='periodic_reports')
    with op.batch_alter_table('periodic_reports', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_periodic_reports_known_kind'), type_='check')
        batch_op.drop_constraint(op.f('ck_periodic_reports_known_status'), type_='check')
        batch_op.drop_constraint(op.f('fk_periodic_reports_replaces_id_periodic_reports'), type_='foreignkey')
        batch_op.drop_constraint(op.f('fk_periodic_reports_issued_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(op.f('fk_periodic_reports_issuer_org_id_organisations'), type_='foreignkey')
        for name in ('replaces_id', 'recipients') + SIGNER + TEXTS + (
                'issued_by_id', 'issued_at', 'issuer_org_id', 'number_year', 'status', 'kind'):
            batch_op.drop_column(name)
