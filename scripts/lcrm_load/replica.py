"""Proof of a load run with a streaming replica: the read-only portal pages
were answered by the replica, the tracking feed's writes went to the
primary, and every event Odoo confirmed was stored once.

Usage (through scripts/load.sh --replica): python3 -m lcrm_load.replica
    RESULT_stats.csv --primary BEFORE AFTER --replica BEFORE AFTER
    --feed-log FEED --stored STORED
where each server's BEFORE and AFTER are pg_stat_database's
"transactions|rows read|rows inserted" of the database, FEED the locust
feed's log ("sent ID" before each post, "created ID" once answered) and
STORED the run's external ids found in the database, one per line.
"""

import argparse
import csv
import sys

# The locust names of the pages whose routes are declared read-only.
READONLY_PAGES = (
    "/my/shipments",
    "/my/shipments?late",
    "/my/complaints",
    "/my/quotes",
    "/my/service",
)
FEED = "ingest 20 events"


def counters(text):
    return [int(value) for value in text.split("|")]


def delta(pair):
    before, after = (counters(text) for text in pair)
    return [later - earlier for earlier, later in zip(before, after, strict=True)]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("stats")
    parser.add_argument("--primary", nargs=2, required=True)
    parser.add_argument("--replica", nargs=2, required=True)
    parser.add_argument("--feed-log", required=True)
    parser.add_argument("--stored", required=True)
    args = parser.parse_args()
    with open(args.stats, newline="") as stats:  # noqa: PTH123
        rows = {row["Name"]: row for row in csv.DictReader(stats)}

    def succeeded(name):
        row = rows.get(name)
        return int(row["Request Count"]) - int(row["Failure Count"]) if row else 0

    readonly_requests = sum(succeeded(name) for name in READONLY_PAGES)
    feeds = succeeded(FEED)
    primary_xacts, primary_read, primary_inserted = delta(args.primary)
    replica_xacts, replica_read, replica_inserted = delta(args.replica)
    sent, confirmed = set(), set()
    with open(args.feed_log) as log:  # noqa: PTH123
        for line in log:
            status, external_id = line.split()
            (sent if status == "sent" else confirmed).add(external_id)
    with open(args.stored) as lines:  # noqa: PTH123
        stored_ids = [line.strip() for line in lines if line.strip()]
    stored = len(stored_ids)
    in_flight = set(stored_ids) - confirmed
    read_share = 100.0 * replica_read / max(replica_read + primary_read, 1)
    print(
        f"replica: {replica_xacts} transactions, {replica_read} rows read "
        f"({read_share:.0f} % of all rows read), {replica_inserted} inserted; "
        f"primary: {primary_xacts} transactions, {primary_read} rows read, "
        f"{primary_inserted} inserted"
    )
    print(
        f"read-only pages served: {readonly_requests}; feed requests: {feeds}, "
        f"events sent {len(sent)}, confirmed {len(confirmed)}, stored {stored} "
        f"(of which {len(in_flight)} in flight when locust stopped)"
    )
    problems = []
    if not readonly_requests:
        problems.append("no read-only page was requested")
    if replica_xacts < readonly_requests:
        problems.append(
            f"the replica ran {replica_xacts} transactions for "
            f"{readonly_requests} read-only pages: not all were served by it"
        )
    if not confirmed:
        problems.append("no event was confirmed by the feed")
    if lost := confirmed - set(stored_ids):
        problems.append(f"{len(lost)} confirmed event(s) not stored")
    if stored != len(set(stored_ids)):
        problems.append(f"{stored - len(set(stored_ids))} event(s) stored twice")
    if unknown := set(stored_ids) - sent:
        problems.append(f"{len(unknown)} stored event(s) never sent")
    if primary_inserted < stored:
        problems.append("the events were not written on the primary")
    if problems:
        sys.exit("error: " + "; ".join(problems))
    print("OK: the replica answered the read-only pages, the primary the writes")


if __name__ == "__main__":
    main()
