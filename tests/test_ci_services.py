"""The services CI runs against are really used: PostgreSQL and the Redis broker.

With CI=true these fail, never skip, when a service is down.
"""

import os

from django.conf import settings
from django.db import connection
from kombu import Connection


def test_database_answers(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    if os.environ.get("CI") == "true":
        assert connection.vendor == "postgresql"


def test_broker_accepts_a_message():
    if os.environ.get("CI") == "true":
        assert settings.CELERY_BROKER_URL.startswith("redis://")
    with Connection(settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS) as conn:
        conn.ensure_connection(max_retries=2)
        queue = conn.SimpleQueue("portal-ci-check")
        queue.put({"hello": "broker"})
        message = queue.get(timeout=5)
        assert message.payload == {"hello": "broker"}
        message.ack()
        queue.close()
