"""pool stamp: a value that changes with every change to the pool or to people's sex, so that the
province's pool and women per unit can be kept between reports

Revision ID: 0035_pool_stamp
Revises: 0034_enrolment_status_counts
Create Date: 2026-12-07 15:00:00

Issue 22: the plan summary and the monitor's dashboard count the province's trained share on every
view, and most of that statement (100,000 pool entries joined to their people, grouped per unit: 0.1 s
of the summary's 0.3 s on PostgreSQL) counts who is in the pool, which changes only with an import or
an edit. services/reporting/reporting.py keeps those counts under this stamp and counts only the
trained part on each view. The triggers set a new random stamp on every insert, update or delete of a
pool entry and every change of a person's sex, whichever code path writes (an import, the register,
a merge, a hand in the database), so a kept count cannot outlive its data. A random value, not a
counter: a transaction rolled back takes its stamp with it, and the next change must not repeat it.
PostgreSQL stamps once per transaction; SQLite, which has only row triggers, once per row changed (in
place: bench/page_world.py writes its 100,000 entries in 1.1 s with it). On PostgreSQL the stamp's row is
held from a change to its commit: two imports of pool lists at once take their turns at the end, and
check-in never touches it.
"""
from alembic import op
import sqlalchemy as sa


revision = '0035_pool_stamp'
down_revision = '0034_enrolment_status_counts'
branch_labels = None
depends_on = None

# (trigger, table, event)
_TRIGGERS = [
    ("pool_entries_ins", "pool_entries", "INSERT"),
    ("pool_entries_upd", "pool_entries", "UPDATE"),
    ("pool_entries_del", "pool_entries", "DELETE"),
    ("people_sex", "people", "UPDATE OF sex"),
]
# PostgreSQL: set (to 'yes') for the rest of a transaction that has changed the pool.
POOL_CHANGED = "bdgtrain.pool_changed"
_STAMP_SQLITE = "INSERT OR REPLACE INTO change_stamps (name, stamp) VALUES ('pool', random())"
_STAMP_POSTGRESQL = ("INSERT INTO change_stamps (name, stamp) "
                     "VALUES ('pool', CAST(floor(random() * 9007199254740991) AS BIGINT)) "
                     "ON CONFLICT (name) DO UPDATE SET stamp = EXCLUDED.stamp")


def upgrade():
    op.create_table('change_stamps',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('stamp', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_change_stamps'))
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    # A first stamp, so that an upgraded database keeps its counts from the first report on.
    op.execute(_STAMP_POSTGRESQL if postgresql else _STAMP_SQLITE)
    if postgresql:
        # Once per transaction (POOL_CHANGED marks it, undone with the transaction or its savepoint): a row
        # updated again and again in one transaction leaves a chain of versions each update walks, and an import
        # inserting its rows one statement each (100,000 entries) took 75 s instead of 5. reporting.py keeps
        # nothing in a transaction so marked, since its later changes leave the stamp as it is.
        op.execute("CREATE FUNCTION fn_pool_stamp() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                   f"BEGIN\nIF current_setting('{POOL_CHANGED}', true) IS DISTINCT FROM 'yes' THEN\n"
                   f"{_STAMP_POSTGRESQL};\nPERFORM set_config('{POOL_CHANGED}', 'yes', true);\nEND IF;\n"
                   "RETURN NULL;\nEND $$")
    for name, table, event in _TRIGGERS:
        if postgresql:
            op.execute(f"CREATE TRIGGER trg_{name}_stamp AFTER {event} ON {table} FOR EACH STATEMENT "
                       "EXECUTE FUNCTION fn_pool_stamp()")
        else:
            when = " WHEN OLD.sex IS NOT NEW.sex" if table == "people" else ""
            op.execute(f"CREATE TRIGGER trg_{name}_stamp AFTER {event} ON {table} FOR EACH ROW{when}\n"
                       f"BEGIN\n{_STAMP_SQLITE};\nEND")
    # PostgreSQL empties a table by TRUNCATE without firing its DELETE triggers.
    if postgresql:
        op.execute("CREATE TRIGGER trg_pool_entries_truncate_stamp AFTER TRUNCATE ON pool_entries "
                   "FOR EACH STATEMENT EXECUTE FUNCTION fn_pool_stamp()")


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, _event in _TRIGGERS + [("pool_entries_truncate", "pool_entries", None)]:
        op.execute(f"DROP TRIGGER IF EXISTS trg_{name}_stamp" + (f" ON {table}" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS fn_pool_stamp()")
    op.drop_table('change_stamps')
