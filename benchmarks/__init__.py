"""Benchmarks: scripts that print figures (`make bench-*`), not timed tests."""
