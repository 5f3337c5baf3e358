"""Demo data for Trafford: one PCN, three practices, one user per role, the needs
taxonomy and a directory built from open data (see seed/README.md). Idempotent."""

import csv
import zlib
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from prescribing import geography
from prescribing.accounts.services import create_user
from prescribing.auth.models import AppUser, Role
from prescribing.clock import utcnow
from prescribing.config import ROOT
from prescribing.directory.importer import import_rows, read_rows
from prescribing.directory.models import Organization, Service, Taxonomy, TaxonomyTerm
from prescribing.extensions import db
from prescribing.matching import match_goal
from prescribing.plans import people
from prescribing.plans import services as plan_services
from prescribing.plans.models import ContactPreference, EpisodeSource, Person, Sex, StepOwner
from prescribing.plans.people import profile_for
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
DEMO_PEOPLE = [
    {
        "person": {
            "given_name": "Margaret",
            "family_name": "Holt",
            "date_of_birth": date(1948, 3, 12),
            "nhs_number": "9990000042",
            "practice": "P91901",
            "postcode": "M33 7AB",
            "phone": "07700 900123",
            "contact_preference": "phone",
            "access_needs": ["step_free", "accessible_toilet"],
            "free_slots": ["1-morning", "3-morning", "3-afternoon"],
            "travel_miles": 1.0,
            "travel_modes": ["walk", "bus"],
            "max_cost": 0.0,
            "wants_company": True,
            "sex": "female",
            "ethnic_category": "A",
        },
        "source": "gp",
        "opened_days_ago": 60,
        "what_matters": "Since my husband died I hardly leave the house. I want to have people to talk to again.",
        "strengths": "Good with her hands; used to sing in a choir; her neighbour checks in on her.",
        "goals": [
            ("Meet people my own age for a cup of tea and a chat", "social-groups", 1, [3, 5], True),
            ("Walk to the shops and back without stopping", "walking", 2, [2], False),
        ],
    },
    {
        "person": {
            "given_name": "Daniel",
            "family_name": "Okoro",
            "date_of_birth": date(1985, 9, 30),
            "nhs_number": "9990000050",
            "practice": "P91901",
            "postcode": "M33 6GS",
            "email": "daniel.okoro@example.com",
            "contact_preference": "email",
            "free_slots": [f"{d}-{p}" for d in range(5) for p in ("morning", "afternoon")],
            "travel_miles": 3.0,
            "travel_modes": ["bus", "walk"],
            "max_cost": 2.0,
            "sex": "male",
            "ethnic_category": "N",
        },
        "source": "practice_staff",
        "opened_days_ago": 21,
        "what_matters": "Getting on top of my money worries so I can sleep, and getting back into a routine.",
        "strengths": "Organised, was a warehouse supervisor, keen to learn.",
        "goals": [
            ("Sort out my debts so I can sleep at night", "debt-advice", 1, [], False),
            ("Find some volunteering to get me out of the flat every week", "volunteering", 2, [], False),
        ],
    },
    {
        "person": {
            "given_name": "Priya",
            "family_name": "Shah",
            "date_of_birth": date(1972, 1, 8),
            "nhs_number": "9990000069",
            "practice": "P91902",
            "postcode": "WA14 5AZ",
            "phone": "07700 900456",
            "contact_preference": "text",
            "free_slots": ["0-evening", "2-evening", "5-morning"],
            "travel_miles": 5.0,
            "travel_modes": ["car"],
            "sex": "female",
            "ethnic_category": "H",
        },
        "source": "self",
        "opened_days_ago": 120,
        "what_matters": "Caring for my mum is full time. I need some time that is just for me.",
        "strengths": "Determined; close to her sister; enjoys painting.",
        "goals": [
            ("Have a couple of hours a week for myself while caring for Mum", "carers-support", 1, [3, 4, 6], False),
        ],
    },
    {
        "person": {
            "given_name": "Aisha",
            "family_name": "Rahman",
            "date_of_birth": date(1966, 11, 2),
            "nhs_number": "9990000077",
            "practice": "P91903",
            "postcode": "M32 0JP",
            "contact_preference": "phone",
            "phone": "07700 900789",
            "language": "Urdu",
            "needs_interpreter": True,
            "free_slots": ["1-morning", "2-morning", "3-morning"],
            "travel_miles": 2.0,
            "travel_modes": ["bus"],
            "max_cost": 0.0,
            "sex": "female",
            "ethnic_category": "J",
        },
        "source": "clinician_request",
        "opened_days_ago": 10,
        "what_matters": "I want to go out on my own and talk to people without my son translating.",
        "strengths": "Warm and sociable; a good cook.",
        "goals": [("Meet other women and practise my English", "english-language", 1, [], False)],
    },
]


def seed_people(pcn: Pcn) -> int:
    """Fictional people with episodes, plans and goals for the demo link worker (adds only who is missing)."""
    link_worker = db.session.scalar(select(AppUser).where(AppUser.email == DEMO_USERS[0].email))
    practices = {p.ods_code: p for p in db.session.scalars(select(Practice).where(Practice.pcn_id == pcn.id))}
    terms = {t.code: t for t in db.session.scalars(select(TaxonomyTerm))}
    geocoder = geography.Geocoder("offline")
    today = utcnow().date()
    added = 0
    for demo in DEMO_PEOPLE:
        data = dict(demo["person"])
        if db.session.scalar(select(Person).where(Person.pcn_id == pcn.id, Person.nhs_number == data["nhs_number"])):
            continue
        data["practice_id"] = practices[data.pop("practice")].id
        data["contact_preference"] = ContactPreference(data["contact_preference"])
        data["sex"] = Sex(data.get("sex", "not_stated"))
        person = people.create_person(user=link_worker, data=data, geocoder=geocoder)
        opened = today - timedelta(days=demo["opened_days_ago"])
        episode = plan_services.open_episode(
            user=link_worker,
            person=person,
            source=EpisodeSource(demo["source"]),
            opened_on=opened,
            link_worker_id=link_worker.id,
        )
        plan_services.update_plan(
            user=link_worker, plan=episode.plan, what_matters=demo["what_matters"], strengths=demo["strengths"]
        )
        for own_words, code, priority, scores, refer in demo["goals"]:
            goal = plan_services.add_goal(
                user=link_worker,
                plan=episode.plan,
                own_words=own_words,
                need_term_id=terms[code].id,
                priority=priority,
                target_on=today + timedelta(days=90),
                agreed_on=opened,
            )
            plan_services.add_step(
                user=link_worker,
                goal=goal,
                owner=StepOwner.PERSON,
                what="Think about which days suit best",
                due_on=None,
            )
            plan_services.add_step(
                user=link_worker,
                goal=goal,
                owner=StepOwner.LINK_WORKER,
                what="Find groups nearby and ring to check times",
                due_on=opened + timedelta(days=14),
            )
            for weeks, score in enumerate(scores, start=2):
                plan_services.review_goal(
                    user=link_worker,
                    goal=goal,
                    score=score,
                    note="Reviewed together.",
                    reviewed_on=min(today, opened + timedelta(weeks=weeks)),
                )
            if refer:
                best = match_goal(db.session, profile_for(person, today), goal).at_free_times
                if best:
                    plan_services.start_referral(
                        user=link_worker, person=person, goal=goal, service_id=best[0].service_id
                    )
        added += 1
    return added


# What the demo organisation has done with each demo person's referral, so the inbox, the
# register and the caseload all show something.
DEMO_REFERRAL_STEPS = [
    [],
    [("accepted", None)],
    [("accepted", None), ("came", None)],
    [("accepted", None), ("missed", None)],
    [("declined", "no_capacity")],
]


def seed_referrals(pcn: Pcn) -> int:
    """Referrals from demo people to the demo organisation, in various states (adds only who has none)."""
    from prescribing.referrals import services as referral_services
    from prescribing.referrals.lifecycle import Actor
    from prescribing.referrals.models import Referral

    organization = _demo_organization()
    link_worker = db.session.scalar(select(AppUser).where(AppUser.email == DEMO_USERS[0].email))
    editor = db.session.scalar(
        select(AppUser).where(AppUser.organization_id == organization.id, AppUser.role == Role.ORG_EDITOR)
    )
    if organization is None or link_worker is None or editor is None:
        return 0
    services = list(
        db.session.scalars(
            select(Service)
            .where(
                Service.organization_id == organization.id, Service.status == "active", Service.signpost_only.is_(False)
            )
            .order_by(Service.name)
            .limit(len(DEMO_REFERRAL_STEPS))
        )
    )
    if not services:
        return 0
    org_services = select(Service.id).where(Service.organization_id == organization.id)
    people_list = db.session.scalars(
        select(Person).where(Person.pcn_id == pcn.id).order_by(Person.family_name, Person.given_name)
    ).all()
    added = 0
    for n, person in enumerate(people_list):
        episode = person.open_episode()
        if episode is None or not episode.plan or not episode.plan.current_goals():
            continue
        if db.session.scalar(
            select(Referral.id).where(Referral.person_id == person.id, Referral.service_id.in_(org_services)).limit(1)
        ):
            continue
        referral = referral_services.create_referral(
            person=person,
            episode=episode,
            goal=episode.plan.current_goals()[0],
            service=services[n % len(services)],
            user=link_worker,
            consent=referral_services.Consent(name=True, contact=True, need=True),
        )
        for step, reason in DEMO_REFERRAL_STEPS[n % len(DEMO_REFERRAL_STEPS)]:
            if step in ("came", "missed"):
                referral_services.record_attendance(
                    referral=referral,
                    user=editor,
                    actor=Actor.ORGANISATION,
                    session_on=utcnow().date(),
                    came=step == "came",
                    expected_version=referral.version,
                )
            else:
                referral_services.change_state(
                    referral=referral,
                    user=editor,
                    actor=Actor.ORGANISATION,
                    to=step,
                    reason=reason,
                    expected_version=referral.version,
                )
        added += 1
    return added


def seed_demo() -> dict:
    """Load everything; running it again changes nothing that is already there."""
    terms = seed_taxonomy()
    pcn = seed_pcn()
    rows = seed_directory()
    users = seed_users(pcn)
    people_added = seed_people(pcn)
    referrals_added = seed_referrals(pcn)
    return {
        "taxonomy_terms": terms,
        "directory_rows": rows,
        "users": len(users),
        "people_added": people_added,
        "referrals_added": referrals_added,
    }
