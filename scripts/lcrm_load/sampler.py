"""What limits a saturation step: every second, the CPU each kind of process
used (from /proc, per process, so short-lived PostgreSQL backends count
too) and the sessions waiting on a lock (pg_stat_activity, on every server
given); one summary line at the end of the step.

Usage (through scripts/load.sh --saturate): python3 -m lcrm_load.sampler
    SECONDS --psql PSQL [--server HOST:PORT ...] --database DB --user USER
"""

import argparse
import os
import subprocess
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1
KINDS = ("odoo", "postgres", "locust")


def _kind(pid):
    """odoo, postgres, locust or None, by the process's command line."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return None
    text = command.decode(errors="replace")
    program = text.split(" ", 1)[0]
    if program.startswith("postgres") or program.endswith("/postgres"):
        return "postgres"
    for kind in ("locust", "odoo"):
        if kind in text:
            return kind
    return None


def _cpu_ticks():
    """{pid: (kind, user + system ticks)} of the processes of a known kind."""
    ticks = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        kind = _kind(entry.name)
        if not kind:
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime and stime are the 14th and 15th fields of stat, 12th and 13th
        # after the command name.
        ticks[int(entry.name)] = (kind, int(fields[11]) + int(fields[12]))
    return ticks


def _idle_ticks():
    values = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    return int(values[3]) + int(values[4])  # idle + iowait


def _lock_waits(psql, servers, database, user):
    waiting = 0
    for server in servers:
        host, port = server.rsplit(":", 1)
        result = subprocess.run(  # noqa: S603 (our own psql, our own query)
            [
                psql,
                "-h",
                host,
                "-p",
                port,
                "-U",
                user,
                "-d",
                database,
                "-AtXq",
                "-c",
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        waiting += int(result.stdout.strip() or 0)
    return waiting


def sample(seconds, psql, servers, database, user):
    """CPU shares of the machine per kind and idle, and lock-wait samples."""
    used = dict.fromkeys(KINDS, 0)
    previous = _cpu_ticks()
    idle_start = _idle_ticks()
    start = time.monotonic()
    lock_samples = waits = 0
    while time.monotonic() - start < seconds:
        time.sleep(1)
        current = _cpu_ticks()
        for pid, (kind, ticks) in current.items():
            used[kind] += ticks - previous.get(pid, (kind, 0))[1]
        previous = current
        waits += _lock_waits(psql, servers, database, user)
        lock_samples += 1
    elapsed = time.monotonic() - start
    capacity = elapsed * TICKS * CORES
    shares = {kind: 100.0 * used[kind] / capacity for kind in KINDS}
    shares["idle"] = 100.0 * (_idle_ticks() - idle_start) / capacity
    return shares, waits, lock_samples


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("seconds", type=float)
    parser.add_argument("--psql", required=True)
    parser.add_argument("--server", action="append", default=[])
    parser.add_argument("--database", required=True)
    parser.add_argument("--user", required=True)
    args = parser.parse_args()
    shares, waits, samples = sample(
        args.seconds, args.psql, args.server, args.database, args.user
    )
    print(
        f"       cpu of {CORES} cores: "
        + ", ".join(f"{kind} {share:.0f} %" for kind, share in shares.items())
        + f"; sessions waiting on a lock: {waits} in {samples} samples"
    )


if __name__ == "__main__":
    main()
