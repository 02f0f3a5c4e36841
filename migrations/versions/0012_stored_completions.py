"""stored completions: class_completions, training_classes.completions_as_of and the triggers that invalidate them; a covering index of pool entries per unit

Revision ID: 0012_stored_completions
Revises: 0011_personal_data
Create Date: 2026-12-02 19:30:00

Reports read completed enrolments from class_completions instead of recounting five million
attendance rows per request (docs/BENCHMARKS.md, issue 6). A class's stored rows are valid only
while its completions_as_of is set; these triggers clear it on every change that can alter who
completed it, whichever code path writes (check-in, the roster, a merge, a hand in the database),
so a stale figure cannot come from a forgotten call. `... AND completions_as_of IS NOT NULL` keeps
the check-in path (its class is already invalid while a session is open) from locking the class row.
Run `flask report refresh-completions` after upgrading: until then reports compute every class live.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_stored_completions'
down_revision = '0011_personal_data'
branch_labels = None
depends_on = None

_INVALIDATE = ("UPDATE training_classes SET completions_as_of = NULL "
               "WHERE id = {class_id} AND completions_as_of IS NOT NULL")
_SESSION_CLASS = "(SELECT class_id FROM class_sessions WHERE id = {row}.session_id)"

# (trigger, table, event, WHEN condition or None, the class ids to invalidate)
_TRIGGERS = [
    ("attendances_ins", "attendances", "INSERT", None, [_SESSION_CLASS.format(row="NEW")]),
    ("attendances_upd", "attendances", "UPDATE", None,
     [_SESSION_CLASS.format(row="OLD"), _SESSION_CLASS.format(row="NEW")]),
    ("attendances_del", "attendances", "DELETE", None, [_SESSION_CLASS.format(row="OLD")]),
    ("class_sessions_ins", "class_sessions", "INSERT", None, ["NEW.class_id"]),
    ("class_sessions_upd", "class_sessions", "UPDATE", None, ["OLD.class_id", "NEW.class_id"]),
    ("class_sessions_del", "class_sessions", "DELETE", None, ["OLD.class_id"]),
    ("enrolments_upd", "enrolments", "UPDATE",
     "OLD.status {ne} NEW.status OR OLD.person_id {ne} NEW.person_id OR OLD.class_id {ne} NEW.class_id",
     ["OLD.class_id", "NEW.class_id"]),
    ("enrolments_del", "enrolments", "DELETE", None, ["OLD.class_id"]),
]


def _names(name):
    return f"trg_{name}_completions", f"fn_{name}_completions"


def upgrade():
    op.add_column('training_classes', sa.Column('completions_as_of', sa.DateTime(), nullable=True))
    op.create_table('class_completions',
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_class_completions_class_id_training_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_class_completions_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_class_completions_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('enrolment_id', name=op.f('pk_class_completions'))
    )
    with op.batch_alter_table('class_completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_completions_class_id'), ['class_id'], unique=False)
        batch_op.create_index('ix_class_completions_person_done', ['person_id', 'done_on', 'class_id'], unique=False)
    # A unit's report reads its subtree's counting entries from this index alone: with completions
    # stored, reading the entries' table rows was the largest part left (docs/BENCHMARKS.md).
    with op.batch_alter_table('pool_entries', schema=None) as batch_op:
        batch_op.create_index('ix_pool_entries_unit_counting', ['organisation_id', 'added_on', 'left_on', 'person_id',
                                                                'cycle_starts_on', 'cycle_ends_on'], unique=False)
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, event, when, class_ids in _TRIGGERS:
        trigger, function = _names(name)
        body = ";\n".join(_INVALIDATE.format(class_id=c) for c in dict.fromkeys(class_ids))
        if postgresql:
            condition = f" WHEN ({when.format(ne='IS DISTINCT FROM')})" if when else ""
            result = "OLD" if event == "DELETE" else "NEW"
            op.execute(f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                       f"BEGIN\n{body};\nRETURN {result};\nEND $$")
            op.execute(f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW{condition} "
                       f"EXECUTE FUNCTION {function}()")
        else:
            condition = f" WHEN {when.format(ne='IS NOT')}" if when else ""
            op.execute(f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW{condition}\n"
                       f"BEGIN\n{body};\nEND")
    # The class's own percent: a BEFORE trigger on PostgreSQL clears the value in the row being
    # written; SQLite has no such thing, and its AFTER trigger names only completion_percent, so the
    # update it makes (of completions_as_of) cannot set it off again.
    if postgresql:
        op.execute("CREATE FUNCTION fn_training_classes_percent_completions() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                   "BEGIN\nNEW.completions_as_of := NULL;\nRETURN NEW;\nEND $$")
        op.execute("CREATE TRIGGER trg_training_classes_percent_completions BEFORE UPDATE OF completion_percent "
                   "ON training_classes FOR EACH ROW WHEN (OLD.completion_percent IS DISTINCT FROM "
                   "NEW.completion_percent) EXECUTE FUNCTION fn_training_classes_percent_completions()")
    else:
        op.execute("CREATE TRIGGER trg_training_classes_percent_completions AFTER UPDATE OF completion_percent "
                   "ON training_classes FOR EACH ROW WHEN OLD.completion_percent IS NOT NEW.completion_percent\n"
                   "BEGIN\n" + _INVALIDATE.format(class_id="NEW.id") + ";\nEND")


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, _event, _when, _ids in _TRIGGERS + [("training_classes_percent", "training_classes", 0, 0, 0)]:
        trigger, function = _names(name)
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    with op.batch_alter_table('pool_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_pool_entries_unit_counting')
    with op.batch_alter_table('class_completions', schema=None) as batch_op:
        batch_op.drop_index('ix_class_completions_person_done')
        batch_op.drop_index(batch_op.f('ix_class_completions_class_id'))
    op.drop_table('class_completions')
    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.drop_column('completions_as_of')
