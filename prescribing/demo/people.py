"""Fictional people for the demo: NHS numbers from the 999 test range, episodes, plans,
goals and referrals in several states, so every link worker page has something to show.
Idempotent."""

from datetime import date, timedelta

from sqlalchemy import select

from prescribing import geography
from prescribing.auth.models import AppUser, Role
from prescribing.clock import utcnow
from prescribing.directory.models import Organization, Service, TaxonomyTerm
from prescribing.extensions import db
from prescribing.matching import match_goal
from prescribing.plans import people
from prescribing.plans import services as plan_services
from prescribing.plans.models import ContactPreference, EpisodeSource, Person, Sex, StepOwner
from prescribing.plans.people import profile_for
from prescribing.practices.models import Pcn, Practice

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


def seed_people(pcn: Pcn, link_worker: AppUser) -> int:
    """Fictional people with episodes, plans and goals for the demo link worker (adds only who is missing)."""
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


def seed_referrals(pcn: Pcn, link_worker: AppUser, organization: Organization) -> int:
    """Referrals from demo people to the demo organisation, in various states (adds only who has none)."""
    from prescribing.referrals import services as referral_services
    from prescribing.referrals.lifecycle import Actor
    from prescribing.referrals.models import Referral

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
