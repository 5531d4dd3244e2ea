"""The mock reads a query string exactly as the standard library's parse_qsl would."""

from __future__ import annotations

from urllib.parse import parse_qsl

from hypothesis import given
from hypothesis import strategies as st

from statsig_console_mock.endpoint import read_query

# The characters that change how a query reads, and a few that need decoding.
_QUERY_TEXT = st.text(alphabet=st.sampled_from("ab=&%+;2F0é c1"), max_size=24)


def _standard(raw: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in parse_qsl(raw, keep_blank_values=True):
        values.setdefault(name, value)
    return values


@given(_QUERY_TEXT)
def test_every_query_reads_as_parse_qsl_reads_it(raw: str) -> None:
    encoded = raw.encode("utf-8")
    assert read_query({"query_string": encoded}) == _standard(encoded.decode("latin-1"))


def test_the_first_of_repeated_names_counts() -> None:
    assert read_query({"query_string": b"limit=5&limit=7&page=%32"}) == {"limit": "5", "page": "2"}


def test_no_query_has_no_values() -> None:
    assert read_query({"query_string": b""}) == {}
    assert read_query({}) == {}
