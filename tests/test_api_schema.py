"""schemathesis against /api/v1/schema/: every operation, as each role.

Generated requests (valid and invalid) must never cause a server error, and every response must
match the schema the API publishes: a status code it documents (errors included, see
wulian/core/api/schema.py), its content type and its body. Runs in-process over WSGI on the
test database, so it runs on SQLite and on PostgreSQL alike (CI runs both).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, reject, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Every answer is one the schema documents: its status code, its content type and its body.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = ["leader", "chief_xcl", "econ", "dispatcher", "county_ly", "ent_demo", "admin"]
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
# Generated examples and fuzzing only: the coverage phase enumerates every boundary of every
# filter parameter, which multiplies the run time without finding different failures here.
schema.config.phases.coverage.enabled = False


@pytest.fixture(autouse=True)
def _keep_test_connection():
    # Django closes "old" connections when a request finishes. Its own test client switches
    # that off so the test's transaction survives; schemathesis calls the WSGI app directly,
    # so do the same here (on PostgreSQL the next query would otherwise find it closed).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(users):
    from rest_framework.authtoken.models import Token

    return {name: Token.objects.get_or_create(user=users[name])[0].key for name in ROLES}


@schema.parametrize()
# Randomized within a fixed budget: every run tries new requests (3 per operation and role), so
# over many runs the fuzzing reaches far more than one fixed set; no example database is kept,
# and a failure prints the request that reproduces it (`curl`).
@settings(
    max_examples=3,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_and_never_errors(case, tokens):
    form = (case.media_type or "").startswith(("multipart/", "application/x-www-form"))
    if form and not isinstance(case.body, dict):
        # A form body that is not a set of fields cannot even be encoded by the test client.
        reject()
    for key in tokens.values():
        case.call_and_validate(
            headers={"Authorization": f"Token {key}"},
            checks=CHECKS,
        )
