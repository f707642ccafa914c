"""Asking a worker to do something once the current transaction commits.

A broker that cannot be reached does not undo the user's change: the error is
logged and the periodic sweeps find what was missed. Only the broker's own
errors are caught; anything else (a bug, or a task run at once in tests) is
raised as usual.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# What publishing raises when the broker is away (kombu's, or the socket's own).
BROKER_ERRORS = (OperationalError, OSError)


def delay(task, *args):
    """`task.delay(*args)` now; returns False (and logs) if the broker cannot take it."""
    try:
        task.delay(*args)
    except BROKER_ERRORS:
        logger.warning("Could not queue %s%r; the next sweep will do it", task.name, args, exc_info=True)
        return False
    return True


def delay_on_commit(task, *args):
    """`delay(task, *args)` once the transaction commits (at once outside one)."""
    transaction.on_commit(lambda: delay(task, *args))
