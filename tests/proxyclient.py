"""A client for load tests of the production topology (tests/test_topology.py): one simulated
person's cookies, their requests sent to several web instances in turn through what plays the
reverse proxy (the public host name, `X-Forwarded-Proto: https`, and a PROXY protocol line
with the person's own address), and the timings and errors of everyone's requests."""

import http.client
import http.cookies
import math
import re
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

HOST = "portal.test"
ORIGIN = f"https://{HOST}"
REQUEST_TIMEOUT = 60


class ProxiedConnection(http.client.HTTPConnection):
    """A connection that starts with a PROXY protocol v1 line naming `client` as the client, as
    the reverse proxy's does."""

    def __init__(self, port, client):
        super().__init__("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        self.client = client

    def connect(self):
        super().connect()
        if self.client:
            source_port = self.sock.getsockname()[1]
            self.sock.sendall(f"PROXY TCP4 {self.client} 127.0.0.1 {source_port} {self.port}\r\n".encode())


def http_request(port, method, path, headers, body=None, client=None):
    conn = ProxiedConnection(port, client)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


class JourneyError(Exception):
    pass


@dataclass
class Stats:
    timings: dict = field(default_factory=lambda: defaultdict(list))
    server_errors: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    uploads: list = field(default_factory=list)  # (username, sha256, port)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, page, seconds, status, line):
        with self.lock:
            self.timings[page].append(seconds)
            if status >= 500:
                self.server_errors.append(line)

    def table(self, budget, default):
        rows = [f"{'page':<18} {'n':>5} {'p50':>7} {'p95':>7} {'max':>7} {'budget':>7}"]
        for page, seconds in sorted(self.timings.items()):
            rows.append(
                f"{page:<18} {len(seconds):>5} {percentile(seconds, 50):>7.2f} {percentile(seconds, 95):>7.2f}"
                f" {max(seconds):>7.2f} {budget.get(page, default):>7.1f}"
            )
        return "\n".join(rows)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html):
    match = CSRF.search(html)
    if not match:
        raise JourneyError("no CSRF token on the page")
    return match.group(1)


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Answer:
    status: int
    headers: object
    body: bytes
    port: int

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self):
        return urllib.parse.urlsplit(self.headers.get("Location", ""))._replace(scheme="", netloc="").geturl()


class Browser:
    """One person's cookies, their requests sent to the two instances in turn, through the "proxy"."""

    def __init__(self, ports, first, stats, address):
        self.ports = ports
        self.turn = first
        self.stats = stats
        self.address = address
        self.cookies = {}

    def next_port(self):
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        return port

    def other_port(self, port):
        return next(p for p in self.ports if p != port)

    def request(self, page, method, path, *, body=None, content_type=None, expect=(200,), port=None):
        port = port or self.next_port()
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers |= {"Origin": ORIGIN, "Referer": ORIGIN + path, "Content-Type": content_type}
        start = time.perf_counter()
        status, response_headers, data = http_request(port, method, path, headers, body, client=self.address)
        seconds = time.perf_counter() - start
        for value in response_headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(value).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        self.stats.record(page, seconds, status, f"{page}: {method} {path} on :{port} → {status}")
        if status not in expect:
            raise JourneyError(f"{page}: {method} {path} on :{port} answered {status}, not {expect}")
        return Answer(status, response_headers, data, port)

    def get(self, page, path, **kwargs):
        return self.request(page, "GET", path, **kwargs)

    def post(self, page, path, data, **kwargs):
        body = urllib.parse.urlencode(data).encode()
        return self.request(page, "POST", path, body=body, content_type="application/x-www-form-urlencoded", **kwargs)
