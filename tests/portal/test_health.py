"""/healthz/: what a load balancer and the benchmark's floor ask, with no login."""

import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_the_health_check_answers_with_one_query_and_no_session(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz/$"])
def test_a_load_balancer_may_ask_over_plain_http(client):
    assert client.get("/healthz/").status_code == 200
    assert client.get("/").status_code == 301  # every other page goes to HTTPS
