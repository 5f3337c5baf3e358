"""Benchmark: `/api/v1/service_at_locations?postcode=…&proximity=8000&per_page=50` over 50,000 services.

Builds a throwaway database (a SQLite temporary file; also PostgreSQL when BENCH_DATABASE_URL
is set, which it empties first) holding 50,000 active services at random Greater Manchester
postcodes from seed/postcodes.csv, then times the request in-process with the Flask test
client for ~200 random postcodes. Prints one JSON line per database. Target: median < 50 ms.

    .venv/bin/python bench/api_proximity.py
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python bench/api_proximity.py

Not a test: timings depend on the machine.
"""

import csv
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from prescribing import create_app  # noqa: E402
from prescribing.directory.models import (  # noqa: E402
    GeoPrecision,
    ListingStatus,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
)
from prescribing.extensions import db  # noqa: E402

SERVICES = int(os.environ.get("BENCH_SERVICES", "50000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
ORGANISATIONS = 2000


def postcodes() -> list[tuple[str, float, float]]:
    with (ROOT / "seed" / "postcodes.csv").open(newline="", encoding="utf-8") as f:
        return [(r["postcode"], float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(f)]


def fill(rng: random.Random, places: list[tuple[str, float, float]]) -> None:
    orgs = [{"id": str(uuid.UUID(int=rng.getrandbits(128))), "name": f"Organisation {n}"} for n in range(ORGANISATIONS)]
    db.session.execute(insert(Organization), [{**o, "description": "", "status": ListingStatus.ACTIVE} for o in orgs])
    batch = 5000
    for start in range(0, SERVICES, batch):
        services, locations, links = [], [], []
        for n in range(start, min(start + batch, SERVICES)):
            org = orgs[n % ORGANISATIONS]["id"]
            postcode, lat, lon = rng.choice(places)
            service_id, location_id = str(uuid.UUID(int=rng.getrandbits(128))), str(uuid.UUID(int=rng.getrandbits(128)))
            services.append(
                {"id": service_id, "organization_id": org, "name": f"Group {n}", "status": ListingStatus.ACTIVE}
            )
            locations.append(
                {
                    "id": location_id,
                    "organization_id": org,
                    "name": f"Venue {n}",
                    "address_1": f"{n} High Street",
                    "postcode": postcode,
                    "outcode": postcode.split(" ")[0],
                    "latitude": lat,
                    "longitude": lon,
                    "geo_precision": GeoPrecision.POSTCODE,
                    # About one in a thousand is a refuge or survivors' group.
                    "address_published": n % 1000 != 7,
                }
            )
            links.append(
                {"id": str(uuid.UUID(int=rng.getrandbits(128))), "service_id": service_id, "location_id": location_id}
            )
        db.session.execute(insert(Service), services)
        db.session.execute(insert(Location), locations)
        db.session.execute(insert(ServiceAtLocation), links)
    db.session.commit()


def run(url: str, label: str) -> dict:
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url, "API_RATE_LIMIT": 0})
    rng = random.Random(8)
    places = postcodes()
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        fill(rng, places)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
        else:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
        built = time.perf_counter() - started
    client = app.test_client()
    queries = [rng.choice(places)[0] for _ in range(REQUESTS)]
    for postcode in queries[:10]:  # warm up: geocoder tables, connections, statement caches
        client.get(f"/api/v1/service_at_locations?postcode={postcode}&proximity=8000&per_page=50")
    timings, totals = [], []
    for postcode in queries:
        started = time.perf_counter()
        response = client.get(f"/api/v1/service_at_locations?postcode={postcode}&proximity=8000&per_page=50")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)
        totals.append(response.get_json()["total_items"])
    timings.sort()
    result = {
        "bench": "api_proximity",
        "database": label,
        "services": SERVICES,
        "requests": len(timings),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "max_ms": round(timings[-1], 1),
        "median_total_items": int(statistics.median(totals)),
        "build_s": round(built, 1),
    }
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(run(f"sqlite:///{tmp}/bench.sqlite", "sqlite")), flush=True)
    if os.environ.get("BENCH_DATABASE_URL"):
        print(json.dumps(run(os.environ["BENCH_DATABASE_URL"], "postgresql")), flush=True)


if __name__ == "__main__":
    main()
