"""Pytest configuration shared by tests, docs doctests and docstring doctests."""

collect_ignore = ["docs/conf.py", "docs/_build", "benchmarks"]
