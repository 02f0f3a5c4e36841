"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
from bdgtrain import create_app

app = create_app()
