"""Benchmarks: run with `make benchmark` or one module at a time (see BENCHMARKS.md)."""
