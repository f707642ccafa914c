"""The schema: generated without a warning, valid OpenAPI 3, and what the live server answers matches it
(schemathesis, GET only, a few examples an operation, with a deadline)."""

import datetime

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.api.conftest import bearer, token_for

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES = 5  # an operation; the real objects' ids are tried besides


def test_schema_is_generated_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert "/api/v1/programmes/{programme_pk}/documents/{id}/download/:" in (tmp_path / "schema.yaml").read_text()


def load_schema(live_server, secret):
    return schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/schema/?format=json", headers={"Authorization": f"Bearer {secret}"}, timeout=30
    )


def real_ids(world):
    """Path parameters of objects that exist (random ids find nothing)."""
    bergen = world["bergen"]
    return {
        "/api/v1/cities/{id}/": {"id": bergen.city_id},
        "/api/v1/themes/{id}/": {"id": world["review"].theme_area_id},
        "/api/v1/rounds/{id}/": {"id": bergen.round_id},
        "/api/v1/programmes/{id}/": {"id": bergen.pk},
        "/api/v1/programmes/{programme_pk}/documents/": {"programme_pk": bergen.pk},
        "/api/v1/programmes/{programme_pk}/documents/{id}/": {
            "programme_pk": bergen.pk,
            "id": world["bergen_first"].pk,
        },
        "/api/v1/programmes/{programme_pk}/documents/{id}/download/": {
            "programme_pk": bergen.pk,
            "id": bergen.submitted_draft_id,
        },
        "/api/v1/measures/{id}/": {"id": world["bergen_measure"].pk},
        "/api/v1/reviews/{id}/": {"id": world["review"].pk},
        "/api/v1/agreements/{id}/": {"id": world["agreement"].pk},
        "/api/v1/meetings/{id}/": {"id": world["meeting"].pk},
        "/api/v1/minutes/{id}/": {"id": world["minutes"].pk},
        "/api/v1/instruments/{id}/": {"id": world["instrument"].pk},
    }


def run(operation, base_url, headers, path_parameters=None, examples=EXAMPLES):
    """Calls `operation` with generated cases and validates each response; returns the status codes seen."""
    seen = []

    @given(case=operation.as_strategy(path_parameters=path_parameters))
    @hypothesis_settings(
        max_examples=examples,
        deadline=datetime.timedelta(seconds=10),
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call(base_url=base_url, headers=headers)
        seen.append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()
    return seen


def test_responses_match_the_schema(live_server, world, manager, settings):
    settings.API_RATE = "100000/hour"
    secret = token_for(manager)
    schema = load_schema(live_server, secret)
    headers = {"Authorization": f"Bearer {secret}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    ids = real_ids(world)
    ok = {}

    for operation in operations:
        assert operation.method.upper() == "GET", operation.label
        run(operation, live_server.url, headers)
        if operation.path in ids:
            ok[operation.path] = run(operation, live_server.url, headers, ids[operation.path], examples=2)
        else:
            ok[operation.path] = run(operation, live_server.url, headers, examples=2)

    # Every operation was seen answering with what the schema describes (not only with refusals).
    assert {path: 200 in statuses for path, statuses in ok.items()} == dict.fromkeys(ok, True)
    assert len(operations) == 23


def test_a_response_that_does_not_match_fails(live_server, world, manager, settings, monkeypatch):
    """The check is no formality: a list whose rows lack a field the schema requires fails it."""
    settings.API_RATE = "100000/hour"
    secret = token_for(manager)
    schema = load_schema(live_server, secret)
    from api.serializers import CitySerializer

    monkeypatch.setattr(CitySerializer.Meta, "fields", ["id", "name"])  # the live server runs in this process
    operation = schema["/api/v1/cities/"]["GET"]

    with pytest.raises((FailureGroup, AssertionError)):
        run(operation, live_server.url, {"Authorization": f"Bearer {secret}"}, examples=2)


def test_schema_needs_a_login(client):
    response = client.get("/api/v1/schema/")

    assert (response.status_code, response["WWW-Authenticate"]) == (401, 'Bearer realm="api"')


def test_schema_for_a_token(client, manager):
    response = client.get("/api/v1/schema/?format=json", **bearer(token_for(manager, "reviews")))

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Cities of the Future API"
