"""Operations are matched by method and path; the rule table is the registry's."""

from __future__ import annotations

import re
from typing import Any

import pytest

from statsig_console_upstream.compare import Difference
from statsig_console_upstream.normalize import HTTP_METHODS
from statsig_console_upstream.rules import RULES, Change, judge, table
from tests.upstream.helpers import (
    LIFECYCLE,
    PATH,
    ROOT,
    Document,
    differences,
    operations,
    read_json,
)

B = "breaking"
I = "informational"  # noqa: E741 - mirrors B
DOC = ROOT / "docs" / "compare-upstream.md"


def lifecycle() -> Document:
    """A fresh copy of the five-operation fixture in Statsig's published style."""
    return read_json(LIFECYCLE)


def without(document: Document, *labels: str) -> Document:
    """`document` without the operations named `METHOD path`."""
    for label in labels:
        method, path = label.split(" ", 1)
        del document["paths"][path][method.lower()]
        if not document["paths"][path]:
            del document["paths"][path]
    return document


def labels() -> list[str]:
    """`METHOD path` of every operation on assignment sources in the fixture."""
    return [f"{m} {p}" for m, p in operations(lifecycle()) if "assignment_source" in p]


def rows(found: list[Difference]) -> set[tuple[str, str, str, str]]:
    return {(d.operation, d.location, d.kind, d.severity) for d in found}


def test_the_fixture_has_the_five_operations_on_two_paths() -> None:
    found = labels()
    assert len(found) == 5
    assert len({label.split(" ", 1)[1] for label in found}) == 2
    assert f"POST {PATH}" in found


def test_the_same_document_has_no_differences() -> None:
    assert differences(lifecycle(), lifecycle()) == []


@pytest.mark.parametrize("missing", labels())
def test_an_operation_statsig_has_and_we_lack_is_informational(missing: str) -> None:
    found = differences(lifecycle(), without(lifecycle(), missing))
    assert rows(found) == {(missing, "operation", "operation added", I)}


@pytest.mark.parametrize("missing", labels())
def test_an_operation_we_have_and_statsig_lacks_is_breaking(missing: str) -> None:
    # Our client would call it and get 404 or 405.
    (found,) = differences(without(lifecycle(), missing), lifecycle())
    assert (found.operation, found.kind, found.severity) == (missing, "operation removed", B)
    # Each fixture path keeps other methods: the row says which, as a hint.
    method, path = missing.split(" ", 1)
    others = sorted(m for m, p in operations(lifecycle()) if p == path and m != method)
    assert (found.ours, found.upstream) == ("documented", f"path has {', '.join(others)}")


def test_a_two_operation_spec_against_a_five_operation_upstream() -> None:
    # Ours: create and list (the collection path); Statsig: all five.
    rest = [label for label in labels() if not label.endswith(f" {PATH}")]
    assert len(rest) == 3
    ours = without(lifecycle(), *rest)
    found = differences(lifecycle(), ours)
    assert rows(found) == {(label, "operation", "operation added", I) for label in rest}
    assert not any(d.breaking for d in found)
    # Operations on other resources (the fixture's gates) are none of our business.
    assert all("assignment_source" in d.operation for d in found)


def test_a_difference_names_its_operation() -> None:
    upstream = lifecycle()
    patch = next(op for (m, _), op in operations(upstream).items() if m == "PATCH")
    patch["responses"]["200"]["content"]["application/json"]["schema"] = {"type": "string"}
    (found,) = differences(upstream, lifecycle())
    assert found.operation.startswith("PATCH ")
    assert (found.location, found.kind, found.severity) == ("response 200", "type changed", B)


def test_operations_match_with_the_prefix_in_servers_and_other_path_parameter_names() -> None:
    upstream = lifecycle()
    prefix = "/" + "/".join(PATH.split("/")[1:3])  # the API's base path, from our spec
    upstream["servers"] = [{"url": f"https://statsigapi.net{prefix}"}]
    renamed: dict[str, object] = {}
    for path, item in upstream["paths"].items():
        assert path.startswith(prefix)
        renamed[path.removeprefix(prefix).replace("{name}", "{source}")] = item
    upstream["paths"] = renamed
    upstream["components"]["parameters"]["Name"]["name"] = "source"
    assert differences(upstream, lifecycle()) == []


PREFIX = "/" + "/".join(PATH.split("/")[1:3])  # the API's base path, from our spec
# A server whose path is not the API's: an operation found only under it is not ours.
MIRROR = "https://mirror.example/statsig"


def moved_to_servers(document: Document, *urls: str) -> dict[str, Any]:
    """`document` with the base path taken out of its paths (to be given by `urls`, its
    new servers); returns the paths."""
    document["servers"] = [{"url": url} for url in urls]
    document["paths"] = {p.removeprefix(PREFIX): item for p, item in document["paths"].items()}
    paths: dict[str, Any] = document["paths"]
    return paths


def test_servers_of_a_path_and_of_an_operation_override_the_documents() -> None:
    upstream = lifecycle()
    paths = moved_to_servers(upstream, MIRROR)
    for item in paths.values():
        item["servers"] = [{"url": f"https://statsigapi.net{PREFIX}"}]
    # An operation's own servers override its path's.
    item = paths[PATH.removeprefix(PREFIX)]
    item["servers"] = [{"url": MIRROR}]
    for method in item.keys() & set(HTTP_METHODS):
        item[method]["servers"] = [{"url": f"https://statsigapi.net{PREFIX}/"}]
    assert differences(upstream, lifecycle()) == []


@pytest.mark.parametrize(
    "moved",
    [
        pytest.param({"upstream"}, id="Statsig's"),
        pytest.param({"ours"}, id="ours"),
        pytest.param({"ours", "upstream"}, id="both"),
    ],
)
def test_operations_match_under_any_of_several_servers(moved: set[str]) -> None:
    documents = {"ours": lifecycle(), "upstream": lifecycle()}
    for name in moved:
        moved_to_servers(documents[name], MIRROR, f"https://statsigapi.net{PREFIX}")
    assert differences(documents["upstream"], documents["ours"]) == []


def test_a_trailing_slash_does_not_change_the_path() -> None:
    upstream = lifecycle()
    upstream["paths"] = {f"{path}/": item for path, item in upstream["paths"].items()}
    assert differences(upstream, lifecycle()) == []


def test_the_lifecycle_patch_body_keeps_sql_read_only() -> None:
    # Sending sql in a patch would be ignored: the request side does not see the field.
    upstream = lifecycle()
    patch_body = upstream["components"]["schemas"]["PartialUpdateAssignmentSourceDto"]
    ours = lifecycle()
    del ours["components"]["schemas"]["PartialUpdateAssignmentSourceDto"]["properties"]["sql"]
    assert differences(upstream, ours) == []
    patch_body["properties"]["sql"]["readOnly"] = False
    assert {(d.location, d.kind, d.severity) for d in differences(upstream, ours)} == {
        ("request body sql", "field added", I)
    }


def test_list_counts_typed_number_accept_our_integers_only_one_way() -> None:
    # Statsig types the page counts as JSON numbers: a spec typing them integer would
    # reject a 1.5 Statsig may send, so that is breaking on the response side.
    ours = lifecycle()
    ours["components"]["schemas"]["PaginationDto"]["properties"]["itemsPerPage"] = {
        "type": "integer"
    }
    found = differences(lifecycle(), ours)
    assert {(d.location, d.kind, d.severity) for d in found} == {
        ("response 200 pagination.itemsPerPage", "type changed", B)
    }


# --- the rule registry ---------------------------------------------------------------


def test_every_rule_has_a_summary_and_a_verdict() -> None:
    for (kind, side), (summary, _) in RULES.items():
        assert summary, (kind, side)
        assert side in {"operation", "request", "response"}


def test_a_change_without_a_rule_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        judge(Change("no such change", "request"))


def test_the_rule_table_has_one_row_per_rule() -> None:
    lines = table().splitlines()
    assert len(lines) == 2 + len(RULES)
    assert "| field added | response | **breaking** if our schema forbids" in table()


def test_the_documented_rule_table_is_the_registry() -> None:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", text, re.DOTALL)
    assert match, f"{DOC} has no <!-- rules:start --> ... <!-- rules:end --> block"
    assert match.group(1) == table(), (
        f"{DOC.name} is stale: replace the table between the rules markers with the "
        "output of `scripts/compare-upstream --rules`"
    )
