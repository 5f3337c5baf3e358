"""Benchmark: an organisation's referral inbox and a link worker's caseload with 1,000,000 referrals.

Builds a throwaway database (a SQLite temporary file; also PostgreSQL when BENCH_DATABASE_URL is set,
which it empties first): one PCN of 8 practices, 20,000 people with episodes, 2,000 organisations with
5,000 services, and BENCH_REFERRALS referrals (default 1,000,000) spread over the last two years, most
of them in final states as real ones would be. Then times GET /referrals (an org editor) and
GET /caseload (a link worker) in-process with the Flask test client. Prints one JSON line per page
and database. Target: median under 200 ms.

    .venv/bin/python bench/referral_pages.py
    BENCH_REFERRALS=100000 .venv/bin/python bench/referral_pages.py
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python bench/referral_pages.py

Not a test: timings depend on the machine. The database is emptied and refilled: never point it at real data.
Referral events are not generated (neither page reads them).
"""

import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from prescribing import create_app  # noqa: E402
from prescribing.auth.models import AppUser, Role  # noqa: E402
from prescribing.directory.models import ListingStatus, Organization, Service  # noqa: E402
from prescribing.extensions import db  # noqa: E402
from prescribing.plans.models import Episode, EpisodeSource, Person  # noqa: E402
from prescribing.practices.models import Pcn, Practice  # noqa: E402
from prescribing.referrals.models import Referral  # noqa: E402

REFERRALS = int(os.environ.get("BENCH_REFERRALS", "1000000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))
PEOPLE = 20_000
ORGANISATIONS = 2_000
SERVICES = 5_000
# Final states dominate; a few are waiting or in progress, as in a service that has run for two years.
STATES = [
    ("finished", 30),
    ("declined", 12),
    ("expired", 8),
    ("withdrawn", 8),
    ("did_not_attend", 6),
    ("attending", 16),
    ("first_attended", 4),
    ("accepted", 6),
    ("waiting_list", 4),
    ("sent", 6),
]


def new_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128)))


def fill(rng: random.Random) -> tuple[int, int]:
    now = datetime.now(UTC).replace(tzinfo=None)
    pcn = Pcn(name="Bench PCN", ods_code="U99999")
    db.session.add(pcn)
    db.session.flush()
    practices = [
        Practice(pcn_id=pcn.id, name=f"Practice {n}", ods_code=f"P{n:05d}", postcode="M33 3SA") for n in range(8)
    ]
    db.session.add_all(practices)
    db.session.flush()
    worker = AppUser(email="worker@bench.example", name="Worker", role=Role.LINK_WORKER, pcn_id=pcn.id)
    db.session.add(worker)
    orgs = [{"id": new_id(rng), "name": f"Organisation {n}", "description": ""} for n in range(ORGANISATIONS)]
    db.session.execute(insert(Organization), [{**o, "status": ListingStatus.ACTIVE} for o in orgs])
    services = [
        {
            "id": new_id(rng),
            "organization_id": orgs[n % ORGANISATIONS]["id"],
            "name": f"Group {n}",
            "status": ListingStatus.ACTIVE,
        }
        for n in range(SERVICES)
    ]
    db.session.execute(insert(Service), services)
    editor = AppUser(email="editor@bench.example", name="Editor", role=Role.ORG_EDITOR, organization_id=orgs[0]["id"])
    db.session.add(editor)
    db.session.flush()
    people, episodes = [], []
    for n in range(PEOPLE):
        person_id, episode_id = new_id(rng), new_id(rng)
        practice = practices[n % len(practices)]
        people.append(
            {
                "id": person_id,
                "pcn_id": pcn.id,
                "practice_id": practice.id,
                "given_name": f"Given{n}",
                "family_name": f"Family{n}",
            }
        )
        opened = date.today() - timedelta(days=rng.randint(0, 730))
        closed = None if n % 20 == 0 else opened + timedelta(days=90)
        episodes.append(
            {
                "id": episode_id,
                "person_id": person_id,
                "source": EpisodeSource.GP,
                "link_worker_id": worker.id,
                "opened_on": opened,
                "closed_on": closed if closed and closed < date.today() else None,
            }
        )
    db.session.execute(insert(Person), people)
    db.session.execute(insert(Episode), episodes)
    weights = [w for _, w in STATES]
    names = [s for s, _ in STATES]
    batch = 20_000
    for start in range(0, REFERRALS, batch):
        rows = []
        for _ in range(start, min(start + batch, REFERRALS)):
            k = rng.randrange(PEOPLE)
            state = rng.choices(names, weights)[0]
            sent = now - timedelta(days=rng.uniform(0, 730))
            if state in ("sent",):
                sent = now - timedelta(days=rng.uniform(0, 14))
            # The bench editor's organisation gets its share through service index 0..
            service = services[rng.randrange(SERVICES)]
            rows.append(
                {
                    "id": new_id(rng),
                    "pcn_id": pcn.id,
                    "practice_id": people[k]["practice_id"],
                    "person_id": people[k]["id"],
                    "episode_id": episodes[k]["id"],
                    "service_id": service["id"],
                    "referred_by_id": worker.id,
                    "created_at": sent,
                    "sent_at": sent,
                    "status": state,
                    "answered_at": None if state in ("sent", "expired") else sent + timedelta(days=3),
                    "first_attended_on": (sent + timedelta(days=10)).date()
                    if state in ("first_attended", "attending", "finished")
                    else None,
                    "shared_note": "",
                }
            )
        db.session.execute(insert(Referral), rows)
    db.session.commit()
    return worker.id, editor.id


def sign_in(client, user_id: int) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:1"
        session["_fresh"] = True
        session["last_seen"] = datetime.now(UTC).timestamp()


def timed(client, path: str) -> list[float]:
    for _ in range(3):
        assert client.get(path).status_code == 200
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return sorted(timings)


def run(url: str, label: str) -> list[dict]:
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url})
    rng = random.Random(5)
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        worker_id, editor_id = fill(rng)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        built = time.perf_counter() - started
    results = []
    for page, user_id in (("/referrals", editor_id), ("/caseload", worker_id)):
        client = app.test_client()
        sign_in(client, user_id)
        timings = timed(client, page)
        results.append(
            {
                "bench": "referral_pages",
                "page": page,
                "database": label,
                "referrals": REFERRALS,
                "requests": len(timings),
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
                "build_s": round(built, 1),
            }
        )
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return results


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for line in run(f"sqlite:///{tmp}/bench.sqlite", "sqlite"):
            print(json.dumps(line), flush=True)
    if os.environ.get("BENCH_DATABASE_URL"):
        for line in run(os.environ["BENCH_DATABASE_URL"], "postgresql"):
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
