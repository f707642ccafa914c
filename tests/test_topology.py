"""The production topology of docs/deploy.md on this machine, under load.

PostgreSQL and Redis are those of CI (the test database pytest-django made, a Redis database of
its own); two gunicorn instances on two loopback ports with DEBUG off; two Celery workers; beat
started twice; media in an S3 bucket of moto's server (its own process, on loopback); mail to an
aiosmtpd server. The test's client plays the reverse proxy of deploy/Caddyfile: every request
carries the public host name and `X-Forwarded-Proto: https`, and a PROXY protocol line with the
person's own address (each simulated person has one), and a person's requests go to the two
instances in turn, so a page, its form and the POST land on different servers.

A small programme is seeded: cities that upload and submit, cities already submitted, cities of an
older round a month overdue (so the sweeps of both beats have reminders to send), coordinators of
the four themes and the ministry (with two-factor codes). Then about two dozen simulated people do
the three journeys for LOAD_SECONDS, and the test asserts: no answer 5xx, every journey's step as
expected, the p95 of each page within its budget (the table is in the failure message), every
reminder and event mail delivered once (by recipient and subject at the SMTP server, and as the
outbox recorded it), every draft read from the bucket by a worker and downloadable from either
instance, and every process stopped at the end, also when the test fails.

With CI=true a missing PostgreSQL or Redis fails the test; elsewhere it is skipped.
"""

import hashlib
import logging
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from actionplans import reminders, services
from actionplans.models import DEFAULT_REMINDER_OFFSETS, ActionProgramme, Draft, StatusChange
from cities.models import Membership, Profile
from outbox.models import OutgoingMail
from outbox.services import suppressed
from tests import factories, s3server
from tests.actionplans.test_reminder_processes import ROOT, Process, require, subprocess_database_url, wait_until
from tests.conftest import upload
from tests.files import make_pdf
from tests.mailserver import Mailbox, free_port
from tests.proxyclient import (
    HOST,
    ORIGIN,
    REQUEST_TIMEOUT,
    Browser,
    JourneyError,
    Stats,
    csrf_token,
    http_request,
    multipart,
    percentile,
)

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

# Of the configured Redis, a database no other test uses (the reminder tests flush 15).
REDIS_TEST_DB = 13
PASSWORD = "Topologi-2030-passord"
SWEEP_SECONDS = 2
QUIET_SWEEPS = 3  # sweeps that must run after the last expected mail without sending any

LOAD_SECONDS = 30
RAMP_SECONDS = 6  # the people log in one after another over this long
THINK_SECONDS = 0.3  # between two requests of one person
UPLOADS_BEFORE_SUBMIT = 2
# p95 of each page, in seconds: generous, for a 2-core machine shared with the database, the
# workers and the client (and, in CI, the other half of the suite). A login checks a PBKDF2
# password hash (about half a second of CPU); the login form is asked while the others' logins
# hash, so it waits behind them (6.5 s at p95 once in CI).
BUDGET = {
    "login form": 12.0,
    "login": 12.0,
    "two-factor": 8.0,
    "upload": 10.0,
    "submit": 10.0,
    "export CSV": 10.0,
}
DEFAULT_BUDGET = 6.0

THEMES = [
    ("atp", "Areal og transport"),
    ("energy", "Energi i bygg"),
    ("consumption", "Forbruk og avfall"),
    ("adaptation", "Klimatilpasning"),
]
COORDINATORS_PER_THEME = 2
MINISTRY_PEOPLE = 4
# Names that are no part of each other, so that a subject names one city.
LOAD_CITIES = [
    "Tromsø", "Bodø", "Alta", "Harstad", "Narvik", "Molde",
    "Hamar", "Gjøvik", "Lillehammer", "Arendal", "Skien", "Halden",
]  # fmt: skip
SUBMITTED_CITIES = ["Oslo", "Bergen", "Trondheim", "Stavanger"]
OVERDUE_CITIES = ["Kirkenes", "Vadsø", "Hammerfest"]


# --- The programme --------------------------------------------------------------------------


@dataclass
class Person:
    username: str
    email: str
    role: str
    city: str = ""
    programme: int = 0  # the contact's programme in the current round
    theme: str = ""  # the coordinator's theme code
    otp_key: bytes = b""  # the ministry's authenticator


@dataclass
class Seed:
    round_slug: str
    overdue_round: str
    people: list
    overdue_contacts: list  # (email, city)
    submitted_contacts: list  # contacts of the cities submitted before the load: no journey


def _password_hash():
    """The hash the servers check (Django's default hasher; the tests' own is MD5, which they lack)."""
    return PBKDF2PasswordHasher().encode(PASSWORD, "topologysalt")


def seed_programme():
    """The programme of the test, written with no mail queued (the seed is no news to anyone)."""
    today = timezone.localdate(timezone.now(), reminders.OSLO)
    themes = [
        factories.ThemeAreaFactory(code=code, name_nb=name, name_en=name, order=n)
        for n, (code, name) in enumerate(THEMES, start=1)
    ]
    current = factories.RoundFactory(
        name="Handlingsprogram topologi", slug="topologi", deadline__due_date=today + timedelta(days=60)
    )
    overdue = factories.RoundFactory(
        name="Klimaplan forsinket", slug="forsinket", deadline__due_date=today - timedelta(days=30)
    )
    # The step due now for the overdue round is the last one (a week after its day), whatever the weekday.
    step = reminders.latest_due_step(overdue.deadline.due_date, DEFAULT_REMINDER_OFFSETS, timezone.now())
    assert step is not None and step[0] == max(DEFAULT_REMINDER_OFFSETS)
    assert reminders.latest_due_step(current.deadline.due_date, DEFAULT_REMINDER_OFFSETS, timezone.now()) is None
    ministry_org = factories.OrganisationFactory(short_name="KLD")

    def person(username, role, **scope):
        user = factories.UserFactory(username=username)
        factories.MembershipFactory(user=user, role=role, **scope)
        return user

    people, overdue_contacts, submitted_contacts = [], [], []
    with suppressed():
        for n, name in enumerate(LOAD_CITIES + SUBMITTED_CITIES):
            city = factories.CityFactory(name=name, slug=f"by-{n}")
            programme = factories.ProgrammeFactory(round=current, city=city)
            for theme in themes:
                factories.MeasureFactory(programme=programme, theme_area=theme, title=f"{theme.name_nb} i {name}")
            contact = person(f"kontakt-{n}", Membership.Role.CITY_CONTACT, city=city)
            if name in SUBMITTED_CITIES:
                upload(programme, contact, content=make_pdf(f"{name} handlingsprogram"), name=f"{name}.pdf")
                services.submit_programme(programme, by=contact)
                submitted_contacts.append(contact.email)
            else:
                people.append(Person(contact.username, contact.email, "contact", city=name, programme=programme.pk))
        for n, name in enumerate(OVERDUE_CITIES):
            city = factories.CityFactory(name=name, slug=f"sen-{n}")
            factories.ProgrammeFactory(round=overdue, city=city)
            for username, language in ((f"sen-kontakt-{n}", "nb"), (f"late-contact-{n}", "en")):
                user = person(username, Membership.Role.CITY_CONTACT, city=city)
                Profile.objects.create(user=user, language=language)
                overdue_contacts.append((user.email, name))
        for theme in themes:
            for n in range(COORDINATORS_PER_THEME):
                user = person(f"koordinator-{theme.code}-{n}", Membership.Role.COORDINATOR, theme_area=theme)
                people.append(Person(user.username, user.email, "coordinator", theme=theme.code))
        for n in range(MINISTRY_PEOPLE):
            user = person(f"departementet-{n}", Membership.Role.PROGRAMME_MANAGEMENT, organisation=ministry_org)
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
            people.append(Person(user.username, user.email, "ministry", otp_key=device.bin_key))
    get_user_model().objects.update(password=_password_hash())
    # The seeded submissions were told to nobody (suppressed), as far as the sweeps can see too.
    StatusChange.objects.filter(notified_at__isnull=True).update(notified_at=timezone.now())
    return Seed(current.slug, overdue.name, people, overdue_contacts, submitted_contacts)


# --- The processes ----------------------------------------------------------------------------


def configured_redis_url():
    broker = settings.CELERY_BROKER_URL
    require(broker.startswith(("redis://", "rediss://")), f"the configured broker is not Redis: {broker}")
    url = urllib.parse.urlsplit(broker)._replace(path=f"/{REDIS_TEST_DB}").geturl()
    try:
        redis.Redis.from_url(url, socket_timeout=5).flushdb()
    except redis.RedisError as exc:
        require(False, f"the configured Redis broker {broker} does not answer: {exc}")
    return url


def collect_static(static_root):
    """The manifest and hashed names that DEBUG off needs, without WhiteNoise's compression (about
    20 s of CPU): the instances then serve the same files uncompressed."""
    script = (
        "from django.conf import settings;"
        "settings.STORAGES['staticfiles'] = {'BACKEND': 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'};"
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('collectstatic', interactive=False, verbosity=0)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "STATIC_ROOT": str(static_root)}
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


class Topology:
    """The processes of docs/deploy.md, started the way compose.yaml starts them."""

    def __init__(self, tmp_path, settings):
        self.tmp_path = tmp_path
        self.settings = settings
        self.processes = []
        self.web_ports = []
        self.workers = []
        self.beats = []
        self.mailbox = Mailbox()
        self.smtp = None
        self.moto = None
        self.bucket = None
        self.redis_url = None
        # One key for all: a session made on one instance is good on the other.
        self.secret_key = secrets.token_urlsafe(50)

    # Before the seed: the services the seed writes to (the bucket).
    def start_services(self):
        require(connection.vendor == "postgresql", "the topology needs PostgreSQL (DATABASE_URL=postgres://…)")
        self.redis_url = configured_redis_url()
        self.moto = s3server.MotoProcess(self.tmp_path / "moto.log")
        self.moto.wait_ready()
        self.bucket = s3server.Bucket(self.moto.endpoint, f"portal-media-{uuid.uuid4().hex[:8]}")
        s3server.make_bucket(self.bucket.endpoint, self.bucket.name)
        # The seed's drafts go to the bucket as well.
        self.settings.STORAGES = {
            **self.settings.STORAGES,
            "default": s3server.storage(self.bucket.endpoint, self.bucket.name),
        }
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
        self.smtp = Controller(self.mailbox, hostname="127.0.0.1", port=free_port())
        self.smtp.start()

    def env(self):
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "SQLITE_TEST_NAME", "DEBUG"} and not k.startswith("AWS_")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="portal.settings",
            DEBUG="false",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS=HOST,
            SITE_URL=ORIGIN,
            DATABASE_URL=subprocess_database_url(),
            CELERY_BROKER_URL=self.redis_url,
            CELERY_TASK_ALWAYS_EAGER="false",
            EMAIL_URL=f"smtp://127.0.0.1:{self.smtp.port}",
            STATIC_ROOT=str(self.tmp_path / "static"),
            # Nothing may land here: the media are in the bucket.
            MEDIA_ROOT=str(self.tmp_path / "media"),
            REMINDER_SWEEP_SECONDS=str(SWEEP_SECONDS),
            OUTBOX_SWEEP_SECONDS=str(SWEEP_SECONDS),
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
            **s3server.environment(self.bucket.endpoint, self.bucket.name),
        )
        return env

    def _start(self, name, *args):
        process = Process(name, [sys.executable, "-m", *args], self.env(), self.tmp_path / f"{name}.log")
        self.processes.append(process)
        return process

    def start(self):
        """Two web instances, two workers and two beats, all at once; returns when each is ready."""
        collect_static(self.tmp_path / "static")
        for n in (1, 2):
            port = free_port()
            self.web_ports.append(port)
            self._start(
                f"web{n}",
                "gunicorn",
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                str(REQUEST_TIMEOUT),
                # The client's address from the PROXY protocol line, as behind deploy/Caddyfile.
                "--proxy-protocol",
                "auto",
                "--proxy-allow-from",
                "127.0.0.1",
                "--control-socket",
                str(self.tmp_path / f"gunicorn-{n}.ctl"),
                "--access-logfile",
                "-",
            )
        for n in (1, 2):
            hostname = f"topology-{n}-{uuid.uuid4().hex[:8]}@%h"
            self.workers.append(
                self._start(
                    f"worker{n}",
                    "celery",
                    "-A",
                    "portal",
                    "worker",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "1",
                    "--hostname",
                    hostname,
                )  # fmt: skip
            )
        for n in (1, 2):
            schedule = str(self.tmp_path / f"beat-schedule-{n}")
            self.beats.append(
                self._start(f"beat{n}", "celery", "-A", "portal", "beat", "--loglevel", "INFO", "--schedule", schedule)
            )
        for port, process in zip(self.web_ports, self.processes[:2], strict=True):
            wait_until(lambda port=port: _answers(port), 90, f"{process.name} to answer", self.processes)
        for worker in self.workers:
            wait_until(lambda w=worker: " ready." in w.log(), 90, f"{worker.name} to be ready", self.processes)
        for beat in self.beats:
            wait_until(lambda b=beat: "Starting..." in b.log(), 60, f"{beat.name} to start", self.processes)

    def sweeps_done(self):
        lines = [line for worker in self.workers for line in worker.log().splitlines()]
        return sum("actionplans.sweep_reminders[" in line and " succeeded in " in line for line in lines)

    def stop(self):
        """Every process ended (warm, else killed) and reaped; returns the names of any left running."""
        for process in self.processes:
            process.terminate()
        left = []
        for process in self.processes:
            try:
                process.stop()
            except subprocess.TimeoutExpired:
                left.append(process.name)
        if self.moto is not None:
            self.moto.stop()
            if self.moto.popen.poll() is None:
                left.append("moto")
        if self.smtp is not None:
            self.smtp.stop()
        if self.redis_url:
            redis.Redis.from_url(self.redis_url, socket_timeout=5).flushdb()
        return left

    def report(self):
        for process in self.processes:
            print(f"----- {process.name} ({process.log_path}) -----\n{process.tail(30)}")


def _answers(port):
    try:
        return http_request(port, "GET", "/healthz/", {"Host": HOST, "X-Forwarded-Proto": "https"})[0] == 200
    except OSError:
        return False


@pytest.fixture
def topology(transactional_db, tmp_path, settings):
    """The topology of one test, stopped before the test database is flushed, also on failure."""
    processes = Topology(tmp_path, settings)
    try:
        yield processes
    finally:
        left = processes.stop()
        processes.report()  # shown by pytest only when the test fails
        assert left == [], f"still running after the test: {left}"


# --- Logging in -------------------------------------------------------------------------------


def log_in(browser, person):
    form = browser.get("login form", "/accounts/login/")
    data = {"csrfmiddlewaretoken": csrf_token(form.text), "username": person.username, "password": PASSWORD}
    answer = browser.post("login", "/accounts/login/", data, expect=(302,))
    if not person.otp_key:
        return
    # Programme management: the code of its authenticator app after the password.
    held = browser.get("home", answer.location, expect=(302,))
    if not held.location.startswith("/accounts/two-factor/verify/"):
        raise JourneyError(f"the ministry was not asked for a code: {held.location}")
    form = browser.get("two-factor form", held.location)
    code = TOTP(person.otp_key)
    code.time = time.time()
    data = {"csrfmiddlewaretoken": csrf_token(form.text), "code": f"{code.token():06d}"}
    browser.post("two-factor", held.location, data, expect=(302,))


def contact_journey(browser, person, until, stats):
    """Upload drafts, each read back from the other instance, then submit; then look at it until the end."""
    programme = f"/programmes/{person.programme}/"
    uploads = 0
    submitted = False
    while not submitted or time.monotonic() < until:
        browser.get("home", "/")
        page = browser.get("programme", programme)
        if submitted:
            latest = max(int(pk) for pk in re.findall(r"/drafts/(\d+)/download/", page.text))
            browser.get("download", f"/drafts/{latest}/download/")
        else:
            form = browser.get("upload form", f"{programme}drafts/new/")
            content = make_pdf(f"{person.city} handlingsprogram versjon {uploads + 1} " + "tiltak " * 200)
            body, content_type = multipart(
                {"csrfmiddlewaretoken": csrf_token(form.text), "note": f"Versjon {uploads + 1}"},
                {"file": (f"{person.city} utkast {uploads + 1}.pdf", content, "application/pdf")},
            )
            answer = browser.request(
                "upload", "POST", f"{programme}drafts/new/", body=body, content_type=content_type, expect=(302,)
            )
            uploads += 1
            with stats.lock:
                stats.uploads.append((person.username, hashlib.sha256(content).hexdigest(), answer.port))
            # Read back at once from the instance that did not take it.
            other = browser.other_port(answer.port)
            page = browser.get("programme", programme, port=other)
            latest = max(int(pk) for pk in re.findall(r"/drafts/(\d+)/download/", page.text))
            download = browser.get("download", f"/drafts/{latest}/download/", port=other)
            if download.body != content:
                raise JourneyError(f"draft {latest} read back from :{other} is not what was uploaded to :{answer.port}")
            if uploads >= UPLOADS_BEFORE_SUBMIT:
                form = browser.get("submit form", f"{programme}submit/")
                browser.post(
                    "submit", f"{programme}submit/", {"csrfmiddlewaretoken": csrf_token(form.text)}, expect=(302,)
                )
                submitted = True
        time.sleep(THINK_SECONDS)


def coordinator_journey(browser, person, until, stats):
    """The review queue of the theme, one review after another (with its PDF inline), a comment on each."""
    visit = 0
    while time.monotonic() < until:
        queue = browser.get("review queue", f"/review/themes/{person.theme}/")
        programmes = sorted(set(re.findall(rf'/programmes/(\d+)/review/{person.theme}/"', queue.text)))
        if not programmes:
            raise JourneyError(f"the review queue of {person.theme} is empty")
        pk = programmes[visit % len(programmes)]
        visit += 1
        review_path = f"/programmes/{pk}/review/{person.theme}/"
        review = browser.get("review", review_path)
        inline = re.search(r"/drafts/(\d+)/view/", review.text)
        if inline is None:
            raise JourneyError(f"no inline draft on {review_path}")
        shown = browser.get("inline draft", inline.group(0))
        if not shown.body.startswith(b"%PDF-"):
            raise JourneyError(f"{inline.group(0)} is not a PDF")
        data = {
            "csrfmiddlewaretoken": csrf_token(review.text),
            "measure": "",
            "text": f"Merknad {visit} fra {person.username}",
        }
        browser.post("comment", f"{review_path}comments/", data, expect=(302,))
        time.sleep(THINK_SECONDS)


def ministry_journey(browser, person, until, stats, round_slug):
    """The dashboard, and the measures of the round as CSV."""
    while time.monotonic() < until:
        browser.get("dashboard", "/")
        export = browser.get("export CSV", f"/exports/measures.csv?round={round_slug}")
        if not export.headers.get("Content-Type", "").startswith("text/csv"):
            raise JourneyError(f"the export is {export.headers.get('Content-Type')}")
        if len(export.text.strip().splitlines()) < 1 + 4 * len(SUBMITTED_CITIES):
            raise JourneyError(f"the export has {len(export.text.splitlines())} lines")
        time.sleep(THINK_SECONDS)


def _in_threads(people, target, timeout):
    """`target(n, person)` for every person, each in a thread of its own; waits for them all."""
    threads = [
        threading.Thread(target=target, args=(n, person), name=person.username, daemon=True)
        for n, person in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.1, deadline - time.monotonic()))
    stuck = [t.name for t in threads if t.is_alive()]
    assert stuck == [], f"simulated people still busy long after their time: {stuck}"


def address(n):
    """The address the n-th simulated person connects from (TEST-NET-2)."""
    return f"198.51.100.{n + 1}"


def run_load(seed, ports, stats):
    """Everyone logs in (one after another over RAMP_SECONDS: a password check costs half a second of
    CPU), then does their journey for LOAD_SECONDS, all at once; returns their browsers."""
    browsers = {person.username: Browser(ports, n, stats, address(n)) for n, person in enumerate(seed.people)}
    logged_in = set()

    def failed(person, error):
        with stats.lock:
            stats.errors.append(f"{person.username}: {type(error).__name__}: {error}")

    def enter(n, person):
        time.sleep(n * RAMP_SECONDS / len(seed.people))
        try:
            log_in(browsers[person.username], person)
        except (JourneyError, OSError, ValueError) as error:
            failed(person, error)
        else:
            with stats.lock:
                logged_in.add(person.username)

    _in_threads(seed.people, enter, RAMP_SECONDS + 2 * REQUEST_TIMEOUT)
    until = time.monotonic() + LOAD_SECONDS

    def journey(n, person):
        if person.username not in logged_in:
            return
        browser = browsers[person.username]
        try:
            if person.role == "contact":
                contact_journey(browser, person, until, stats)
            elif person.role == "coordinator":
                coordinator_journey(browser, person, until, stats)
            else:
                ministry_journey(browser, person, until, stats, seed.round_slug)
        except (JourneyError, OSError, ValueError) as error:
            failed(person, error)

    _in_threads(seed.people, journey, LOAD_SECONDS + 2 * REQUEST_TIMEOUT)
    return browsers


# --- Mail -------------------------------------------------------------------------------------


def named_in(subject, names):
    found = [name for name in names if name in subject]
    return found[0] if len(found) == 1 else f"? {subject}"


def expected_mail(seed):
    """(address, kind, the city or round its subject names) of every mail the run must send, once each."""
    submitted = list(
        ActionProgramme.objects.filter(round__slug=seed.round_slug, city__name__in=LOAD_CITIES)
        .filter(status=ActionProgramme.Status.SUBMITTED)
        .values_list("city__name", flat=True)
    )
    readers = [p.email for p in seed.people if p.role in ("coordinator", "ministry")]
    expected = Counter()
    for address, city in seed.overdue_contacts:
        expected[(address, "reminder_overdue", city)] += 1
    for person in seed.people:
        if person.role == "ministry":
            expected[(person.email, "reminder_summary", seed.overdue_round)] += 1
        if person.role == "contact" and person.city in submitted:
            expected[(person.email, "submission_receipt", person.city)] += 1
    for city in submitted:
        for address in readers:
            expected[(address, "submission_received", city)] += 1
    return expected, submitted


# --- The test ---------------------------------------------------------------------------------


def test_two_web_instances_two_workers_and_a_doubled_beat_serve_the_journeys_under_load(topology):
    topology.start_services()
    seed = seed_programme()
    topology.start()
    ports = topology.web_ports
    stats = Stats()

    browsers = run_load(seed, ports, stats)

    table = stats.table(BUDGET, DEFAULT_BUDGET)
    print(table)
    assert stats.server_errors == [], "answers 5xx:\n" + "\n".join(stats.server_errors[:20]) + f"\n{table}"
    assert stats.errors == [], "journeys that went wrong:\n" + "\n".join(stats.errors[:20]) + f"\n{table}"
    over = {
        page: round(percentile(seconds, 95), 2)
        for page, seconds in stats.timings.items()
        if percentile(seconds, 95) > BUDGET.get(page, DEFAULT_BUDGET)
    }
    assert over == {}, f"p95 over budget: {over}\n{table}"
    # Both instances took uploads, and the load reached every page of the three journeys.
    assert {port for _, _, port in stats.uploads} == set(ports), stats.uploads
    assert {
        "upload",
        "download",
        "submit",
        "review queue",
        "review",
        "inline draft",
        "comment",
        "dashboard",
        "export CSV",
    } <= set(stats.timings)

    # Each login was recorded from the person's own address, not the proxy's.
    logins = set(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN).values_list("username", "address"))
    assert logins == {(p.username, address(n)) for n, p in enumerate(seed.people)}

    # Every mail once: as the outbox recorded it, and as the mail server received it.
    expected, submitted = expected_mail(seed)
    assert sorted(submitted) == sorted(LOAD_CITIES)
    total = sum(expected.values())
    wait_until(
        lambda: len(topology.mailbox.messages) >= total,
        60,
        f"{total} mails (got {len(topology.mailbox.messages)})",
        topology.processes,
    )
    target = topology.sweeps_done() + QUIET_SWEEPS

    def quiet():
        assert len(topology.mailbox.messages) == total, f"more mail than expected: {len(topology.mailbox.messages)}"
        return topology.sweeps_done() >= target

    wait_until(quiet, 60, f"{QUIET_SWEEPS} more sweeps", topology.processes)
    names = LOAD_CITIES + OVERDUE_CITIES + [seed.overdue_round]
    mails = list(OutgoingMail.objects.values_list("address", "kind", "subject", "status"))
    assert Counter((a, kind, named_in(subject, names)) for a, kind, subject, _ in mails) == expected
    assert {status for *_, status in mails} == {OutgoingMail.Status.SENT}
    # A long subject with non-ASCII letters travels folded: compared with its spaces as one.
    received = Counter((to, " ".join(m["subject"].split())) for m in topology.mailbox.messages for to in m["to"])
    assert received == Counter((a, " ".join(subject.split())) for a, _, subject, _ in mails)
    assert len({m["id"] for m in topology.mailbox.messages}) == total
    # Each beat sent sweeps (so every sweep ran twice), and both workers took part.
    for beat in topology.beats:
        assert beat.log().count("Sending due task sweep-reminders") >= 2, beat.tail()
    for worker in topology.workers:
        assert " succeeded in " in worker.log(), worker.tail()

    # Every draft in the bucket, read by a worker (its text), and downloadable from either instance.
    drafts = list(Draft.objects.select_related("programme__city"))
    assert len(drafts) == len(SUBMITTED_CITIES) + UPLOADS_BEFORE_SUBMIT * len(LOAD_CITIES)
    assert topology.bucket.keys() == sorted(d.file.name for d in drafts)
    assert not (topology.tmp_path / "media").exists()
    assert {sha for _, sha, _ in stats.uploads} <= {d.sha256 for d in drafts}
    wait_until(
        lambda: not Draft.objects.filter(read_at__isnull=True).exists(), 60, "every draft read", topology.processes
    )
    for draft in Draft.objects.select_related("programme__city"):
        assert "handlingsprogram" in draft.text, (draft, draft.text)
        if draft.programme.city.name in LOAD_CITIES:
            assert f"versjon {draft.number}" in draft.text, (draft, draft.text)
    ministry = browsers[next(p.username for p in seed.people if p.role == "ministry")]
    for draft in drafts:
        for port in ports:
            answer = ministry.get("download", f"/drafts/{draft.pk}/download/", port=port)
            assert hashlib.sha256(answer.body).hexdigest() == draft.sha256, (draft, port)
