"""How the benchmark times an operation: runs through the addons beside the
same work in raw SQL on the same data, each rolled back, and the result line
that reports both."""

import statistics
import time
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field

WARM_RUNS = 5


@dataclass
class Figure:
    """Timings of one way of doing an operation."""

    times: list = field(default_factory=list)
    queries: int = 0

    def add(self, elapsed, queries):
        self.times.append(elapsed)
        self.queries = queries

    @property
    def median(self):
        return statistics.median(self.times)

    def as_dict(self):
        return {
            "median_ms": round(self.median * 1000, 2),
            "min_ms": round(min(self.times) * 1000, 2),
            "max_ms": round(max(self.times) * 1000, 2),
            "queries": self.queries,
            "runs": len(self.times),
        }


@dataclass
class Result:
    name: str
    orm: Figure
    sql: Figure
    budget: str
    verdict: str = ""
    notes: dict = field(default_factory=dict)

    @property
    def ratio(self):
        return self.orm.median / self.sql.median if self.sql.median else float("inf")

    def judge(self, misses):
        """The verdict from the budgets missed (none: OK)."""
        self.verdict = "OK" if not misses else "MISS: " + ", ".join(misses)

    def as_dict(self):
        data = asdict(self)
        data.update(
            orm=self.orm.as_dict(), sql=self.sql.as_dict(), ratio=round(self.ratio, 2)
        )
        return data


def run_once(env, func, around=None):
    """One run from a cold ORM cache: its time and query count, within
    `around` (a context manager factory: a savepoint that undoes writes, for
    instance) but without what `around` itself runs."""
    env.invalidate_all()
    with around() if around else nullcontext():
        before = env.cr.sql_log_count
        start = time.perf_counter()
        func()
        elapsed = time.perf_counter() - start
        return elapsed, env.cr.sql_log_count - before


def measure(env, func, runs=WARM_RUNS, around=None):
    """Run func once to warm up, then `runs` times (see run_once)."""
    figure = Figure()
    for number in range(runs + 1):
        elapsed, queries = run_once(env, func, around)
        if number:
            figure.add(elapsed, queries)
    return figure


# A few milliseconds vary by as much as the budget from one run to the next:
# short operations take at least this many runs a side.
SHORT_RUNS = 60
SHORT_SECONDS = 0.05


def compare(env, through_orm, raw_sql, runs=WARM_RUNS, around=None):
    """Time both ways in alternation, so a drift of the machine or of
    PostgreSQL's buffers during the benchmark weighs on both sides alike.
    An operation that takes less than SHORT_SECONDS is run SHORT_RUNS times
    a side at least, or its median is the noise of one run. `around` as in
    run_once."""
    orm, sql = Figure(), Figure()
    number = 0
    while number <= runs:
        for func, figure in ((through_orm, orm), (raw_sql, sql)):
            elapsed, queries = run_once(env, func, around)
            if number:
                figure.add(elapsed, queries)
        if number == 1 and max(orm.times[0], sql.times[0]) < SHORT_SECONDS:
            runs = max(runs, SHORT_RUNS)
        number += 1
    return orm, sql


@contextmanager
def rolled_back(env):
    """Savepoint undone after the block: a write benchmark leaves no trace."""
    savepoint = env.cr.savepoint()
    try:
        yield
        env.flush_all()
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()


def customer_by_volume(env, target):
    """The customer whose shipment count is closest to target."""
    env.cr.execute(
        """
        SELECT partner_id, count(*) AS n FROM logistics_shipment
         GROUP BY partner_id ORDER BY abs(count(*) - %s), partner_id LIMIT 1
        """,
        (target,),
    )
    return env.cr.fetchone()
