"""Demo data for Trafford: one PCN, three practices, one user per role, the needs
taxonomy and a directory built from open data (see seed/README.md). Idempotent."""

import csv
import zlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from prescribing.accounts.services import create_user
from prescribing.auth.models import AppUser, Role
from prescribing.config import ROOT
from prescribing.demo.people import seed_people, seed_referrals
from prescribing.directory.importer import import_rows, read_rows
from prescribing.directory.models import Organization, Service, Taxonomy, TaxonomyTerm
from prescribing.extensions import db
from prescribing.practices.models import Pcn, Practice

SEED = ROOT / "seed"
DEMO_PASSWORD = "demo-password-2026"
NEEDS_TAXONOMY = "Social prescribing needs"
# Fictional PCN and practices with ODS-style codes (Trafford practices' codes start P91).
DEMO_PCN = {
    "ods_code": "U91901",
    "name": "Sale and Altrincham PCN (demo)",
    "link_worker_team_phone": "0161 496 0000",
    "link_worker_team_email": "linkworkers@example.org",
}
DEMO_PRACTICES = [
    {"ods_code": "P91901", "name": "Brooklands Medical Practice (demo)", "postcode": "M33 3SA"},
    {"ods_code": "P91902", "name": "Altrincham Health Centre (demo)", "postcode": "WA14 1PF"},
    {"ods_code": "P91903", "name": "Timperley Family Practice (demo)", "postcode": "WA15 6JU"},
]


@dataclass(frozen=True)
class DemoUser:
    role: Role
    email: str
    name: str


DEMO_USERS = [
    DemoUser(Role.LINK_WORKER, "link.worker@demo.example", "Lena Walker"),
    DemoUser(Role.CLINICIAN, "clinician@demo.example", "Dr Chidi Okafor"),
    DemoUser(Role.ORG_EDITOR, "org.editor@demo.example", "Omar Edwards"),
    DemoUser(Role.COORDINATOR, "coordinator@demo.example", "Cara Oduya"),
    DemoUser(Role.COMMISSIONER, "commissioner@demo.example", "Colm Murphy"),
]


def seed_taxonomy() -> int:
    """Load the needs taxonomy from seed/taxonomy.csv (adds what is missing)."""
    taxonomy = db.session.scalar(select(Taxonomy).where(Taxonomy.name == NEEDS_TAXONOMY))
    if taxonomy is None:
        taxonomy = Taxonomy(
            name=NEEDS_TAXONOMY,
            description="Needs that social prescribing addresses, as link workers record them in goals.",
            version="1.0",
        )
        db.session.add(taxonomy)
    with (SEED / "taxonomy.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    existing = {t.code: t for t in db.session.scalars(select(TaxonomyTerm))}
    for row in rows:  # parents come before children in the file
        term = existing.get(row["code"])
        if term is None:
            term = TaxonomyTerm(code=row["code"])
            db.session.add(term)
            existing[row["code"]] = term
        term.name, term.description, term.taxonomy = row["name"], row["description"], taxonomy
        term.parent = existing.get(row["parent_code"]) if row["parent_code"] else None
    db.session.commit()
    return len(rows)


def seed_pcn() -> Pcn:
    pcn = db.session.scalar(select(Pcn).where(Pcn.ods_code == DEMO_PCN["ods_code"]))
    if pcn is None:
        pcn = Pcn(**DEMO_PCN)
        db.session.add(pcn)
        db.session.flush()
    for data in DEMO_PRACTICES:
        if db.session.scalar(select(Practice).where(Practice.ods_code == data["ods_code"])) is None:
            db.session.add(Practice(pcn_id=pcn.id, **data))
    db.session.commit()
    return pcn


def seed_directory() -> int:
    existing = set(db.session.scalars(select(Service.source_ref)))
    report = import_rows(read_rows(SEED / "demo_directory.csv"))
    if report.problems:
        raise RuntimeError(f"demo directory has bad rows: {report.problems[:3]}")
    _spread_confirmations(existing)
    return report.rows


def _spread_confirmations(existing_refs: set) -> None:
    """Give new demo listings believable ages (0 to 260 days since confirmed), so some are
    stale or nearly stale and the reminders and stale-listings pages have something to show.

    Only listings this run created are touched, so running seed-demo again changes nothing.
    """
    for service in db.session.scalars(select(Service).where(Service.source_ref.is_not(None))):
        if service.source_ref in existing_refs:
            continue
        days = zlib.crc32(service.source_ref.encode()) % 261
        service.last_verified_at = service.created_at - timedelta(days=days)
    db.session.commit()


def _demo_organization() -> Organization:
    """The organisation with the most listings, so the demo editor has plenty to edit."""
    return db.session.scalar(
        select(Organization)
        .join(Service)
        .group_by(Organization.id)
        .order_by(func.count(Service.id).desc(), Organization.name)
        .limit(1)
    )


def seed_users(pcn: Pcn) -> list[AppUser]:
    practice = db.session.scalar(select(Practice).where(Practice.ods_code == DEMO_PRACTICES[0]["ods_code"]))
    organization = _demo_organization()
    scopes = {
        Role.LINK_WORKER: {"pcn_id": pcn.id},
        Role.COORDINATOR: {"pcn_id": pcn.id},
        Role.CLINICIAN: {"practice_id": practice.id},
        Role.ORG_EDITOR: {"organization_id": organization.id, "pcn_id": pcn.id},
        Role.COMMISSIONER: {},
    }
    users = []
    for demo in DEMO_USERS:
        user = db.session.scalar(select(AppUser).where(AppUser.email == demo.email))
        if user is None:
            user = create_user(
                email=demo.email,
                name=demo.name,
                role=demo.role,
                password=DEMO_PASSWORD,
                is_demo=True,
                **scopes[demo.role],
            )
        users.append(user)
    return users


# Fictional people. NHS numbers are from the 999 range, valid by Modulus 11 and never issued.
def seed_demo() -> dict:
    """Load everything; running it again changes nothing that is already there."""
    terms = seed_taxonomy()
    pcn = seed_pcn()
    rows = seed_directory()
    users = seed_users(pcn)
    link_worker = next(user for user in users if user.role == Role.LINK_WORKER)
    people_added = seed_people(pcn, link_worker)
    referrals_added = seed_referrals(pcn, link_worker, _demo_organization())
    return {
        "taxonomy_terms": terms,
        "directory_rows": rows,
        "users": len(users),
        "people_added": people_added,
        "referrals_added": referrals_added,
    }
