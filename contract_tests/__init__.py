"""Contract tests: the spec, the client and the API (mock or real) agree."""
