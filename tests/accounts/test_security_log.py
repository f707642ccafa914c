"""The security log: what logging in and out records, its page (permissions, filters, pages,
queries, locked accounts), its CSV export, the admin's read-only view, and the retention sweep."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.tasks import prune_security_log, prune_security_log_task
from lib.security import record
from tests import factories
from tests.accounts.conftest import lock, log_in

Kind = SecurityEvent.Kind
URL = reverse("accounts:security_log")
CSV_URL = reverse("accounts:security_log_csv")


def event(kind=Kind.LOGIN, user=None, at=None, **fields):
    """A log entry made `at` (a moment; now by default)."""
    with time_machine.travel(at or timezone.now(), tick=False):
        return SecurityEvent.objects.create(
            kind=kind, user=user, username=fields.pop("username", user.username if user else ""), **fields
        )


@pytest.fixture
def manager_client(en_client, manager):
    en_client.force_login(manager)
    SecurityEvent.objects.all().delete()  # the login itself
    return en_client


def listed(response):
    return [(e.kind, e.username) for e in response.context["page"].object_list]


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# What logging in and out records


def test_a_login_is_recorded_with_the_address(client, contact_oslo):
    log_in(client, "kontakt-oslo", REMOTE_ADDR="10.1.2.3")

    entry = SecurityEvent.objects.get()
    assert (entry.kind, entry.user, entry.username, entry.address, entry.path) == (
        Kind.LOGIN,
        contact_oslo,
        "kontakt-oslo",
        "10.1.2.3",
        reverse("login"),
    )


def test_a_failed_login_keeps_the_name_typed_never_the_password(client, contact_oslo):
    log_in(client, "kontakt-oslo", "hemmelig-feil")
    log_in(client, "ingen-slik", "hemmelig-feil")

    entries = list(SecurityEvent.objects.order_by("pk"))
    assert [(e.kind, e.user, e.username, e.detail) for e in entries] == [
        (Kind.LOGIN_FAILED, contact_oslo, "kontakt-oslo", {}),
        (Kind.LOGIN_FAILED, None, "ingen-slik", {}),
    ]
    stored = [str(value) for e in entries for value in (e.username, e.address, e.path, e.detail)]
    assert not any("hemmelig" in value for value in stored)


def test_a_logout_is_recorded(client, contact_oslo):
    client.force_login(contact_oslo)

    client.post(reverse("logout"))

    assert list(SecurityEvent.objects.order_by("pk").values_list("kind", "user")) == [
        (Kind.LOGIN, contact_oslo.pk),
        (Kind.LOGOUT, contact_oslo.pk),
    ]


def test_record_without_a_request_keeps_who_and_what(contact_oslo):
    record(Kind.ROLE_GIVEN, user=contact_oslo, role="city_contact", username="kontakt-oslo")

    entry = SecurityEvent.objects.get()
    assert (entry.kind, entry.user, entry.username, entry.address, entry.path, entry.detail) == (
        Kind.ROLE_GIVEN,
        contact_oslo,
        "kontakt-oslo",
        "",
        "",
        {"role": "city_contact"},
    )


# The page: who may read it


@pytest.mark.parametrize("persona", ["contact_oslo", "contact_bergen", "coordinator", "partner", "outsider"])
@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_the_log_is_refused_to_everyone_but_management(request, client, persona, url):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_the_log_asks_anonymous_to_log_in(db, client, url):
    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={url}")


def test_the_log_is_read_by_management_and_superusers(client, manager, superuser):
    for user in (manager, superuser):
        client.force_login(user)
        assert client.get(URL).status_code == 200


def test_the_log_takes_no_post(manager_client):
    assert manager_client.post(URL).status_code == 405
    assert manager_client.post(CSV_URL).status_code == 405


# The page: what it shows


def test_the_page_lists_entries_newest_first_with_their_details(manager_client, contact_oslo):
    now = timezone.now()
    event(Kind.LOGIN, contact_oslo, at=now - datetime.timedelta(hours=2), address="10.0.0.1")
    event(Kind.DRAFT_DOWNLOADED, contact_oslo, at=now - datetime.timedelta(hours=1), detail={"file": "utkast.pdf"})

    response = manager_client.get(URL)

    assert listed(response) == [(Kind.DRAFT_DOWNLOADED, "kontakt-oslo"), (Kind.LOGIN, "kontakt-oslo")]
    page = response.content.decode()
    assert "Draft downloaded" in page
    assert "file: utkast.pdf" in page
    assert "10.0.0.1" in page
    assert "Entries: 2" in page


def test_the_page_shows_fifty_entries_a_page(manager_client):
    SecurityEvent.objects.bulk_create([SecurityEvent(kind=Kind.LOGIN, username=f"u{n}") for n in range(51)])

    first = manager_client.get(URL)
    second = manager_client.get(URL, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1
    assert "Page 1 of 2" in first.content.decode()


@pytest.mark.parametrize("entries", [1, 3])
def test_the_page_costs_the_same_queries_for_any_number_of_entries(manager_client, django_assert_num_queries, entries):
    for n in range(entries):
        event(Kind.LOGIN, factories.UserFactory(username=f"person{n}"))
        event(Kind.LOGIN_FAILED, username=f"typed{n}")
    factories.UserFactory(username="laast")
    lock("laast")
    lock("ingen-slik", REMOTE_ADDR="10.0.0.2")
    # session, user, memberships (the permission), count, locked accounts, the page, their users
    with django_assert_num_queries(7):
        response = manager_client.get(URL)
    assert response.status_code == 200


def test_the_locked_accounts_are_shown_with_an_unlock_button(manager_client, contact_oslo):
    lock("kontakt-oslo", REMOTE_ADDR="10.0.0.1")
    lock("ingen-slik", REMOTE_ADDR="10.0.0.2")

    page = manager_client.get(URL).content.decode()

    assert page.count(f'action="{reverse("accounts:unlock")}"') == 2
    assert 'name="username" value="kontakt-oslo"' in page
    assert 'name="username" value="ingen-slik"' in page
    assert "no account has this user name" in page
    assert "No account is locked now." not in page


def test_no_locked_account_says_so(manager_client):
    assert "No account is locked now." in manager_client.get(URL).content.decode()


# Filters


@pytest.fixture
def some_entries(contact_oslo, contact_bergen):
    contact_oslo.first_name, contact_oslo.last_name = "Kari", "Nordmann"
    contact_oslo.save(update_fields=["first_name", "last_name"])
    day = timezone.make_aware(datetime.datetime(2030, 3, 10, 12))
    event(Kind.LOGIN, contact_oslo, at=day, address="10.0.0.1")
    event(Kind.LOGIN_FAILED, username="ukjent", at=day + datetime.timedelta(days=1), address="192.168.1.5")
    event(Kind.REFUSED, contact_bergen, at=day + datetime.timedelta(days=2), address="10.0.0.2")
    event(Kind.UNLOCK, contact_bergen, at=day + datetime.timedelta(days=3), detail={"account": "kontakt-oslo"})


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {},
            [
                (Kind.UNLOCK, "kontakt-bergen"),
                (Kind.REFUSED, "kontakt-bergen"),
                (Kind.LOGIN_FAILED, "ukjent"),
                (Kind.LOGIN, "kontakt-oslo"),
            ],
        ),
        ({"kind": "refused"}, [(Kind.REFUSED, "kontakt-bergen")]),
        ({"person": "UKJ"}, [(Kind.LOGIN_FAILED, "ukjent")]),
        ({"person": "kari nord"}, [(Kind.LOGIN, "kontakt-oslo")]),
        # The name of the user an entry is about (an unlock's account) counts too.
        ({"person": "kontakt-oslo"}, [(Kind.UNLOCK, "kontakt-bergen"), (Kind.LOGIN, "kontakt-oslo")]),
        ({"address": "10.0.0."}, [(Kind.REFUSED, "kontakt-bergen"), (Kind.LOGIN, "kontakt-oslo")]),
        (
            {"date_from": "2030-03-11", "date_to": "2030-03-12"},
            [(Kind.REFUSED, "kontakt-bergen"), (Kind.LOGIN_FAILED, "ukjent")],
        ),
        ({"date_to": "2030-03-10"}, [(Kind.LOGIN, "kontakt-oslo")]),
        ({"kind": "login", "person": "bergen"}, []),
    ],
)
def test_the_filters_choose_the_entries(manager_client, some_entries, query, expected):
    response = manager_client.get(URL, query)

    assert response.status_code == 200
    assert listed(response) == expected


def test_a_bad_date_gives_a_message_and_is_left_out(manager_client, some_entries):
    response = manager_client.get(URL, {"date_from": "10.13.2030", "kind": "login"})

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Some filters were not understood and are left out; see the fields marked."
    ]
    assert response.context["filters"].errors == {"date_from": ["Enter a valid date."]}
    assert listed(response) == [(Kind.LOGIN, "kontakt-oslo")]


def test_an_unknown_kind_gives_a_message(manager_client, some_entries):
    response = manager_client.get(URL, {"kind": "nonsense"})

    assert response.status_code == 200
    assert list(response.context["filters"].errors) == ["kind"]
    assert len(listed(response)) == 4


def test_a_date_in_norwegian_form_is_understood(manager_client, some_entries):
    manager_client.cookies["django_language"] = "nb"

    response = manager_client.get(URL, {"date_from": "13.03.2030"})

    assert listed(response) == [(Kind.UNLOCK, "kontakt-bergen")]


def test_the_csv_link_carries_the_filters_but_not_the_page(manager_client):
    page = manager_client.get(URL, {"kind": "login", "page": "2"}).content.decode()

    assert f'href="{CSV_URL}?kind=login&amp;dialect=plain"' in page
    assert f'href="{CSV_URL}?kind=login&amp;dialect=excel-nb"' in page


# The CSV export


def test_the_csv_has_every_chosen_entry_with_headers(manager_client, some_entries):
    response = manager_client.get(CSV_URL, {"address": "10.0.0."})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="security-log.csv"'
    assert response["Cache-Control"] == "private, no-store"
    assert csv_rows(response) == [
        ["When", "What", "Person", "User name", "Address", "Address in the portal", "Detail"],
        ["2030-03-12 12:00:00", "Access refused", "kontakt-bergen", "kontakt-bergen", "10.0.0.2", "", ""],
        ["2030-03-10 12:00:00", "Logged in", "Kari Nordmann", "kontakt-oslo", "10.0.0.1", "", ""],
    ]


def test_the_csv_is_not_all_on_one_page(manager_client):
    SecurityEvent.objects.bulk_create([SecurityEvent(kind=Kind.LOGIN, username=f"u{n}") for n in range(120)])

    assert len(csv_rows(manager_client.get(CSV_URL))) == 121


def test_the_csv_guards_against_formulas(manager_client):
    event(Kind.LOGIN_FAILED, username='=HYPERLINK("http://evil")', detail={"note": "x"})

    row = csv_rows(manager_client.get(CSV_URL))[1]

    assert row[3] == '\'=HYPERLINK("http://evil")'
    assert row[6] == "note: x"


def test_the_csv_with_a_bad_date_says_why(manager_client):
    response = manager_client.get(CSV_URL, {"date_to": "yesterday"})

    assert response.status_code == 400
    assert response.content.decode() == "The export was not made: To: Enter a valid date."


def test_the_csv_costs_the_same_queries_for_any_number_of_entries(manager_client, django_assert_max_num_queries):
    for n in range(30):
        event(Kind.LOGIN, factories.UserFactory(username=f"p{n}"))

    # session, user, memberships, the entries with their users
    with django_assert_max_num_queries(4):
        manager_client.get(CSV_URL).content  # noqa: B018 (read the whole response)


# Nobody edits it


def test_the_admin_shows_the_log_read_only(client, superuser, contact_oslo):
    entry = event(Kind.LOGIN, contact_oslo)
    client.force_login(superuser)

    changelist = client.get(reverse("admin:accounts_securityevent_changelist"))
    change = client.get(reverse("admin:accounts_securityevent_change", args=[entry.pk]))
    add = client.get(reverse("admin:accounts_securityevent_add"))
    delete = client.get(reverse("admin:accounts_securityevent_delete", args=[entry.pk]))
    edit = client.post(reverse("admin:accounts_securityevent_change", args=[entry.pk]), {"username": "x"})

    assert (changelist.status_code, change.status_code, add.status_code, delete.status_code) == (200, 200, 403, 403)
    assert edit.status_code == 403
    assert 'name="_save"' not in change.content.decode()
    entry.refresh_from_db()
    assert entry.username == "kontakt-oslo"


# Retention


def test_the_sweep_removes_entries_older_than_the_retention(db, settings):
    settings.SECURITY_LOG_RETENTION_DAYS = 730
    now = timezone.now()
    old = event(Kind.LOGIN, username="gammel", at=now - datetime.timedelta(days=731))
    kept = event(Kind.LOGIN, username="ny", at=now - datetime.timedelta(days=729))

    assert prune_security_log(now=now) == 1
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()


def test_the_sweep_follows_the_setting_and_is_safe_to_run_twice(db, settings):
    settings.SECURITY_LOG_RETENTION_DAYS = 30
    event(Kind.LOGIN, username="gammel", at=timezone.now() - datetime.timedelta(days=31))
    event(Kind.LOGIN, username="ny", at=timezone.now() - datetime.timedelta(days=29))

    prune_security_log_task.delay()
    prune_security_log_task.delay()

    assert list(SecurityEvent.objects.values_list("username", flat=True)) == ["ny"]


def test_the_sweep_runs_daily_and_keeps_two_years_by_default(settings):
    from portal.celery import app

    assert settings.CELERY_BEAT_SCHEDULE["prune-security-log"]["task"] == "accounts.prune_security_log"
    assert settings.CELERY_BEAT_SCHEDULE["prune-security-log"]["schedule"] == 24 * 3600
    assert settings.SECURITY_LOG_RETENTION_DAYS == 730
    assert "accounts.prune_security_log" in app.tasks
