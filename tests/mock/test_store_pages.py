"""Pages of the store stay exact through every kind of change, however they are read."""

from __future__ import annotations

import pytest

from statsig_console_mock.store import Added, SourceStore


def _record(name: str) -> bytes:
    return b'{"name":"' + name.encode() + b'"}'


def _store(count: int) -> SourceStore:
    store = SourceStore()
    for index in range(count):
        assert store.add(f"s{index}", _record(f"s{index}")) is Added.STORED
    return store


def _names(store: SourceStore, offset: int, limit: int) -> list[str]:
    records, _ = store.page(offset, limit)
    return [record.decode().split('"')[3] for record in records]


def test_repeated_reads_between_changes_answer_the_same_pages() -> None:
    store = _store(10)
    # The first read after a change walks to its page, later ones slice a list.
    for _ in range(3):
        assert _names(store, 0, 3) == ["s0", "s1", "s2"]
        assert _names(store, 8, 5) == ["s8", "s9"]
        assert store.page(4, 2)[1] == 10


@pytest.mark.parametrize("reads_before", [0, 1, 2])
def test_every_kind_of_change_shows_in_the_next_page(reads_before: int) -> None:
    store = _store(4)

    def read() -> list[str]:
        return _names(store, 0, 10)

    for _ in range(reads_before):
        read()
    store.add("s4", _record("s4"))
    assert read() == ["s0", "s1", "s2", "s3", "s4"]
    for _ in range(reads_before):
        read()
    store.replace("s1", lambda old: ("renamed", _record("renamed")))
    assert read() == ["s0", "renamed", "s2", "s3", "s4"]
    for _ in range(reads_before):
        read()
    assert store.remove("s0")
    assert read() == ["renamed", "s2", "s3", "s4"]
    for _ in range(reads_before):
        read()
    store.clear()
    assert read() == []


def test_a_dry_run_changes_no_page() -> None:
    store = _store(3)
    _names(store, 0, 10)
    _names(store, 0, 10)
    store.add("dry", _record("dry"), commit=False)
    store.replace("s0", lambda old: ("s0", _record("s0x")), commit=False)
    assert _names(store, 0, 10) == ["s0", "s1", "s2"]


@pytest.mark.parametrize("reads_before", [0, 1, 2])
def test_offsets_and_limits_far_past_the_end_are_an_empty_page(reads_before: int) -> None:
    store = _store(3)
    for _ in range(reads_before):
        store.page(0, 1)
    huge = (2**53 - 1) ** 2
    assert store.page(huge, huge) == ([], 3)
    assert _names(store, 1, huge) == ["s1", "s2"]
