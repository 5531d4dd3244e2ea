"""The command line: output, JSON, exit statuses."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from statsig_console_upstream.__main__ import main
from statsig_console_upstream.load import http_fetcher
from tests.upstream.helpers import (
    CREATE,
    LIFECYCLE,
    OUR_SPEC,
    PATH,
    ROOT,
    STATSIG_3_0,
    our_document,
    statsig_document,
)

CREATE_LABEL = f"{CREATE.method} {PATH}"


def write_json(tmp_path: Path, document: dict[str, object], name: str = "statsig.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def ours(tmp_path: Path) -> list[str]:
    """`--ours` with our create operation alone, to compare with the create-only fixture."""
    return ["--ours", write_json(tmp_path, our_document(), "ours.json")]


def run(capsys: pytest.CaptureFixture[str], args: list[str], status: int) -> str:
    """What `main` prints for `args`, once it has exited with `status`."""
    assert main(args) == status
    return capsys.readouterr().out


def report(
    capsys: pytest.CaptureFixture[str], args: list[str], *, breaking: int, informational: int
) -> dict[str, Any]:
    """The JSON report `main` prints for `args` (and --json), once its exit status and its
    summary have been checked against the numbers of differences expected."""
    printed: dict[str, Any] = json.loads(run(capsys, [*args, "--json"], 1 if breaking else 0))
    assert printed["summary"] == {"breaking": breaking, "informational": informational}
    return printed


def breaking_and_informational(tmp_path: Path) -> str:
    document = statsig_document()
    dto = document["components"]["schemas"]["AssignmentSourceDto"]
    dto["properties"]["name"]["nullable"] = True
    dto["properties"]["createdTime"] = {"type": "integer"}
    return write_json(tmp_path, document)


def test_our_spec_compared_with_itself_has_no_differences(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The default "ours" is the packaged copy; the workspace's YAML is the same spec.
    out = run(capsys, [str(OUR_SPEC)], 0)
    assert "No differences" in out
    assert "ours:    statsig_console/openapi.json (OpenAPI 3.1.0)" in out


def test_the_equivalent_3_0_document_differs_only_by_the_list_operation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The fixture also lists a bare GET on the same path (and an unrelated one on gates).
    printed = report(capsys, [str(STATSIG_3_0), *ours(tmp_path)], breaking=0, informational=1)
    (listed,) = printed["informational"]
    assert (listed["operation"], listed["kind"]) == (f"GET {PATH}", "operation added")
    assert printed["upstream"]["openapi"] == "3.0.3"


def test_statsig_style_lifecycle_document_has_nothing_breaking(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Against our spec as packaged, whichever of the five operations it describes.
    assert main([str(LIFECYCLE)]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "BREAKING" not in out


def test_the_table_groups_breaking_before_informational(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, [breaking_and_informational(tmp_path), *ours(tmp_path)], 1)
    breaking_at, informational_at = out.index("BREAKING (1)"), out.index("INFORMATIONAL (1)")
    assert breaking_at < out.index("response 201 data.name") < informational_at
    assert informational_at < out.index("response 201 data.createdTime")
    assert "string | null" in out
    assert "1 breaking, 1 informational" in out


def test_json_output_has_the_same_differences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    statsig = breaking_and_informational(tmp_path)
    printed = report(capsys, [statsig, *ours(tmp_path)], breaking=1, informational=1)
    (breaking,) = printed["breaking"]
    assert breaking == {
        "operation": CREATE_LABEL,
        "location": "response 201 data.name",
        "kind": "made nullable",
        "severity": "breaking",
        "ours": "string",
        "upstream": "string | null",
        "reason": breaking["reason"],
    }
    assert [d["location"] for d in printed["informational"]] == ["response 201 data.createdTime"]


def test_only_informational_differences_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = statsig_document()
    document["components"]["schemas"]["AssignmentSourceDto"]["properties"]["x"] = {}
    out = run(capsys, [write_json(tmp_path, document), *ours(tmp_path)], 0)
    assert "INFORMATIONAL (1)" in out
    # Every row names its operation.
    assert f"  {CREATE_LABEL}  response 201 data.x" in out


def test_descriptions_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    statsig = write_json(tmp_path, statsig_document())
    printed = json.loads(run(capsys, [statsig, "--descriptions", "--json", *ours(tmp_path)], 0))
    kinds = {d["kind"] for d in printed["informational"]}
    assert kinds == {"description changed"}


def test_load_errors_exit_2_with_the_reason_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = statsig_document()
    del document["paths"][PATH]
    assert main([write_json(tmp_path, document), *ours(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("compare-upstream: ")
    assert f"does not describe {CREATE_LABEL}" in captured.err


def test_a_bad_ours_path_is_a_load_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(STATSIG_3_0), "--ours", "/nonexistent/spec.yaml"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 2
    assert "SOURCE" in capsys.readouterr().err.upper()


def test_a_url_source_goes_through_the_fetcher(capsys: pytest.CaptureFixture[str]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=LIFECYCLE.read_bytes())

    fetch = http_fetcher(transport=httpx.MockTransport(handler))
    assert main(["https://api.statsig.example/openapi.json"], fetcher=fetch) == 0
    assert "Statsig: https://api.statsig.example/openapi.json" in capsys.readouterr().out


def _program(*command: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=timeout
    )


def test_the_module_runs_as_a_program_with_its_exit_status(tmp_path: Path) -> None:
    result = _program(
        sys.executable,
        "-m",
        "statsig_console_upstream",
        breaking_and_informational(tmp_path),
        *ours(tmp_path),
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "BREAKING (1)" in result.stdout


def test_the_wrapper_script_runs_the_module() -> None:
    # The script bootstraps .venv first, which may take a while on a cold machine.
    result = _program(
        "bash", str(ROOT / "scripts" / "compare-upstream"), str(LIFECYCLE), timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "Comparing our operations" in result.stdout


def _deeply_nested(document: dict[str, Any]) -> None:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(400):
        node = {"type": "object", "properties": {"a": node}}
    document["components"]["schemas"]["AssignmentSourceDto"]["properties"]["deep"] = node


def _long_ref_chain(document: dict[str, Any]) -> None:
    found = document["components"]["schemas"]
    for index in range(400):
        found[f"Chain{index}"] = {"$ref": f"#/components/schemas/Chain{index + 1}"}
    found["Chain400"] = {"type": "string"}
    found["AssignmentSourceDto"]["properties"]["chain"] = {"$ref": "#/components/schemas/Chain0"}


def _operation(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][PATH][CREATE.method.lower()]
    return found


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


MALFORMED: list[Any] = [
    pytest.param(lambda d: _operation(d).update(responses=[1, 2]), id="responses list"),
    pytest.param(
        lambda d: _operation(d)["requestBody"].update(content=["application/json"]),
        id="content list",
    ),
    pytest.param(lambda d: _operation(d).update(parameters=5), id="parameters number"),
    pytest.param(
        lambda d: _operation(d)["parameters"][0].update(schema=None, content=["text/plain"]),
        id="parameter content list",
    ),
    pytest.param(lambda d: _schemas(d)["AssignmentSourceDto"].update(allOf=5), id="allOf number"),
    pytest.param(lambda d: _schemas(d)["AssignmentSourceDto"].update(type=5), id="type number"),
    pytest.param(
        lambda d: d["components"].update(securitySchemes=[{"type": "apiKey"}]),
        id="securitySchemes list",
    ),
    pytest.param(
        lambda d: _schemas(d)["AssignmentSourceDto"]["properties"].update(
            n={"allOf": [{"minimum": 1}, {"minimum": "x"}]}
        ),
        id="mixed bounds",
    ),
    pytest.param(_deeply_nested, id="nested 400 deep"),
    pytest.param(_long_ref_chain, id="400 refs"),
]


@pytest.mark.parametrize("mutate", MALFORMED)
def test_a_malformed_document_exits_2_not_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mutate: Callable[[dict[str, Any]], None]
) -> None:
    document = statsig_document()
    mutate(document)
    assert main([write_json(tmp_path, document), *ours(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("compare-upstream: ")
    assert captured.err.count("\n") == 1
    assert "Traceback" not in captured.err


def test_a_yaml_date_in_an_enum_is_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = statsig_document()
    _schemas(document)["AssignmentSourceDto"]["properties"]["since"] = {
        "enum": [datetime.date(2024, 6, 1), "later"]
    }
    path = tmp_path / "statsig.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    assert "response 201 data.since" in run(capsys, [str(path), *ours(tmp_path)], 0)


def test_boolean_schemas_are_compared_not_unusable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = statsig_document()
    document["openapi"] = "3.1.0"
    properties = _schemas(document)["AssignmentSourceDto"]["properties"]
    properties["tags"]["items"], properties["groupNameColumn"] = True, False
    body = _operation(document)["requestBody"]["content"]["application/json"]["schema"]
    body["properties"]["isReadOnly"] = False
    printed = report(
        capsys, [write_json(tmp_path, document), *ours(tmp_path)], breaking=2, informational=1
    )
    assert {(d["location"], d["upstream"]) for d in printed["breaking"]} == {
        ("request body isReadOnly", "nothing"),
        ("response 201 data.tags[]", "any"),
    }


def test_a_self_referencing_yaml_anchor_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = statsig_document()
    loop: dict[str, Any] = {"type": "object", "properties": {}}
    loop["properties"]["self"] = loop
    _schemas(document)["AssignmentSourceDto"]["properties"]["loop"] = loop
    text = yaml.safe_dump(document)
    assert "*id001" in text  # written as a YAML alias of its own anchor
    path = tmp_path / "statsig.yaml"
    path.write_text(text, encoding="utf-8")
    assert main([str(path), *ours(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("compare-upstream: ")
    assert err.count("\n") == 1
