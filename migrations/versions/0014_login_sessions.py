"""login sessions: one row per login, ended on logout, so that a copied session cookie dies with it

Revision ID: 0014_login_sessions
Revises: 0013_import_indexes
Create Date: 2026-12-03 07:05:00

Flask's session is a signed cookie: before this, logging out emptied the browser's cookie, but a copy
of it (taken from a shared computer in a training hall, say) stayed valid until the password changed.
Each login now has a row here, named by a random token in the cookie (only its SHA-256 is stored);
logging out ends the row, and a cookie naming an ended row is anonymous. Every cookie written before
this revision names no row: everyone logs in once more after the upgrade.
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_login_sessions'
down_revision = '0013_import_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_sessions_token_hash'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))

    op.drop_table('login_sessions')
