"""Benchmarks that measure the pipeline end to end; they report figures and never fail on time."""
