"""WSGI entry point: `gunicorn wsgi:app`."""

from pim import create_app

app = create_app()
