"""Load run of Logistics CRM (scripts/load.sh): ``python3 -m lcrm_load.prepare``
writes the fixture, locust runs locustfile.py, ``python3 -m lcrm_load.verdict``
judges the result."""
