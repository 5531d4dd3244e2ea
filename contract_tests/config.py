"""The schemathesis configuration of a contract run, built from the target."""

from __future__ import annotations

from typing import Any

from schemathesis.config import SchemathesisConfig

from .endpoints import LIST
from .target import Target

# Every check that applies to the five operations. The stateful ones look at a
# scenario's earlier steps (a source answered 404 right after its create, or still
# answering after its delete); max_response_time is a speed budget, not a contract,
# and stays off.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "ignored_auth",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
)

# Checks that cannot hold against Statsig itself, with the reason; the summary lists them.
REAL_MODE_DISABLED_CHECKS: dict[str, str] = {
    "unsupported_method": (
        "its probes send methods the spec does not declare (a DELETE of the collection, "
        "a PUT of a source) to Statsig, which only the list and dry runs may reach"
    ),
    "allow_header_conformance": (
        "follows from unsupported_method: Statsig's Allow header names methods this spec omits"
    ),
    "ignored_auth": (
        "its probes go out on a session of their own (schemathesis drops the suite's "
        "session to strip credentials), so they would be neither paced nor counted; "
        "test_behaviours.py sends the missing-key and wrong-key requests itself"
    ),
    "positive_data_acceptance": (
        "Statsig checks the SQL and column names against the project's warehouse, "
        "so random strings that fit the schema are rightly rejected"
    ),
}

# Real mode sends no delete at all (there is no dry run for one).
REAL_MODE_EXCLUDED_OPERATIONS = ("deleteAssignmentSource",)

DEFAULT_SEED = 20240601
# Per operation and phase: five operations share the default run's time budget.
DEFAULT_MAX_EXAMPLES = 50
REAL_MODE_MAX_EXAMPLES = 25
# Stateful scenarios (create, then the linked update, patch and delete, the list
# between), and the steps each may take.
DEFAULT_STATEFUL_SCENARIOS = 25
STATEFUL_MAX_STEPS = 8


# The spec gives `limit` and `page` no range, because Statsig documents none; how a
# server answers a page size of -3 is therefore open, and a 400 that says which
# parameter is wrong keeps the contract. (schemathesis's own default, plus 400.)
LIST_ACCEPTED_STATUSES = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]


def disabled_checks(target: Target) -> dict[str, str]:
    return dict(REAL_MODE_DISABLED_CHECKS) if target.real else {}


def build_config(
    target: Target, base_url: str, *, seed: int, max_examples: int
) -> SchemathesisConfig:
    switched_off = disabled_checks(target)
    data: dict[str, Any] = {
        "seed": seed,
        "base-url": base_url,
        "request-timeout": 30,
        "generation": {
            "mode": "all",
            "max-examples": max_examples,
            # No example database: a run depends on the seed alone.
            "database": "none",
        },
        "phases": {
            "examples": {"enabled": True, "fill-missing": True},
            # Against Statsig, no probing with methods the spec does not declare.
            "coverage": {"enabled": True, **({"unexpected-methods": []} if target.real else {})},
            "fuzzing": {"enabled": True},
            # Run by test_stateful.py; it needs sources that persist, so not in Statsig.
            "stateful": {"enabled": not target.real, "max-steps": STATEFUL_MAX_STEPS},
        },
        "checks": {name: {"enabled": name not in switched_off} for name in CHECKS},
        "operations": [
            {
                "include-operation-id": LIST,
                "checks": {
                    "positive_data_acceptance": {
                        "enabled": "positive_data_acceptance" not in switched_off,
                        "expected-statuses": LIST_ACCEPTED_STATUSES,
                    }
                },
            }
        ],
        "auth": {"openapi": {"StatsigApiKey": {"api_key": target.api_key}}},
        "output": {"sanitization": {"enabled": True}},
    }
    return SchemathesisConfig.from_dict(data)
