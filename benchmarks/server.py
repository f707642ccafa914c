"""The portal served as in production, for the benchmark: gunicorn, DEBUG off, over HTTP on loopback.

`Gunicorn(database_url)` starts one gunicorn worker (sync, as `Procfile`
runs it) on a free port, waits for `/healthz/` and stops it on exit.
`Session` asks pages as a logged-in person (a session made in the database,
its cookie sent with every request) and reports the time to the last byte,
the size of the answer and its status. `worker_memory()` reads the worker's
peak resident memory, and `reset_peak()` sets it back to what it holds now
(Linux's /proc/<pid>/clear_refs), so that a request's growth can be read.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60
REQUEST_TIMEOUT = 120


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(settings_dict):
    """The URL of the database Django is connected to (the benchmark's own)."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    user, host, port = settings_dict["USER"], settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


STATIC_ROOT = BASE_DIR / "var" / "bench-static"


def collect_static():
    """The static files as production serves them (hashed names, a manifest), once per checkout state."""
    subprocess.run(  # noqa: S603 -- our own manage.py
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env={**os.environ, "DEBUG": "false", "SECRET_KEY": "collectstatic-only", "STATIC_ROOT": str(STATIC_ROOT)},
        check=True,
    )


class Gunicorn:
    def __init__(self, url, media_root, *, extra_env=None):
        from django.conf import settings

        self.port = free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "false",
            # The sessions this process makes are signed with its key.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "SECURE_SSL_REDIRECT": "false",
            "TWO_FACTOR_ENFORCE": "false",
            "MEDIA_ROOT": str(media_root),
            "STATIC_ROOT": str(STATIC_ROOT),
            "LOG_LEVEL": "ERROR",
            **(extra_env or {}),
        }
        self.env.pop("SQLITE_TEST_NAME", None)
        self.process = None

    def __enter__(self):
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would stop the server
        self.process = subprocess.Popen(  # noqa: S603 -- our own server, our own arguments
            [str(gunicorn), "portal.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "1"]
            + ["--timeout", str(REQUEST_TIMEOUT), "--log-level", "warning"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.output()}")
            try:
                if self.get("/healthz/")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz/ in time")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def output(self):
        """The last of what the server wrote to its standard error."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def get(self, path, cookie=None):
        return request(self.port, "GET", path, cookie=cookie)

    def worker_pid(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return int(children[0])

    def _status(self, field):
        for line in Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024  # kB
        raise RuntimeError(f"no {field} in /proc/.../status")

    def reset_peak(self):
        """The worker's peak memory set back to what it holds now."""
        Path(f"/proc/{self.worker_pid()}/clear_refs").write_text("5")
        return self._status("VmRSS")

    def peak_mb(self):
        return self._status("VmHWM")


def request(port, method, path, *, cookie=None, body=None, headers=None):
    """(status, size of the body, seconds to its last byte, the response's headers)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    all_headers = {"Host": "127.0.0.1", **(headers or {})}
    if cookie:
        all_headers["Cookie"] = cookie
    start = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        seconds = time.perf_counter() - start
        return response.status, size, seconds, response.headers
    finally:
        connection.close()


def session_cookie(user):
    """A cookie that makes requests come from `user`, as after logging in with a password."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
