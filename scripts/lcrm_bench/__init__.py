"""Benchmark harness of Logistics CRM: data at scale, ORM next to raw SQL.

Run as ``python3 -m lcrm_bench`` (scripts/bench.sh); the load and fuzz runs
and tests/ import its loader and portal helpers.
"""
