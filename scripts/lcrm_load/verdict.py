"""Summarise locust's stats CSV and judge it: no error, p95 under budget.

Usage (through scripts/load.sh): python3 -m lcrm_load.verdict RESULT_stats.csv
    [--p95-max MS]
"""

import argparse
import csv
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("stats")
    parser.add_argument("--p95-max", type=float, default=500.0)
    args = parser.parse_args()
    with open(args.stats, newline="") as stats:  # noqa: PTH123
        rows = list(csv.DictReader(stats))
    width = max(len(row["Name"]) for row in rows)
    print(
        f"{'request':{width}} {'count':>7} {'errors':>6} {'req/s':>7} "
        f"{'p50':>6} {'p95':>6} {'p99':>6}  ms"
    )
    for row in rows:
        print(
            f"{row['Name']:{width}} {row['Request Count']:>7} "
            f"{row['Failure Count']:>6} {float(row['Requests/s']):>7.1f} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    p95 = float(total["95%"])
    problems = []
    if not int(total["Request Count"]):
        problems.append("no request was made")
    if failures:
        problems.append(f"{failures} failed request(s)")
    if p95 > args.p95_max:
        problems.append(f"p95 {p95:.0f} ms above {args.p95_max:.0f} ms")
    if problems:
        sys.exit("error: " + ", ".join(problems))
    print(f"OK: no error, p95 {p95:.0f} ms (budget {args.p95_max:.0f} ms)")


if __name__ == "__main__":
    main()
