"""Benchmarks, kept out of the shipped wheel: `make bench`.

generate_corpus writes a synthetic corpus (corpus.py holds its text), and
bench_search times a query mix against it. Installed as an app only outside
production (see aiwatch.settings). May import every layer; nothing imports it.
"""
