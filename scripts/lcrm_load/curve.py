"""One step of the saturation curve: the step's throughput and latency from
locust's stats CSV, and whether the server is saturated (p95 above the
budget, or any error).

Usage (through scripts/load.sh --saturate): python3 -m lcrm_load.curve
    STEP_stats.csv USERS [--p95-max MS]
Prints one line of the curve; exits 3 once saturated.
"""

import argparse
import csv
import sys

SATURATED = 3


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("stats")
    parser.add_argument("users", type=int)
    parser.add_argument("--p95-max", type=float, default=500.0)
    args = parser.parse_args()
    with open(args.stats, newline="") as stats:  # noqa: PTH123
        total = next(
            row for row in csv.DictReader(stats) if row["Name"] == "Aggregated"
        )
    requests = int(total["Request Count"])
    errors = int(total["Failure Count"])
    p95 = float(total["95%"] or 0)
    print(
        f"{args.users:>6} users {float(total['Requests/s']):>8.1f} req/s "
        f"p50 {total['50%']:>5} ms p95 {p95:>6.0f} ms "
        f"{requests:>6} requests {errors:>4} errors"
    )
    if errors or p95 > args.p95_max or not requests:
        sys.exit(SATURATED)


if __name__ == "__main__":
    main()
