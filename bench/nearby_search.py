"""Nearby search over 50,000 services: the query layer against a naive full scan.

    .venv/bin/python bench/nearby_search.py                      # SQLite file in a temp folder
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python bench/nearby_search.py

Builds a throwaway database (on PostgreSQL, a schema of its own, dropped at the end; the
database's other tables are not touched), puts 50,000 services at random Greater Manchester
postcodes from seed/postcodes.csv, then times `search_services` (postcode + need + 5 miles)
for ~200 random postcodes (each with a random need from seed/taxonomy.csv). A naive full scan
— load every location, measure each with geopy's geodesic, keep those within 5 miles — runs
on the same data for the first few of the same postcodes (each takes seconds). Prints one
JSON line for the database it ran on. Target: median under 20 ms.

Timed at the query layer: `search_services` with an open session, statistics analysed (as
autovacuum or `PRAGMA optimize` would leave them), PostgreSQL with its default settings and
SQLite with a 128 MB page cache (its 2 MB default cannot hold this database's working set).

Environment: BENCH_SERVICES (50000), BENCH_QUERIES (200), BENCH_NAIVE_QUERIES (5), BENCH_SEED (1).
"""

import csv
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

import prescribing.models  # noqa: E402, F401  (every table, so foreign keys resolve)
from prescribing import geography  # noqa: E402
from prescribing.clock import utcnow  # noqa: E402
from prescribing.directory.models import (  # noqa: E402
    GeoPrecision,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    TaxonomyTerm,
    service_taxonomy,
)
from prescribing.directory.search import SearchQuery, search_services  # noqa: E402
from prescribing.extensions import db  # noqa: E402

SERVICES = int(os.environ.get("BENCH_SERVICES", "50000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "200"))
NAIVE_QUERIES = int(os.environ.get("BENCH_NAIVE_QUERIES", "5"))
SEED = int(os.environ.get("BENCH_SEED", "1"))
MILES = 5
TARGET_MS = 20
BATCH = 5000
WORDS = [
    "walk",
    "talk",
    "friendly",
    "group",
    "support",
    "gentle",
    "club",
    "community",
    "local",
    "weekly",
    "help",
    "advice",
    "art",
    "garden",
]


def read_csv(name: str) -> list[dict]:
    with (ROOT / "seed" / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def build(engine, rng: random.Random) -> list[str]:
    """Create the tables and fill them; returns the need codes."""
    db.metadata.create_all(engine)
    postcodes = read_csv("postcodes.csv")
    taxonomy = read_csv("taxonomy.csv")
    now = utcnow()
    with engine.begin() as conn:
        term_ids = {}
        for row in taxonomy:  # parents come first in the file
            term_ids[row["code"]] = str(uuid.uuid4())
            conn.execute(
                insert(TaxonomyTerm),
                {
                    "id": term_ids[row["code"]],
                    "code": row["code"],
                    "name": row["name"],
                    "description": row["description"],
                    "parent_id": term_ids.get(row["parent_code"]) if row["parent_code"] else None,
                },
            )
        organizations = [{"id": str(uuid.uuid4()), "name": f"Organisation {n}"} for n in range(max(1, SERVICES // 10))]
        conn.execute(insert(Organization), organizations)
        codes = list(term_ids)
        for start in range(0, SERVICES, BATCH):
            services, locations, links, tags, schedules, languages = [], [], [], [], [], []
            for _ in range(min(BATCH, SERVICES - start)):
                service_id, location_id = str(uuid.uuid4()), str(uuid.uuid4())
                organization = rng.choice(organizations)
                postcode = rng.choice(postcodes)
                description = " ".join(rng.choices(WORDS, k=12))
                services.append(
                    {
                        "id": service_id,
                        "organization_id": organization["id"],
                        "name": f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {start}",
                        "description": description,
                        "is_free": rng.random() < 0.8,
                        "online": rng.random() < 0.05,
                        "last_verified_at": now - timedelta(days=rng.randint(0, 400)),
                    }
                )
                locations.append(
                    {
                        "id": location_id,
                        "organization_id": organization["id"],
                        "name": "Venue",
                        "address_1": "1 High Street",
                        "postcode": postcode["postcode"],
                        "outcode": geography.outcode_of(postcode["postcode"]),
                        "latitude": float(postcode["latitude"]),
                        "longitude": float(postcode["longitude"]),
                        "geo_precision": GeoPrecision.POSTCODE,
                        "address_published": rng.random() > 0.005,
                        "step_free": rng.random() < 0.5,
                    }
                )
                links.append({"id": str(uuid.uuid4()), "service_id": service_id, "location_id": location_id})
                for code in set(rng.choices(codes, k=rng.randint(1, 2))):
                    tags.append({"service_id": service_id, "taxonomy_term_id": term_ids[code]})
                schedules.append(
                    {
                        "id": str(uuid.uuid4()),
                        "service_id": service_id,
                        "byday_index": rng.randint(0, 6),
                        "opens_at": clock_time(rng.randint(9, 18)),
                        "closes_at": clock_time(rng.randint(19, 21)),
                    }
                )
                languages.append({"id": str(uuid.uuid4()), "service_id": service_id, "name": "English"})
            conn.execute(insert(Service), services)
            conn.execute(insert(Location), locations)
            conn.execute(insert(ServiceAtLocation), links)
            conn.execute(insert(service_taxonomy), tags)
            conn.execute(insert(Schedule), schedules)
            conn.execute(insert(ServiceLanguage), languages)
    # Planner statistics and (on PostgreSQL) the visibility map, as autovacuum would leave them.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    return codes


def naive_scan(session: Session, centre: geography.Point) -> int:
    """What the index avoids: every location into Python, a geodesic for each."""
    rows = session.execute(
        select(ServiceAtLocation.service_id, Location.latitude, Location.longitude).join(
            Location, Location.id == ServiceAtLocation.location_id
        )
    ).all()
    return sum(1 for _, lat, lon in rows if geography.distance_miles(centre, geography.Point(lat, lon)) <= MILES)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run(url: str, label: str, connect_args: dict | None = None) -> dict:
    rng = random.Random(SEED)
    engine = create_engine(url, connect_args=connect_args or {})
    if label == "sqlite":
        # SQLite's default page cache is 2 MB; a server keeps its working set in memory, so give
        # SQLite room for the 50,000-listing database too (PostgreSQL's shared buffers do this).
        event.listen(engine, "connect", lambda connection, _: connection.execute("PRAGMA cache_size = -131072"))
    started = time.perf_counter()
    codes = build(engine, rng)
    build_seconds = time.perf_counter() - started
    postcodes = [row["postcode"] for row in rng.sample(read_csv("postcodes.csv"), QUERIES)]
    needs = [rng.choice(codes) for _ in postcodes]
    timings, found = [], []
    with Session(engine) as session:
        for postcode, need in list(zip(postcodes, needs, strict=True))[:5]:  # warm caches and the geocoder
            search_services(session, SearchQuery(postcode=postcode, need=need, miles=MILES))
            session.expunge_all()
        for postcode, need in zip(postcodes, needs, strict=True):
            query = SearchQuery(postcode=postcode, need=need, miles=MILES)
            t0 = time.perf_counter()
            page = search_services(session, query)
            timings.append((time.perf_counter() - t0) * 1000)
            found.append(page.total)
            session.expunge_all()
        naive = []
        for postcode in postcodes[:NAIVE_QUERIES]:
            centre = geography.geocode_offline(postcode)
            t0 = time.perf_counter()
            naive_scan(session, centre)
            naive.append((time.perf_counter() - t0) * 1000)
            session.expunge_all()
    engine.dispose()
    median = statistics.median(timings)
    naive_median = statistics.median(naive) if naive else None
    return {
        "bench": "nearby_search",
        "database": label,
        "services": SERVICES,
        "queries": len(timings),
        "miles": MILES,
        "median_ms": round(median, 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "mean_results": round(statistics.mean(found), 1),
        "naive_queries": len(naive),
        "naive_median_ms": round(naive_median, 1) if naive_median else None,
        "naive_to_indexed_ratio": round(naive_median / median, 1) if naive_median else None,
        "target_median_ms": TARGET_MS,
        "meets_target": median < TARGET_MS,
        "build_seconds": round(build_seconds, 1),
    }


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        schema = f"bench_nearby_{secrets.token_hex(4)}"
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            result = run(url, "postgresql", {"options": f"-csearch_path={schema}"})
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        with tempfile.TemporaryDirectory(prefix="bench-nearby-") as folder:
            result = run(f"sqlite:///{Path(folder) / 'bench.sqlite'}", "sqlite")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
