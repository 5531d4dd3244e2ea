"""The benchmark's sources section runs, with tiny counts (scripts/bench measures)."""

from __future__ import annotations

import pytest

from benchmarks import sources


def test_the_ideal_span_follows_both_windows() -> None:
    # 2 per 1 s and 3 per 10 s: t = 0, 0, 1, 10, 10, 11.
    assert sources.ideal_span(6, ((2, 1.0), (3, 10.0))) == pytest.approx(11.0)
    assert sources.ideal_span(1, ((2, 1.0),)) == 0.0


def test_the_section_counts_from_the_mock_side() -> None:
    plan = sources.measure_plan(12, page_size=5)
    apply = sources.measure_apply(12, ((5, 0.5), (10, 2.0)))

    assert (plan["requests"], plan["list_pages"], plan["mutations"]) == (3, 3, 0)
    assert apply["mutations_received"] == 12
    assert apply["ideal_span_s"] == pytest.approx(2.0)
    assert apply["responses_429"] == 0
    assert [target.name for target in sources.targets({"plan": plan, "apply": apply})]
