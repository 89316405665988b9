"""Benchmark harness of Logistics CRM: data at scale, ORM next to raw SQL."""
