"""Reading documents: files and URLs, JSON and YAML, and clear errors."""

from __future__ import annotations

import http.server
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from statsig_console_upstream.compare import NoCommonOperationError
from statsig_console_upstream.load import LoadError, http_fetcher, load_document
from tests.loopback import loopback_http
from tests.upstream.helpers import CREATE, PATH, STATSIG_3_0, differences, post, statsig_document


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_and_yaml_give_the_same_document(tmp_path: Path) -> None:
    document = statsig_document()
    as_json = write(tmp_path, "statsig.json", json.dumps(document))
    # The YAML copy has a .json-free name and unquoted status codes, as people write it.
    as_yaml = write(tmp_path, "statsig.yaml", yaml.safe_dump(document, sort_keys=False))
    yaml_document = load_document(as_yaml).document
    assert yaml_document == load_document(as_json).document
    assert differences(yaml_document) == []


def test_yaml_with_integer_status_codes_is_read(tmp_path: Path) -> None:
    document = statsig_document()
    post(document)["responses"] = {int(k): v for k, v in post(document)["responses"].items()}
    text = yaml.safe_dump(document)
    assert "\n        201:" in text  # an integer key, not the string '201'
    assert differences(load_document(write(tmp_path, "int.yaml", text)).document) == []


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        pytest.param(
            "bad.json", '{"openapi": "3.0.3", "paths": {', "malformed JSON at line 1", id="json"
        ),
        pytest.param(
            "bad.yaml", "openapi: 3.0.3\npaths: [unclosed\n", "malformed YAML at line", id="yaml"
        ),
        pytest.param("empty.json", "  \n", "the document is empty", id="empty"),
        pytest.param("list.yaml", "- openapi\n", "top level is a list", id="list"),
        pytest.param(
            "swagger.json", '{"swagger": "2.0", "paths": {}}', "Swagger 2.0", id="swagger"
        ),
        pytest.param("other.yaml", "openapi: 4.0.0\npaths: {}\n", "not an OpenAPI 3", id="version"),
        pytest.param("nopaths.yaml", "openapi: 3.1.0\n", "no `paths`", id="no paths"),
    ],
)
def test_malformed_documents_give_clear_errors(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    source = write(tmp_path, name, text)
    with pytest.raises(LoadError, match=message) as caught:
        load_document(source)
    assert str(caught.value).startswith(source)


def test_a_3_1_document_with_boolean_schemas_is_read_and_compared(tmp_path: Path) -> None:
    document = statsig_document()
    document["openapi"] = "3.1.0"
    found = document["components"]["schemas"]
    found["Anything"], found["Nothing"] = True, False
    found["AssignmentSourceDto"]["properties"].update(
        extra={"$ref": "#/components/schemas/Anything"},
        never={"$ref": "#/components/schemas/Nothing"},
        list={"type": "array", "items": True},
    )
    found["OwnerDto"]["additionalProperties"] = False
    text = yaml.safe_dump(document)
    assert "items: true" in text
    loaded = load_document(write(tmp_path, "statsig-3.1.yaml", text))
    assert {(d.location, d.upstream) for d in differences(loaded.document)} == {
        ("response 201 data.extra", "any"),
        ("response 201 data.never", "nothing"),
        ("response 201 data.list", "array of any"),
        ("request body owner.*", "forbidden"),
        ("response 201 data.owner.*", "forbidden"),
    }


def test_an_unquoted_yaml_version_number_is_accepted(tmp_path: Path) -> None:
    document = statsig_document()
    text = yaml.safe_dump(document).replace("openapi: 3.0.3", "openapi: 3.0")
    loaded = load_document(write(tmp_path, "unquoted.yaml", text))
    assert loaded.openapi_version == "3.0"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file"):
        load_document(str(tmp_path / "absent.json"))
    with pytest.raises(LoadError, match="is a directory"):
        load_document(str(tmp_path))


def test_a_document_without_any_of_our_operations_names_related_paths() -> None:
    document = statsig_document()
    item = document["paths"].pop(PATH)
    document["paths"][PATH + "/{id}"] = item
    with pytest.raises(NoCommonOperationError) as caught:
        differences(document)
    message = str(caught.value)
    assert f"does not describe {CREATE.method} {PATH}" in message
    assert f"related: {PATH}/{{id}}" in message


# --- URLs ---------------------------------------------------------------------------


def test_https_url_is_downloaded_with_httpx() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, content=STATSIG_3_0.read_bytes())

    fetch = http_fetcher(transport=httpx.MockTransport(handler))
    loaded = load_document("https://api.statsig.example/openapi/20240601.json", fetch)
    assert loaded.openapi_version == "3.0.3"
    assert [str(r.url) for r in requests] == ["https://api.statsig.example/openapi/20240601.json"]


def test_a_redirect_to_plain_http_is_refused() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        if request.url.scheme == "https":
            return httpx.Response(302, headers={"Location": "http://mirror.example/doc.json"})
        return httpx.Response(200, content=STATSIG_3_0.read_bytes())

    fetch = http_fetcher(transport=httpx.MockTransport(handler))
    with pytest.raises(LoadError, match="only https"):
        load_document("https://api.statsig.example/doc.json", fetch)
    assert sent == ["https://api.statsig.example/doc.json"]


def test_every_redirect_hop_is_checked() -> None:
    # https -> plain http (a cloud metadata address) -> https: the middle hop is refused.
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        if request.url.host == "api.statsig.example":
            location = "http://169.254.169.254/latest/meta-data/"
            return httpx.Response(302, headers={"Location": location})
        if request.url.host == "169.254.169.254":
            return httpx.Response(302, headers={"Location": "https://mirror.example/doc.json"})
        return httpx.Response(200, content=STATSIG_3_0.read_bytes())

    fetch = http_fetcher(transport=httpx.MockTransport(handler))
    with pytest.raises(LoadError, match=r"169\.254\.169\.254/latest/meta-data/: only https"):
        load_document("https://api.statsig.example/doc.json", fetch)
    assert sent == ["https://api.statsig.example/doc.json"]


def test_an_oversized_download_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=STATSIG_3_0.read_bytes())

    fetch = http_fetcher(transport=httpx.MockTransport(handler), max_bytes=100)
    with pytest.raises(LoadError, match="larger than 100 bytes"):
        load_document("https://api.statsig.example/doc.json", fetch)


@pytest.mark.parametrize(
    ("status", "exception", "message"),
    [
        pytest.param(404, None, "download failed with HTTP 404", id="404"),
        pytest.param(
            None, httpx.ConnectError("refused"), "could not download: refused", id="connect"
        ),
    ],
)
def test_download_failures_are_load_errors(
    status: int | None, exception: Exception | None, message: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if exception is not None:
            raise exception
        assert status is not None
        return httpx.Response(status, text="not here")

    fetch = http_fetcher(transport=httpx.MockTransport(handler))
    with pytest.raises(LoadError, match=message):
        load_document("https://api.statsig.example/doc.json", fetch)


@pytest.mark.parametrize(
    "url",
    [
        "http://statsigapi.net/openapi.json",
        "ftp://127.0.0.1/openapi.json",
        "https:///no-host",
        "http://localhost/openapi.json",
    ],
)
def test_non_https_urls_are_refused_before_any_request(url: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request may be sent")

    with pytest.raises(LoadError, match="only https"):
        http_fetcher(transport=httpx.MockTransport(handler))(url)


@pytest.fixture
def loopback_server() -> Iterator[str]:
    """A plain-http server on 127.0.0.1 serving the fixture directory."""
    directory = str(STATSIG_3_0.parent)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=directory, **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    with loopback_http(Handler) as url:
        yield url


def test_plain_http_is_allowed_on_loopback(loopback_server: str) -> None:
    loaded = load_document(f"{loopback_server}/{STATSIG_3_0.name}")
    assert loaded.document == json.loads(STATSIG_3_0.read_text(encoding="utf-8"))
    with pytest.raises(LoadError, match="HTTP 404"):
        load_document(f"{loopback_server}/absent.json")
