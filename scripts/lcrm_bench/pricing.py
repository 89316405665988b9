"""Benchmark operation of the pricing engine: a request priced against
100,000 rate-card lines (10,000 at the small scale) through
``logistics.pricing``, next to the engine's lookup written by hand in raw
SQL. The cards and lines are created here, inside a savepoint undone at the
end, whatever the loaded scale."""

import random
import statistics
import time
from datetime import timedelta

from psycopg2.extras import execute_values

from odoo import fields

from .harness import Figure, Result, rolled_back

LINES = {"small": 10_000, "large": 100_000}
REQUESTS = 200
BUDGET_MS = 30.0
CONTRACT_SHARE = 0.1  # of the lines, on the customers' contract cards
CONTRACT_CARDS = 6

# Country (Odoo's base.<code>) and its cities, with their UN/LOCODE ports.
PLACES = {
    "cn": [
        ("Shanghai", "CNSHA"),
        ("Shenzhen", "CNSZX"),
        ("Ningbo", "CNNGB"),
        ("Qingdao", "CNTAO"),
    ],
    "us": [("Los Angeles", "USLAX"), ("New York", "USNYC"), ("Houston", "USHOU")],
    "de": [("Hamburg", "DEHAM"), ("Bremerhaven", "DEBRV"), ("Frankfurt", "DEFRA")],
    "nl": [("Rotterdam", "NLRTM"), ("Amsterdam", "NLAMS")],
    "be": [("Antwerp", "BEANR"), ("Zeebrugge", "BEZEE")],
    "fr": [("Le Havre", "FRLEH"), ("Marseille", "FRMRS"), ("Paris", "FRPAR")],
    "es": [("Valencia", "ESVLC"), ("Barcelona", "ESBCN"), ("Algeciras", "ESALG")],
    "it": [("Genoa", "ITGOA"), ("La Spezia", "ITSPE"), ("Milan", "ITMIL")],
    "uk": [("Felixstowe", "GBFXT"), ("Southampton", "GBSOU"), ("London", "GBLON")],
    "pl": [("Gdansk", "PLGDN"), ("Warsaw", "PLWAW")],
    "sg": [("Singapore", "SGSIN")],
    "jp": [("Tokyo", "JPTYO"), ("Yokohama", "JPYOK"), ("Osaka", "JPOSA")],
    "kr": [("Busan", "KRPUS"), ("Incheon", "KRINC")],
    "in": [("Nhava Sheva", "INNSA"), ("Chennai", "INMAA"), ("Mundra", "INMUN")],
    "ae": [("Jebel Ali", "AEJEA"), ("Dubai", "AEDXB")],
    "br": [("Santos", "BRSSZ"), ("Rio de Janeiro", "BRRIO")],
    "mx": [("Manzanillo", "MXZLO"), ("Veracruz", "MXVER")],
    "ca": [("Vancouver", "CAVAN"), ("Montreal", "CAMTR")],
    "au": [("Sydney", "AUSYD"), ("Melbourne", "AUMEL")],
    "za": [("Durban", "ZADUR"), ("Cape Town", "ZACPT")],
    "tr": [("Istanbul", "TRIST"), ("Mersin", "TRMER")],
    "vn": [("Ho Chi Minh City", "VNSGN"), ("Hai Phong", "VNHPH")],
    "th": [("Laem Chabang", "THLCH"), ("Bangkok", "THBKK")],
    "my": [("Port Klang", "MYPKG"), ("Tanjung Pelepas", "MYTPP")],
    "id": [("Jakarta", "IDJKT"), ("Surabaya", "IDSUB")],
    "eg": [("Port Said", "EGPSD"), ("Alexandria", "EGALY")],
    "sa": [("Jeddah", "SAJED"), ("Dammam", "SADMM")],
    "se": [("Gothenburg", "SEGOT"), ("Stockholm", "SESTO")],
    "pt": [("Sines", "PTSIE"), ("Lisbon", "PTLIS")],
    "gr": [("Piraeus", "GRPIR"), ("Thessaloniki", "GRSKG")],
}
# Mode: weight breaks (kg) a lane takes the first 5 to 8 of, rate per kg of
# the first break, and whether the lane also has a per-m³ line.
KG_MODES = {
    "air": ([0, 45, 100, 300, 500, 1000, 2000, 3000], 6.5, False),
    "express": ([0, 5, 10, 20, 50, 100, 200, 300], 12.0, False),
    "road_ltl": ([0, 100, 500, 1000, 2000, 3000, 5000, 10000], 0.45, True),
    "road_ftl": ([0, 1000, 3000, 5000, 10000, 15000, 20000, 24000], 0.12, False),
    "rail": ([0, 500, 1000, 3000, 5000, 10000, 15000, 20000], 0.18, True),
    "sea_lcl": ([0, 500, 1000, 2000, 5000, 8000, 10000, 15000], 0.09, True),
}
CONTAINERS = {
    "20gp": 1400,
    "40gp": 2300,
    "40hc": 2450,
    "45hc": 2800,
    "20rf": 3200,
    "40rf": 4600,
}
MODES = (*KG_MODES, "sea_fcl")
# The engine's chargeable weight per m³ (logistics_selections.py).
KG_CASE = (
    "CASE line.mode WHEN 'air' THEN 167.0 WHEN 'express' THEN 200.0"
    " WHEN 'road_ftl' THEN 333.0 WHEN 'road_ltl' THEN 333.0 ELSE 1000.0 END"
)
LINE_COLUMNS = (
    "card_id",
    "mode",
    "origin_country_id",
    "origin_city",
    "origin_location_code",
    "destination_country_id",
    "destination_city",
    "destination_location_code",
    "rate_basis",
    "min_weight_kg",
    "container_type",
    "rate",
    "minimum_charge",
    "transit_time_days",
    "create_uid",
    "write_uid",
    "create_date",
    "write_date",
)


class RateCards:
    """Public card per mode plus contract cards, ``total`` lines over lanes
    from country to country, city to city and port to port."""

    def __init__(self, env, total, seed=42):
        self.env = env
        self.total = total
        self.rng = random.Random(seed)
        self.country_ids = {code: env.ref(f"base.{code}").id for code in PLACES}
        self.lanes = []  # (card, mode, origin, destination); an end: (code, city, port)

    def create(self):
        env, rng = self.env, self.rng
        cards = env["logistics.rate.card"].with_context(tracking_disable=True)
        start = fields.Date.today() - timedelta(days=30)
        public = cards.create(
            [
                {
                    "name": f"Bench Public {mode}",
                    "mode": mode,
                    "date_start": start,
                    "fuel_percent": 12.0,
                    "security_fee": 25.0,
                    "insurance_percent": 0.3,
                    "insurance_minimum": 30.0,
                }
                for mode in MODES
            ]
        )
        partners = env["res.partner"].create(
            [
                {"name": f"Bench Contract Customer {n}", "is_company": True}
                for n in range(CONTRACT_CARDS)
            ]
        )
        contract = cards.create(
            [
                {
                    "name": f"Bench Contract {partner.name}",
                    "mode": MODES[n % 7],
                    "partner_id": partner.id,
                    "date_start": start,
                    "fuel_percent": 8.0,
                }
                for n, partner in enumerate(partners)
            ]
        )
        env.flush_all()
        rows = []
        contract_lines = int(self.total * CONTRACT_SHARE)
        while len(rows) < contract_lines:
            rows.extend(self._lane_rows(rng.choice(contract), discount=0.85))
        while len(rows) < self.total:
            rows.extend(self._lane_rows(rng.choice(public)))
        rows = rows[: self.total]
        now = fields.Datetime.now()
        uid = env.uid
        execute_values(
            env.cr._obj,
            f"INSERT INTO logistics_rate_card_line ({', '.join(LINE_COLUMNS)})"
            " VALUES %s",
            [(*row, uid, uid, now, now) for row in rows],
            page_size=5000,
        )
        env.cr.execute("ANALYZE logistics_rate_card_line")
        env.cr.execute("ANALYZE logistics_rate_card")
        env.invalidate_all()
        return public, contract, len(rows)

    def _end(self):
        code = self.rng.choice(list(PLACES))
        city, port = self.rng.choice(PLACES[code])
        return code, city, port

    def _lane_rows(self, card, discount=1.0):
        rng = self.rng
        origin, destination = self._end(), self._end()
        while destination[0] == origin[0]:
            destination = self._end()
        # A lane between ports, cities or just countries.
        level = rng.choices(("port", "city", "country"), (3, 4, 3))[0]
        o_city = origin[1] if level == "city" else None
        d_city = destination[1] if level == "city" else None
        o_port = origin[2] if level == "port" else None
        d_port = destination[2] if level == "port" else None
        self.lanes.append((card, card.mode, origin, destination, level))
        factor = rng.uniform(0.7, 1.4) * discount
        common = (
            card.id,
            card.mode,
            self.country_ids[origin[0]],
            o_city,
            o_port,
            self.country_ids[destination[0]],
            d_city,
            d_port,
        )
        transit = rng.randint(1, 40)
        if card.mode == "sea_fcl":
            types = rng.sample(list(CONTAINERS), rng.randint(3, 6))
            return [
                (
                    *common,
                    "container",
                    0.0,
                    kind,
                    round(CONTAINERS[kind] * factor, 2),
                    0.0,
                    transit,
                )
                for kind in types
            ]
        breaks, rate, per_m3 = KG_MODES[card.mode]
        rows = [
            (
                *common,
                "kg",
                float(weight),
                None,
                round(rate * factor * 0.93**index, 4),
                round(60 * factor, 2),
                transit,
            )
            for index, weight in enumerate(breaks[: rng.randint(5, 8)])
        ]
        if per_m3:
            rows.append(
                (*common, "m3", 0.0, None, round(rate * 300 * factor, 2), 0.0, transit)
            )
        return rows


def _requests(env, cards, count, seed):
    """Random requests on the created lanes: a port, a city or only a
    country at each end as the lane has it, a mode or the cheapest, the
    contract customer's own for a contract lane."""
    from odoo.addons.logistics_crm.models.logistics_pricing import (  # noqa: PLC0415
        Cargo,
        Endpoint,
    )

    rng = random.Random(seed + 1)
    requests = []
    for card, mode, origin, destination, level in rng.sample(cards.lanes, count):

        def endpoint(end, level=level):
            code, city, port = end
            return Endpoint(
                country_id=cards.country_ids[code],
                city=city if level in ("city", "port") else None,
                location_code=port if level == "port" else None,
            )

        values = {
            "weight_kg": round(rng.uniform(20, 9000), 1),
            "volume_m3": round(rng.uniform(0.1, 30), 2),
        }
        if mode == "sea_fcl":
            values = {
                "container_type": rng.choice(list(CONTAINERS)),
                "container_count": rng.randint(1, 4),
                "weight_kg": 18000.0,
            }
        requests.append(
            (
                Cargo(
                    origin=endpoint(origin),
                    destination=endpoint(destination),
                    mode=mode if rng.random() < 0.7 or mode == "sea_fcl" else "suggest",
                    declared_value=round(rng.uniform(1000, 80000), 2),
                    services=frozenset({"insurance"}),
                    **values,
                ),
                card.partner_id,
            )
        )
    return requests


def _raw_lookup(env, cargo, partner, company):
    """The engine's SELECT, by hand, with what the breakdown reads of the
    line and its card joined in."""
    if cargo.containerized:
        basis = "line.rate_basis = 'container' AND line.container_type = %(ctype)s"
    else:
        basis = f"""(line.rate_basis = 'm3' OR (line.rate_basis = 'kg'
            AND coalesce(line.min_weight_kg, 0)
                <= GREATEST(%(weight)s, %(volume)s * {KG_CASE})))"""

    def end(side):
        return f"""(line.{side}_location_code = %({side}_code)s
            OR (line.{side}_location_code IS NULL
                AND (line.{side}_state_id IS NULL
                     OR line.{side}_state_id = %({side}_state)s)
                AND (line.{side}_city IS NULL
                     OR lower(line.{side}_city) = lower(%({side}_city)s))))"""

    def specificity(side):
        return f"""(CASE WHEN line.{side}_location_code IS NOT NULL THEN 3
                     WHEN line.{side}_city IS NOT NULL THEN 2
                     WHEN line.{side}_state_id IS NOT NULL THEN 1 ELSE 0 END)"""

    mode = "AND line.mode = %(mode)s" if cargo.mode != "suggest" else ""
    env.cr.execute(
        f"""
        SELECT DISTINCT ON (line.mode, line.rate_basis)
               line.id, line.mode, line.rate_basis, line.rate, line.minimum_charge,
               card.partner_id, card.currency_id, card.fuel_percent,
               card.security_fee, card.insurance_percent, card.insurance_minimum
          FROM logistics_rate_card_line line
          JOIN logistics_rate_card card ON card.id = line.card_id
         WHERE line.origin_country_id = %(o_country)s
           AND line.destination_country_id = %(d_country)s
           {mode}
           AND {basis}
           AND {end("origin")} AND {end("destination")}
           AND card.active AND card.company_id = %(company)s
           AND (card.partner_id IS NULL OR card.partner_id = %(customer)s)
           AND card.date_start <= %(day)s
           AND (card.date_end IS NULL OR card.date_end >= %(day)s)
         ORDER BY line.mode, line.rate_basis, card.partner_id IS NULL,
                  {specificity("origin")} + {specificity("destination")} DESC,
                  line.min_weight_kg DESC NULLS LAST, card.date_start DESC, line.id
        """,
        {
            "o_country": cargo.origin.country_id,
            "d_country": cargo.destination.country_id,
            "mode": cargo.mode,
            "ctype": cargo.container_type,
            "weight": cargo.weight_kg,
            "volume": cargo.volume_m3,
            "origin_code": cargo.origin.location_code,
            "origin_state": cargo.origin.state_id,
            "origin_city": cargo.origin.city,
            "destination_code": cargo.destination.location_code,
            "destination_state": cargo.destination.state_id,
            "destination_city": cargo.destination.city,
            "company": company.id,
            "customer": partner.id or None,
            "day": cargo.day or fields.Date.today(),
        },
    )
    return env.cr.fetchall()


def _percentile(times, share):
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def op_pricing(env, large_scale, requests=REQUESTS, seed=42):
    """``requests`` random requests priced one by one through
    ``logistics.pricing._best_price`` (cold ORM cache each, as a portal hit
    or a new quote request is) against 100,000 rate-card lines, the p95 under
    30 ms and the same number of queries whatever the lines; next to the
    engine's lookup in raw SQL. All rolled back."""
    total = LINES["large" if large_scale else "small"]
    pricing = env["logistics.pricing"]
    company = env.company
    with rolled_back(env):
        cards = RateCards(env, total, seed)
        begin = time.perf_counter()
        _public, _contract, created = cards.create()
        create_s = time.perf_counter() - begin
        batch = _requests(env, cards, requests, seed)
        # Warm-up: the first call pays the registry's and PostgreSQL's caches.
        for cargo, partner in batch[:5]:
            pricing._best_price(cargo, partner, company)
            _raw_lookup(env, cargo, partner, company)
        orm, sql = Figure(), Figure()
        # Queries per request, by who asks and whether a line priced it (an
        # empty lookup reads nothing after its SELECT).
        queries = {}
        unpriced = agree = 0
        for cargo, partner in batch:
            env.invalidate_all()
            before = env.cr.sql_log_count
            start = time.perf_counter()
            option = pricing._best_price(cargo, partner, company)
            orm.times.append(time.perf_counter() - start)
            kind = ("contract" if partner else "public") + (
                "" if option else "_unpriced"
            )
            queries.setdefault(kind, set()).add(env.cr.sql_log_count - before)
            before = env.cr.sql_log_count
            start = time.perf_counter()
            rows = _raw_lookup(env, cargo, partner, company)
            sql.times.append(time.perf_counter() - start)
            sql.queries = env.cr.sql_log_count - before
            if option is None:
                unpriced += 1
            elif option.line.id in {row[0] for row in rows}:
                agree += 1
        orm.queries = max(max(counts) for counts in queries.values() if counts)
        env.cr.execute(
            "EXPLAIN " + _explain_sql(),
            (batch[0][0].origin.country_id, batch[0][0].destination.country_id),
        )
        plan = " ".join(row[0] for row in env.cr.fetchall())
    p95 = _percentile(orm.times, 0.95) * 1000
    constant = all(len(counts) <= 1 for counts in queries.values())
    result = Result(
        f"pricing, {created:,} rate-card lines, {requests} requests",
        orm,
        sql,
        f"p95 < {BUDGET_MS:.0f} ms, constant queries",
    )
    result.notes.update(
        lines=created,
        lines_created_s=round(create_s, 2),
        orm_p50_ms=round(statistics.median(orm.times) * 1000, 2),
        orm_p95_ms=round(p95, 2),
        sql_p50_ms=round(statistics.median(sql.times) * 1000, 2),
        sql_p95_ms=round(_percentile(sql.times, 0.95) * 1000, 2),
        **{f"queries_{kind}": sorted(counts) for kind, counts in queries.items()},
        unpriced=unpriced,
        raw_sql_agrees=f"{agree}/{requests - unpriced}",
        lookup_index_used="_lookup_index" in plan,
    )
    misses = []
    if p95 >= BUDGET_MS:
        misses.append(f"p95 {p95:.1f} ms")
    if not constant:
        misses.append("query count varies")
    result.judge(misses)
    return result


def _explain_sql():
    return (
        "SELECT line.id FROM logistics_rate_card_line line"
        " WHERE line.origin_country_id = %s AND line.destination_country_id = %s"
        " AND line.mode = 'air' AND line.rate_basis = 'kg'"
    )
