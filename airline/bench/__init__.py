"""Benchmarks: figures go to bench-output/."""
