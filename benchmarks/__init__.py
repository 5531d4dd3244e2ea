"""``scripts/bench``: side-by-side measurements of the mock, the client and the tooling.

Not part of the test suite. ``python -m benchmarks --help`` lists the options; the
results are printed as a table and written as JSON to ``reports/bench-latest.json``;
``--save`` writes them over the committed ``benchmarks/results/latest.json``.
"""
