"""WSGI entry point: `gunicorn -c python:pim.serving wsgi:app` (settings in pim/serving.py)."""

from pim import create_app

app = create_app()
