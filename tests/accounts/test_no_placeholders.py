"""The accounts pages' forms say what each empty choice means (no Django "---------") and need
no Ctrl-click (no multiple select)."""

import re

import pytest
from django.urls import reverse

MULTIPLE_SELECT = re.compile(r"<select[^>]*\bmultiple\b")


@pytest.mark.parametrize(
    "name",
    [
        "accounts:profile",
        "accounts:password_change",
        "accounts:security_log",
        "accounts:two_factor_setup",
        "accounts:password_reset",
    ],
)
def test_no_dashes_and_no_ctrl_click(en_client, manager, name):
    en_client.force_login(manager)

    response = en_client.get(reverse(name))

    html = response.content.decode()
    assert response.status_code == 200
    assert "---------" not in html
    assert not MULTIPLE_SELECT.search(html)


def test_the_security_logs_kind_says_all(en_client, manager):
    en_client.force_login(manager)

    html = en_client.get(reverse("accounts:security_log")).content.decode()

    assert '<option value="" selected>All</option>' in html
