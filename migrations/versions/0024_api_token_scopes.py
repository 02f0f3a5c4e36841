"""api token scopes: a door scanner's token calls the check-in endpoints only

Revision ID: 0024_api_token_scopes
Revises: 0023_certificate_documents
Create Date: 2026-12-08 03:00:00

Issue 20 (finding 10): a token carried its user's whole API. A token now has a scope, "checkin" (scans
and the class's offline roster) or "full"; `flask api-token create` makes check-in tokens unless
asked. Tokens made before this revision keep what they could do: they become "full".
"""
from alembic import op
import sqlalchemy as sa


revision = '0024_api_token_scopes'
down_revision = '0023_certificate_documents'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=20), server_default='full', nullable=False))
        batch_op.create_check_constraint(op.f('ck_api_tokens_known_scope'), "scope IN ('checkin', 'full')")


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_api_tokens_known_scope'), type_='check')
        batch_op.drop_column('scope')
