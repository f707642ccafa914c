"""Two-factor login: setting it up, the code after the password, recovery codes, removing it, and
the requirement for programme management and staff (the admin included)."""

import datetime
import re
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import SecurityEvent
from tests.accounts.conftest import log_in
from tests.accounts.two_factor_helpers import code_of, give_two_factor, wrong_code

Kind = SecurityEvent.Kind
NOON = datetime.datetime(2030, 1, 7, 12, 0, tzinfo=datetime.UTC)
WRONG = "That code is not right, or it has been used already."
SETUP_URL = reverse("accounts:two_factor_setup")
VERIFY_URL = reverse("accounts:two_factor_verify")


@pytest.fixture
def enforced(settings):
    settings.TWO_FACTOR_ENFORCE = True
    settings.TWO_FACTOR_REQUIRED_ROLES = ["programme_management", "staff"]


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def kinds(user=None):
    events = SecurityEvent.objects.order_by("pk")
    if user is not None:
        events = events.filter(user=user)
    return list(events.values_list("kind", flat=True))


def errors_of(response):
    return re.findall(r'<p id="error_\d+_id_\w+"><strong>(.*?)</strong></p>', response.content.decode(), re.S)


def verify_at(next_path):
    return f"{VERIFY_URL}?next={quote(next_path)}"


# Setting up


def test_setup_page_shows_the_qr_code_and_the_secret(en_client, contact_oslo):
    en_client.force_login(contact_oslo)

    response = en_client.get(SETUP_URL)

    device = TOTPDevice.objects.get(user=contact_oslo)
    page = response.content.decode()
    assert response.status_code == 200
    assert device.confirmed is False
    assert '<img src="data:image/svg+xml' in page
    assert f'<code class="fs-5" id="totp-secret">{two_factor.secret_text(device)}</code>' in page
    assert len(two_factor.secret_text(device).replace(" ", "")) == 32


def test_setup_keeps_one_unconfirmed_device_across_reloads(en_client, contact_oslo):
    en_client.force_login(contact_oslo)

    en_client.get(SETUP_URL)
    en_client.get(SETUP_URL)

    assert TOTPDevice.objects.filter(user=contact_oslo).count() == 1


def test_setup_confirmed_with_a_code_turns_it_on(en_client, contact_oslo, clock):
    en_client.force_login(contact_oslo)
    en_client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=contact_oslo)
    session_key = en_client.session.session_key

    response = en_client.post(SETUP_URL, {"code": code_of(device)})

    device.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_recovery_codes")
    assert device.confirmed is True
    assert StaticToken.objects.filter(device__user=contact_oslo).count() == 10
    assert en_client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert en_client.session.session_key != session_key
    assert kinds(contact_oslo)[-1] == Kind.TWO_FACTOR_ADDED


def test_setup_refuses_a_wrong_code(en_client, contact_oslo, clock):
    en_client.force_login(contact_oslo)
    en_client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=contact_oslo)

    response = en_client.post(SETUP_URL, {"code": wrong_code(device)})

    device.refresh_from_db()
    assert response.status_code == 200
    assert errors_of(response) == [
        "That code is not right. Check the time on your phone and type the code the app shows now."
    ]
    assert device.confirmed is False
    assert StaticToken.objects.filter(device__user=contact_oslo).count() == 0


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("", "This field is required."),
        ("abcdef", None),
        ("1" * 33, "Ensure this value has at most 32 characters (it has 33)."),
    ],
)
def test_setup_refuses_bad_input_with_a_message(en_client, contact_oslo, clock, code, error):
    en_client.force_login(contact_oslo)
    en_client.get(SETUP_URL)

    response = en_client.post(SETUP_URL, {"code": code})

    expected = error or "That code is not right. Check the time on your phone and type the code the app shows now."
    assert response.status_code == 200
    assert errors_of(response) == [expected]
    assert TOTPDevice.objects.get(user=contact_oslo).confirmed is False


def test_setup_when_already_on_goes_back_to_the_profile(en_client, contact_oslo):
    give_two_factor(contact_oslo)
    en_client.force_login(contact_oslo)
    session = en_client.session
    session[two_factor.STEP_KEY] = ""  # as after the code
    session.save()

    response = en_client.get(SETUP_URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert TOTPDevice.objects.filter(user=contact_oslo).count() == 1


# Recovery codes


def test_recovery_codes_are_shown_once_after_setup(en_client, contact_oslo, clock):
    en_client.force_login(contact_oslo)
    en_client.get(SETUP_URL)
    en_client.post(SETUP_URL, {"code": code_of(TOTPDevice.objects.get(user=contact_oslo))})
    stored = set(StaticToken.objects.filter(device__user=contact_oslo).values_list("token", flat=True))

    first = en_client.get(reverse("accounts:two_factor_recovery_codes"))
    second = en_client.get(reverse("accounts:two_factor_recovery_codes"))

    shown = re.findall(r'<li class="col recovery-code">(\w+)</li>', first.content.decode())
    assert set(shown) == stored
    assert len(shown) == 10
    assert re.findall(r'<li class="col recovery-code">', second.content.decode()) == []
    assert "You have 10 recovery codes left." in second.content.decode()


def test_new_recovery_codes_replace_the_old(en_client, contact_oslo):
    _, old_codes = give_two_factor(contact_oslo)
    en_client.force_login(contact_oslo)
    session = en_client.session
    session[two_factor.STEP_KEY] = ""
    session.save()

    response = en_client.post(reverse("accounts:two_factor_recovery_codes"))
    page = en_client.get(response["Location"]).content.decode()

    new_codes = re.findall(r'<li class="col recovery-code">(\w+)</li>', page)
    stored = set(StaticToken.objects.filter(device__user=contact_oslo).values_list("token", flat=True))
    assert set(new_codes) == stored
    assert stored.isdisjoint(old_codes)


def test_recovery_codes_without_two_factor_go_to_the_profile(en_client, contact_oslo):
    en_client.force_login(contact_oslo)

    response = en_client.post(reverse("accounts:two_factor_recovery_codes"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert StaticToken.objects.count() == 0


# The code after the password


def test_login_with_a_device_asks_for_the_code_before_any_page(en_client, contact_oslo, clock):
    device, _ = give_two_factor(contact_oslo)

    log_in(en_client, "kontakt-oslo")
    home = en_client.get(reverse("home"))
    programmes = en_client.get(reverse("actionplans:programme_list"))

    assert home.status_code == 302
    assert home["Location"] == verify_at("/")
    assert programmes["Location"] == verify_at(reverse("actionplans:programme_list"))
    assert en_client.get(VERIFY_URL).status_code == 200


def test_the_right_code_opens_the_portal_with_a_new_session_key(en_client, contact_oslo, clock):
    device, _ = give_two_factor(contact_oslo)
    log_in(en_client, "kontakt-oslo")
    session_key = en_client.session.session_key

    response = en_client.post(VERIFY_URL, {"code": code_of(device), "next": "/meetings/"})

    assert response.status_code == 302
    assert response["Location"] == "/meetings/"
    assert en_client.session.session_key != session_key
    assert en_client.get(reverse("home")).status_code == 200


def test_a_wrong_code_is_refused_and_logged(en_client, contact_oslo, clock):
    device, _ = give_two_factor(contact_oslo)
    log_in(en_client, "kontakt-oslo")

    response = en_client.post(VERIFY_URL, {"code": wrong_code(device)})

    assert response.status_code == 200
    assert errors_of(response) == [WRONG]
    assert kinds(contact_oslo)[-1] == Kind.TWO_FACTOR_FAILED
    assert en_client.get(reverse("home"))["Location"] == verify_at("/")


def test_a_code_used_once_is_refused_the_second_time(en_client, client, contact_oslo, clock):
    device, _ = give_two_factor(contact_oslo)
    code = code_of(device)
    log_in(en_client, "kontakt-oslo")
    assert en_client.post(VERIFY_URL, {"code": code}).status_code == 302
    en_client.post(reverse("logout"))

    log_in(en_client, "kontakt-oslo")
    response = en_client.post(VERIFY_URL, {"code": code})

    assert errors_of(response) == [WRONG]


def test_wrong_codes_make_the_next_try_wait(en_client, contact_oslo, clock):
    device, _ = give_two_factor(contact_oslo)
    log_in(en_client, "kontakt-oslo")
    en_client.post(VERIFY_URL, {"code": wrong_code(device)})
    en_client.post(VERIFY_URL, {"code": wrong_code(device)})  # while waiting: not counted again

    throttled = en_client.post(VERIFY_URL, {"code": code_of(device)})
    clock.shift(datetime.timedelta(seconds=2))
    allowed = en_client.post(VERIFY_URL, {"code": code_of(device)})

    assert errors_of(throttled) == ["Too many wrong codes in a row. Wait 1 second and try again."]
    assert allowed.status_code == 302
    assert settings.OTP_TOTP_THROTTLE_FACTOR == 1


def test_a_recovery_code_logs_in_once(en_client, contact_oslo, clock):
    _, codes = give_two_factor(contact_oslo)
    log_in(en_client, "kontakt-oslo")

    response = en_client.post(VERIFY_URL, {"code": f" {codes[0].upper()} "}, follow=True)
    en_client.post(reverse("logout"))
    log_in(en_client, "kontakt-oslo")
    again = en_client.post(VERIFY_URL, {"code": codes[0]})

    assert response.redirect_chain == [("/", 302)]
    assert "9 recovery codes are left" in response.content.decode()
    assert errors_of(again) == [WRONG]
    assert StaticToken.objects.filter(device__user=contact_oslo).count() == 9


def test_verify_with_nothing_pending_goes_on(en_client, contact_oslo):
    en_client.force_login(contact_oslo)

    response = en_client.get(VERIFY_URL + "?next=/meetings/")

    assert response["Location"] == "/meetings/"


def test_verify_does_not_follow_a_next_to_another_site(en_client, contact_oslo, clock):
    device, _ = give_two_factor(contact_oslo)
    log_in(en_client, "kontakt-oslo")

    response = en_client.post(VERIFY_URL, {"code": code_of(device), "next": "https://evil.example/"})

    assert response["Location"] == reverse("home")


def test_a_session_waiting_for_its_code_cannot_set_up_another_device_or_read_codes(en_client, contact_oslo):
    give_two_factor(contact_oslo)
    log_in(en_client, "kontakt-oslo")

    for url in (SETUP_URL, reverse("accounts:two_factor_recovery_codes"), reverse("accounts:two_factor_remove")):
        response = en_client.get(url)
        assert (url, response.status_code, response["Location"]) == (url, 302, verify_at(url))
    assert TOTPDevice.objects.filter(user=contact_oslo).count() == 1


def test_a_device_removed_while_waiting_lets_the_session_on(en_client, contact_oslo):
    give_two_factor(contact_oslo)
    log_in(en_client, "kontakt-oslo")
    TOTPDevice.objects.filter(user=contact_oslo).delete()
    StaticToken.objects.filter(device__user=contact_oslo).delete()
    contact_oslo.staticdevice_set.all().delete()

    response = en_client.get(VERIFY_URL)

    assert response["Location"] == reverse("home")
    assert en_client.get(reverse("home")).status_code == 200


# Removing it


def test_remove_with_a_wrong_code_keeps_it(en_client, contact_oslo, clock):
    device, _ = give_two_factor(contact_oslo)
    log_in(en_client, "kontakt-oslo")
    en_client.post(VERIFY_URL, {"code": code_of(device)})
    clock.shift(datetime.timedelta(seconds=30))

    response = en_client.post(reverse("accounts:two_factor_remove"), {"code": wrong_code(device)})

    assert errors_of(response) == [WRONG]
    assert two_factor.has_two_factor(contact_oslo) is True
    assert kinds(contact_oslo)[-1] == Kind.TWO_FACTOR_FAILED


def test_remove_with_a_code_removes_device_and_recovery_codes(en_client, contact_oslo, clock):
    device, _ = give_two_factor(contact_oslo)
    log_in(en_client, "kontakt-oslo")
    en_client.post(VERIFY_URL, {"code": code_of(device)})
    clock.shift(datetime.timedelta(seconds=30))

    response = en_client.post(reverse("accounts:two_factor_remove"), {"code": code_of(device)})

    assert response["Location"] == reverse("accounts:profile")
    assert two_factor.has_two_factor(contact_oslo) is False
    assert StaticToken.objects.filter(device__user=contact_oslo).count() == 0
    assert kinds(contact_oslo)[-1] == Kind.TWO_FACTOR_REMOVED
    assert en_client.get(reverse("home")).status_code == 200


def test_remove_when_required_sends_to_setup(en_client, manager, enforced, clock):
    _, codes = give_two_factor(manager)
    log_in(en_client, "departementet")
    en_client.post(VERIFY_URL, {"code": codes[0]})

    response = en_client.post(reverse("accounts:two_factor_remove"), {"code": codes[1]})

    assert response["Location"] == SETUP_URL
    assert en_client.get(reverse("home"))["Location"] == SETUP_URL


# The requirement


def test_programme_management_without_a_device_is_sent_to_setup(en_client, manager, enforced):
    log_in(en_client, "departementet")

    for url in (reverse("home"), reverse("accounts:profile"), "/meetings/", "/admin/"):
        response = en_client.get(url)
        assert (url, response.status_code, response["Location"]) == (url, 302, SETUP_URL)
    assert en_client.get(SETUP_URL).status_code == 200


def test_staff_without_a_device_is_sent_to_setup_from_the_admin(en_client, superuser, enforced):
    en_client.force_login(superuser)

    response = en_client.get("/admin/")

    assert (response.status_code, response["Location"]) == (302, SETUP_URL)


def test_staff_with_a_device_must_give_the_code_for_the_admin(en_client, superuser, clock):
    device, _ = give_two_factor(superuser)
    log_in(en_client, "admin")

    refused = en_client.get("/admin/")
    en_client.post(VERIFY_URL, {"code": code_of(device)})
    allowed = en_client.get("/admin/")

    assert (refused.status_code, refused["Location"]) == (302, verify_at("/admin/"))
    assert allowed.status_code == 200


def test_setting_up_ends_the_requirement(en_client, manager, enforced, clock):
    log_in(en_client, "departementet")
    en_client.get(SETUP_URL)

    en_client.post(SETUP_URL, {"code": code_of(TOTPDevice.objects.get(user=manager))})

    assert en_client.get(reverse("home")).status_code == 200


def test_while_required_logout_language_and_static_files_stay_open(en_client, manager, enforced):
    log_in(en_client, "departementet")

    language = en_client.post(reverse("set_language"), {"language": "nb", "next": SETUP_URL})
    static = en_client.get(settings.STATIC_URL + "css/portal.css")
    logout = en_client.post(reverse("logout"))

    assert (language.status_code, language["Location"]) == (302, SETUP_URL)
    assert static.status_code == 404  # not redirected: WhiteNoise serves it in production
    assert (logout.status_code, logout["Location"]) == (302, reverse("login"))
    assert en_client.get(reverse("home"))["Location"] == f"{reverse('login')}?next=/"


def test_other_roles_are_not_required(en_client, contact_oslo, coordinator, partner, enforced):
    for user in (contact_oslo, coordinator, partner):
        en_client.force_login(user)
        assert en_client.get(reverse("home")).status_code == 200


def test_not_enforced_means_offered_but_not_required(en_client, manager, settings):
    settings.TWO_FACTOR_ENFORCE = False
    settings.TWO_FACTOR_REQUIRED_ROLES = ["programme_management", "staff"]

    log_in(en_client, "departementet")

    assert en_client.get(reverse("home")).status_code == 200


def test_not_enforced_still_asks_whoever_has_set_it_up(en_client, manager, settings):
    settings.TWO_FACTOR_ENFORCE = False
    give_two_factor(manager)

    log_in(en_client, "departementet")

    assert en_client.get(reverse("home"))["Location"] == verify_at("/")


def test_enforce_defaults_to_off_while_debug_is_on():
    # portal/settings.py: TWO_FACTOR_ENFORCE = env.bool("TWO_FACTOR_ENFORCE", default=not DEBUG)
    from portal import settings as portal_settings

    assert portal_settings.TWO_FACTOR_ENFORCE is (not portal_settings.DEBUG)
    assert portal_settings.TWO_FACTOR_REQUIRED_ROLES == ["programme_management", "staff"]


# Who may open the pages


@pytest.mark.parametrize(
    "name", ["two_factor_setup", "two_factor_verify", "two_factor_recovery_codes", "two_factor_remove"]
)
def test_anonymous_is_sent_to_login(client, name):
    url = reverse(f"accounts:{name}")

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={quote(url)}")


def test_a_code_for_a_key_never_shown_is_refused_and_nothing_is_made(en_client, contact_oslo):
    en_client.force_login(contact_oslo)

    response = en_client.post(SETUP_URL, {"code": "123456"})

    assert (response.status_code, response["Location"]) == (302, SETUP_URL)
    assert TOTPDevice.objects.filter(user=contact_oslo).exists() is False


def test_reset_by_the_management_removes_it_and_logs_who(en_client, contact_oslo, manager):
    give_two_factor(contact_oslo)
    log_in(en_client, "kontakt-oslo")

    assert two_factor.reset(contact_oslo, by=manager) is True

    event = SecurityEvent.objects.filter(kind=Kind.TWO_FACTOR_REMOVED).get()
    assert (event.user, event.detail) == (contact_oslo, {"by": "departementet"})
    assert two_factor.has_two_factor(contact_oslo) is False
    assert en_client.get(VERIFY_URL)["Location"] == reverse("home")  # the waiting session goes on
    assert two_factor.reset(contact_oslo, by=manager) is False


def test_the_admins_own_login_asks_for_the_code_too(en_client, superuser, clock):
    device, _ = give_two_factor(superuser)

    login = log_in(en_client, "admin", url="/admin/login/?next=/admin/")
    refused = en_client.get("/admin/")
    en_client.post(VERIFY_URL, {"code": code_of(device), "next": "/admin/"})

    assert (login.status_code, login["Location"]) == (302, "/admin/")
    assert (refused.status_code, refused["Location"]) == (302, verify_at("/admin/"))
    assert en_client.get("/admin/").status_code == 200
