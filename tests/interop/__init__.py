"""Interoperability: clients of Statsig's document made by other generators, against the mock."""
