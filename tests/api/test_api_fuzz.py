"""Schemathesis against the served OpenAPI document (bounded): no 5xx, and every response matches
its documented status and schema, for a PK's and a TU's token."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.mark.parametrize("who", ["pk1", "tu"])
def test_the_api_holds_against_its_own_description(app, issue, who):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {issue(who)}"}
    failures = []

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as error:
            failures.append(f"{case.method} {case.formatted_path}: {error}")

    for operation in schema.get_all_operations():
        given(operation.ok().as_strategy())(run)()
    assert not failures, "\n".join(failures[:5])
