"""Benchmark: matching one goal against a large directory, end to end in the engine.

    .venv/bin/python bench/matching.py                       # SQLite (a temporary file)
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_db .venv/bin/python bench/matching.py

Builds a directory of 50,000 services spread over Greater Manchester's real postcodes (seed/postcodes.csv),
puts a person in Manchester city centre with a 5-mile limit, and times `match_goal` for a specific need
and a broad one. Prints one JSON line per goal. The target is a median under 100 ms on a 2-core machine.
The database named by BENCH_DATABASE_URL is emptied and refilled: never point it at real data.
"""

import argparse
import csv
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from prescribing import create_app, geography  # noqa: E402
from prescribing.clock import utcnow  # noqa: E402
from prescribing.directory.models import (  # noqa: E402
    CostOption,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    TaxonomyTerm,
    service_taxonomy,
)
from prescribing.extensions import db  # noqa: E402
from prescribing.ids import new_id  # noqa: E402
from prescribing.matching import GoalQuery, Profile, match_goal  # noqa: E402

PERSON_POSTCODE = "M1 1AE"  # Manchester city centre
WORDS = ["walk", "chat", "tea", "garden", "sing", "craft", "friendly", "gentle", "group", "park", "canal", "cook"]
GOALS = [
    ("walking", "Go for a walk in the park with other people"),
    ("social-connection", "Meet people and have a chat over a cup of tea"),
]


def build(services: int, seed: int) -> None:
    """Fill an empty database with a random but realistic directory."""
    rng = random.Random(seed)
    db.drop_all()
    db.create_all()
    with (ROOT / "seed" / "taxonomy.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ids = {row["code"]: new_id() for row in rows}
    db.session.execute(
        insert(TaxonomyTerm),
        [
            {"id": ids[r["code"]], "code": r["code"], "name": r["name"], "parent_id": ids.get(r["parent_code"])}
            for r in rows
        ],
    )
    terms = [(ids[r["code"]], r["name"]) for r in rows]
    with (ROOT / "seed" / "postcodes.csv").open(newline="", encoding="utf-8") as f:
        postcodes = [(r["postcode"], float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(f)]
    organizations = [{"id": new_id(), "name": f"Organisation {n}", "description": ""} for n in range(services // 10)]
    db.session.execute(insert(Organization), organizations)
    now = utcnow()
    batch: dict[str, list] = {
        k: [] for k in ("service", "location", "sal", "terms", "schedule", "cost", "lang", "area")
    }

    def flush() -> None:
        for table, key in (
            (Service, "service"),
            (Location, "location"),
            (ServiceAtLocation, "sal"),
            (service_taxonomy, "terms"),
            (Schedule, "schedule"),
            (CostOption, "cost"),
            (ServiceLanguage, "lang"),
            (ServiceArea, "area"),
        ):
            if batch[key]:
                db.session.execute(insert(table), batch[key])
                batch[key].clear()
        db.session.commit()

    for n in range(services):
        service_id, organization = new_id(), rng.choice(organizations)["id"]
        remote = rng.random() < 0.05
        free = rng.random() < 0.8
        description = "A " + " ".join(rng.sample(WORDS, 4)) + " session for local people."
        chosen = rng.sample(terms, rng.choice([1, 1, 2, 3]))
        batch["service"].append(
            {
                "id": service_id,
                "organization_id": organization,
                "name": f"{chosen[0][1]} group {n}",
                "description": description,
                "status": rng.choices(["ACTIVE", "INACTIVE", "ARCHIVED"], [0.9, 0.05, 0.05])[0],
                "accepting": rng.choices(["YES", "WAITING_LIST", "NO"], [0.9, 0.07, 0.03])[0],
                "at_venue": not remote,
                "online": remote and rng.random() < 0.6,
                "by_phone": remote,
                "is_free": free,
                "minimum_age": rng.choice([None, None, 16, 18, 50]),
                "last_verified_at": now - timedelta(days=rng.randint(0, 400)),
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        for term_id, _ in chosen:
            batch["terms"].append({"service_id": service_id, "taxonomy_term_id": term_id})
        for _ in range(rng.choice([0, 1, 1, 2])):
            hour = rng.choice([9, 10, 11, 13, 14, 18, 19])
            batch["schedule"].append(
                {
                    "id": new_id(),
                    "service_id": service_id,
                    "byday_index": rng.randint(0, 6),
                    "opens_at": clock_time(hour),
                    "closes_at": clock_time(hour + 2),
                }
            )
        if not free:
            batch["cost"].append(
                {"id": new_id(), "service_id": service_id, "amount": rng.choice([2, 3, 5, 8]), "currency": "GBP"}
            )
        batch["lang"].append({"id": new_id(), "service_id": service_id, "name": "English"})
        if remote and rng.random() < 0.3:
            batch["area"].append(
                {"id": new_id(), "service_id": service_id, "outcode": rng.choice(["M1", "M13", "M33", "OL1"])}
            )
        if not remote:
            postcode, lat, lon = rng.choice(postcodes)
            location_id = new_id()
            batch["location"].append(
                {
                    "id": location_id,
                    "organization_id": organization,
                    "name": f"Venue {n}",
                    "postcode": postcode,
                    "outcode": postcode.split(" ")[0],
                    "latitude": lat,
                    "longitude": lon,
                    "geo_precision": "POSTCODE",
                    "step_free": rng.random() < 0.7,
                    "updated_at": now,
                    "version": 1,
                }
            )
            batch["sal"].append({"id": new_id(), "service_id": service_id, "location_id": location_id})
        if len(batch["service"]) >= 5000:
            flush()
    flush()


def person() -> Profile:
    place = geography.geocode_offline(PERSON_POSTCODE)
    return Profile(
        latitude=place.latitude,
        longitude=place.longitude,
        precise=place.precision == "postcode",
        outcode="M1",
        age=45,
        travel_miles=5.0,
        access_needs=frozenset({"step_free"}),
        free_slots=frozenset({(1, "morning"), (3, "morning"), (3, "afternoon"), (5, "morning")}),
        max_cost=5.0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    folder = None
    if not url:
        folder = tempfile.TemporaryDirectory()
        url = f"sqlite:///{folder.name}/bench.sqlite"
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        started = time.perf_counter()
        build(args.services, args.seed)
        built_s = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
        profile = person()
        for code, words in GOALS:
            goal = GoalQuery(db.session.scalar(select(TaxonomyTerm.id).where(TaxonomyTerm.code == code)), words)
            for _ in range(3):  # warm caches and the geocoder tables
                match_goal(db.session, profile, goal)
            timings = []
            for _ in range(args.runs):
                db.session.expire_all()
                started = time.perf_counter()
                result = match_goal(db.session, profile, goal)
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            print(
                json.dumps(
                    {
                        "bench": "matching",
                        "database": db.engine.dialect.name,
                        "services": args.services,
                        "person": PERSON_POSTCODE,
                        "limit_miles": profile.travel_miles,
                        "goal": code,
                        "runs": args.runs,
                        "median_ms": round(statistics.median(timings), 1),
                        "p90_ms": round(timings[int(len(timings) * 0.9) - 1], 1),
                        "min_ms": round(timings[0], 1),
                        "candidates": result.considered,
                        "matches": len(result.matches),
                        "build_s": round(built_s, 1),
                    }
                ),
                flush=True,
            )
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    if folder:
        folder.cleanup()


if __name__ == "__main__":
    main()
