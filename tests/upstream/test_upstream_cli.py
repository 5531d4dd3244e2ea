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

from statsig_console_upstream import __main__ as cli
from statsig_console_upstream.__main__ import main
from statsig_console_upstream.load import http_fetcher
from tests.upstream.helpers import OUR_SPEC, PATH, ROOT, STATSIG_3_0, statsig_document


def write_json(tmp_path: Path, document: dict[str, object]) -> str:
    path = tmp_path / "statsig.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def breaking_and_informational(tmp_path: Path) -> str:
    document = statsig_document()
    dto = document["components"]["schemas"]["AssignmentSourceDto"]
    dto["properties"]["name"]["nullable"] = True
    dto["properties"]["createdTime"] = {"type": "integer"}
    return write_json(tmp_path, document)


def test_our_spec_compared_with_itself_has_no_differences(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([str(OUR_SPEC)]) == 0
    out = capsys.readouterr().out
    assert "No differences" in out
    assert f"POST {PATH}" in out


def test_the_equivalent_3_0_document_has_no_differences(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([str(STATSIG_3_0), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == {"breaking": 0, "informational": 0}
    assert report["upstream"]["openapi"] == "3.0.3"


def test_the_table_groups_breaking_before_informational(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([breaking_and_informational(tmp_path)]) == 1
    out = capsys.readouterr().out
    breaking_at, informational_at = out.index("BREAKING (1)"), out.index("INFORMATIONAL (1)")
    assert breaking_at < out.index("response 201 data.name") < informational_at
    assert informational_at < out.index("response 201 data.createdTime")
    assert "string | null" in out
    assert "1 breaking, 1 informational" in out


def test_json_output_has_the_same_differences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([breaking_and_informational(tmp_path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["endpoint"] == f"POST {PATH}"
    assert report["summary"] == {"breaking": 1, "informational": 1}
    (breaking,) = report["breaking"]
    assert breaking == {
        "location": "response 201 data.name",
        "kind": "made nullable",
        "severity": "breaking",
        "ours": "string",
        "upstream": "string | null",
        "reason": breaking["reason"],
    }
    assert [d["location"] for d in report["informational"]] == ["response 201 data.createdTime"]


def test_only_informational_differences_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = statsig_document()
    document["components"]["schemas"]["AssignmentSourceDto"]["properties"]["x"] = {}
    assert main([write_json(tmp_path, document)]) == 0
    assert "INFORMATIONAL (1)" in capsys.readouterr().out


def test_descriptions_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(STATSIG_3_0), "--descriptions", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    kinds = {d["kind"] for d in report["informational"]}
    assert kinds == {"description changed"}


def test_load_errors_exit_2_with_the_reason_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = statsig_document()
    del document["paths"][PATH]
    assert main([write_json(tmp_path, document)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("compare-upstream: ")
    assert f"does not describe POST {PATH}" in captured.err


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
        return httpx.Response(200, content=STATSIG_3_0.read_bytes())

    fetch = http_fetcher(transport=httpx.MockTransport(handler))
    assert main(["https://api.statsig.example/openapi.json"], fetcher=fetch) == 0
    assert "Statsig: https://api.statsig.example/openapi.json" in capsys.readouterr().out


def test_the_module_runs_as_a_program_with_its_exit_status(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "statsig_console_upstream", breaking_and_informational(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "BREAKING (1)" in result.stdout


def test_the_wrapper_script_runs_the_module() -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "compare-upstream"), str(STATSIG_3_0)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "No differences" in result.stdout


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
    found: dict[str, Any] = document["paths"][PATH]["post"]
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
    assert main([write_json(tmp_path, document)]) == 2
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
    assert main([str(path)]) == 0
    assert "response 201 data.since" in capsys.readouterr().out


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
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("compare-upstream: ")
    assert err.count("\n") == 1


def test_without_a_workspace_our_spec_is_looked_for_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As installed outside the workspace: the package's parents hold no spec.
    monkeypatch.setattr(cli, "OUR_SPEC", tmp_path / "site-packages" / "spec.yaml")
    monkeypatch.chdir(tmp_path)
    assert main([str(STATSIG_3_0)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("compare-upstream: cannot find our spec")
    assert "--ours" in captured.err

    (tmp_path / "openapi").mkdir()
    (tmp_path / "openapi" / "statsig-console-api.yaml").write_bytes(OUR_SPEC.read_bytes())
    assert main([str(STATSIG_3_0)]) == 0
    spec = Path.cwd() / "openapi" / "statsig-console-api.yaml"
    assert f"ours:    {spec} " in capsys.readouterr().out
