"""The schemathesis configuration of a contract run, built from the target."""

from __future__ import annotations

from typing import Any

from schemathesis.config import SchemathesisConfig

from .target import Target

# Every check that applies to a single POST. schemathesis also runs its stateful
# checks (use_after_free, ensure_resource_availability, object_level_authorization),
# which find nothing with one operation; max_response_time is a speed budget, not a
# contract, and stays off.
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
)

# Checks that cannot hold against Statsig itself, with the reason; the summary lists them.
REAL_MODE_DISABLED_CHECKS: dict[str, str] = {
    "unsupported_method": (
        "only dry-run creates are sent to Statsig; it also serves other methods on this "
        "path (GET lists assignment sources), which this spec does not describe"
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

# The one operation the suite exercises: the mock serves only the create so far, and
# fuzzing list, update, patch and delete against it would only report its 404s.
# test_contract.py applies it as the suite's single operation filter; lifting the
# filter is a change of its own, once the mock serves the whole lifecycle.
CONTRACT_OPERATION = "createAssignmentSource"

DEFAULT_SEED = 20240601
DEFAULT_MAX_EXAMPLES = 400
REAL_MODE_MAX_EXAMPLES = 25


# Checks that cannot hold against the mock while it serves only CONTRACT_OPERATION;
# this goes away with the filter.
MOCK_MODE_DISABLED_CHECKS: dict[str, str] = {
    "allow_header_conformance": (
        "the mock serves only createAssignmentSource, so its 405 answers allow POST "
        "where the spec also documents GET (listAssignmentSources) on the same path"
    ),
}


def disabled_checks(target: Target) -> dict[str, str]:
    return dict(REAL_MODE_DISABLED_CHECKS if target.real else MOCK_MODE_DISABLED_CHECKS)


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
            # Against Statsig, only the create is sent: no probing with other methods.
            "coverage": {"enabled": True, **({"unexpected-methods": []} if target.real else {})},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "checks": {name: {"enabled": name not in switched_off} for name in CHECKS},
        "auth": {"openapi": {"StatsigApiKey": {"api_key": target.api_key}}},
        "output": {"sanitization": {"enabled": True}},
    }
    return SchemathesisConfig.from_dict(data)
