"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
import gc

from bdgtrain import create_app

app = create_app()

# What is loaded now (Flask, SQLAlchemy, the app: about 140,000 objects) lives as long as the
# process. Frozen, it is left out of the garbage collector's full collections, which otherwise walk
# all of it (about 70 ms) whenever a request allocates enough to set one off: a report page of a
# large unit did, and so now and then did a check-in (docs/BENCHMARKS.md).
gc.collect()
gc.freeze()
