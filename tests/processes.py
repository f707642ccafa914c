"""The Celery app of the worker and beat that tests start: `celery -A tests.processes`.

It is the portal's own app with one change. The filesystem broker's folders
are fixed under var/ by the settings, so a test's processes would trade
messages with a portal running from the same checkout (`make run`) or with
another test run; with PORTAL_TEST_BROKER_FOLDER set they use that folder.
"""

import os
from pathlib import Path

from portal.celery import app

__all__ = ["app"]

_folder = os.environ.get("PORTAL_TEST_BROKER_FOLDER")
if _folder and app.conf.broker_url.startswith("filesystem"):
    _folder = Path(_folder)
    (_folder / "broker").mkdir(parents=True, exist_ok=True)
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        "data_folder_in": str(_folder / "broker"),
        "data_folder_out": str(_folder / "broker"),
        "control_folder": str(_folder / "control"),
    }
