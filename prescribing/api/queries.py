"""The open API's database reads: only active listings of organisations that are not archived,
filtered in SQL, paged, and loaded with what the response needs in a few queries.

Nothing here reads people, referrals, users or moderation: only directory tables.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from prescribing.api import proximity
from prescribing.api.params import Page, ParameterError, ServiceFilters
from prescribing.directory import search_index
from prescribing.directory.models import (
    ListingRevision,
    ListingStatus,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    service_taxonomy,
)


@dataclass
class Found:
    total: int
    items: list


def published() -> list:
    """Listings the public may see: active, from an organisation that is not archived."""
    return [Service.status == ListingStatus.ACTIVE, Organization.status != ListingStatus.ARCHIVED]


def full_service() -> tuple:
    """Loader options for a fully nested service (built on use: the mappers must be configured)."""
    return (
        selectinload(Service.organization),
        selectinload(Service.locations_at).selectinload(ServiceAtLocation.location),
        selectinload(Service.schedules),
        selectinload(Service.cost_options),
        selectinload(Service.languages),
        selectinload(Service.areas),
        selectinload(Service.contacts),
        selectinload(Service.terms).selectinload(TaxonomyTerm.taxonomy),
    )


# Filters -----------------------------------------------------------------------------------


def service_conditions(session, filters: ServiceFilters) -> list:
    """SQL conditions on Service (and Organization): published, and every filter given."""
    return published() + filter_conditions(session, filters)


def filter_conditions(session, filters: ServiceFilters) -> list:
    """SQL conditions on Service (and Organization) for every filter given."""
    conditions = []
    if filters.search:
        conditions.append(search_condition(session, filters.search))
    if filters.taxonomy_term_ids:
        terms = with_descendants(session, filters.taxonomy_term_ids)
        conditions.append(
            Service.id.in_(select(service_taxonomy.c.service_id).where(service_taxonomy.c.taxonomy_term_id.in_(terms)))
        )
    if filters.taxonomy_id:
        if session.get(Taxonomy, filters.taxonomy_id) is None:
            raise ParameterError("taxonomy_id", f"taxonomy_id {filters.taxonomy_id} is not a taxonomy here")
        conditions.append(
            Service.id.in_(
                select(service_taxonomy.c.service_id)
                .join(TaxonomyTerm, TaxonomyTerm.id == service_taxonomy.c.taxonomy_term_id)
                .where(TaxonomyTerm.taxonomy_id == filters.taxonomy_id)
            )
        )
    if filters.organization_id:
        if session.get(Organization, filters.organization_id) is None:
            raise ParameterError(
                "organization_id", f"organization_id {filters.organization_id} is not an organization here"
            )
        conditions.append(Service.organization_id == filters.organization_id)
    # As the ORUK document defines them: a service whose own minimum age is at least the value
    # given (no minimum counts as 0), and whose maximum age is at most the value given.
    if filters.minimum_age is not None:
        conditions.append(func.coalesce(Service.minimum_age, 0) >= filters.minimum_age)
    if filters.maximum_age is not None:
        conditions.append(and_(Service.maximum_age.is_not(None), Service.maximum_age <= filters.maximum_age))
    session_conditions = []
    if filters.day is not None:
        session_conditions.append(Schedule.byday_index == filters.day)
    if filters.start_time is not None:
        session_conditions.append(Schedule.opens_at >= filters.start_time)
    if filters.end_time is not None:
        session_conditions.append(Schedule.closes_at <= filters.end_time)
    if session_conditions:
        # One session must meet all of them: "Tuesday from 18:00" is not Tuesday morning plus a Friday evening.
        conditions.append(exists().where(Schedule.service_id == Service.id, *session_conditions))
    if filters.modified_after is not None:
        conditions.append(modified_since(filters.modified_after))
    return conditions


def search_condition(session, text: str):
    """Services whose name, organisation or description match every word (the full-text index)."""
    terms = search_index.keyword_terms(text)
    if not terms:
        raise ParameterError(
            "search", "search must contain a word to look for (common words such as 'the' are left out)"
        )
    matches = search_index.keyword_matches(session.get_bind().dialect.name, terms).subquery()
    return Service.id.in_(select(matches.c.service_id))


def with_descendants(session, term_ids: Iterable[str]) -> set[str]:
    """The terms asked for and every term below them (a search for a need finds its kinds)."""
    parents = dict(session.execute(select(TaxonomyTerm.id, TaxonomyTerm.parent_id)).all())
    wanted = set()
    for term_id in term_ids:
        if term_id not in parents:
            raise ParameterError("taxonomy_term_id", f"taxonomy_term_id {term_id} is not a taxonomy term here")
        wanted.add(term_id)
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        if parent:
            children.setdefault(parent, []).append(child)
    stack = list(wanted)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in wanted:
                wanted.add(child)
                stack.append(child)
    return wanted


def modified_since(moment: datetime):
    """The service, its organisation, one of its locations or its history changed at or after `moment`."""
    return or_(
        Service.updated_at >= moment,
        Organization.updated_at >= moment,
        exists()
        .where(ServiceAtLocation.service_id == Service.id, Location.id == ServiceAtLocation.location_id)
        .where(Location.updated_at >= moment),
        exists().where(ListingRevision.service_id == Service.id, ListingRevision.at >= moment),
    )


def hidden_service_ids() -> list:
    """Services the public may not see (the complement of `published`), as short id lists.

    Two lists rather than one OR, so each is read through an index.
    """
    return [
        select(Service.id).where(Service.status.in_([s for s in ListingStatus if s != ListingStatus.ACTIVE])),
        select(Service.id).where(
            Service.organization_id.in_(select(Organization.id).where(Organization.status == ListingStatus.ARCHIVED))
        ),
    ]


def services_elsewhere(outcode: str):
    """Services that name their areas and this postcode district is not one of them."""
    return select(ServiceArea.service_id).where(
        ServiceArea.service_id.not_in(select(ServiceArea.service_id).where(ServiceArea.outcode == outcode))
    )


def covers_area(outcode: str):
    """The service serves this postcode district, or names no areas (so serves everyone)."""
    return or_(
        ~exists().where(ServiceArea.service_id == Service.id),
        exists().where(ServiceArea.service_id == Service.id, ServiceArea.outcode == outcode),
    )


# Services -------------------------------------------------------------------------------------


def find_services(session, filters: ServiceFilters, page: Page, *, full: bool = False) -> Found:
    conditions = service_conditions(session, filters)
    ids = select(Service.id).join(Organization, Organization.id == Service.organization_id).where(*conditions)
    total = session.scalar(select(func.count()).select_from(ids.subquery()))
    page_ids = session.scalars(ids.order_by(Service.name, Service.id).offset(page.offset).limit(page.size)).all()
    return Found(total, load_services(session, page_ids, full=full))


def load_services(session, ids: list[str], *, full: bool) -> list[Service]:
    if not ids:
        return []
    options = full_service() if full else (selectinload(Service.organization),)
    found = {s.id: s for s in session.scalars(select(Service).where(Service.id.in_(ids)).options(*options))}
    return [found[i] for i in ids if i in found]


def get_service(session, service_id: str) -> Service | None:
    return session.scalar(
        select(Service)
        .join(Organization, Organization.id == Service.organization_id)
        .where(Service.id == service_id, *published())
        .options(*full_service())
    )


# Service at locations -------------------------------------------------------------------------


def find_service_at_locations(session, filters: ServiceFilters, page: Page) -> Found:
    conditions = service_conditions(session, filters)
    outcode = filters.postcode.split(" ")[0] if filters.postcode else None
    if outcode:
        conditions.append(covers_area(outcode))
    if filters.proximity_metres is not None and filters.place is not None:
        # The box scan joins only location and service_at_location: which services to leave
        # out (few) and, when filters are given, which to keep, come as lists of service ids.
        keep = [ServiceAtLocation.service_id.not_in(hidden) for hidden in hidden_service_ids()]
        if outcode:
            keep.append(ServiceAtLocation.service_id.not_in(services_elsewhere(outcode)))
        chosen = filter_conditions(session, filters)
        if chosen:
            keep.append(
                ServiceAtLocation.service_id.in_(
                    select(Service.id).join(Organization, Organization.id == Service.organization_id).where(*chosen)
                )
            )
        nearby = proximity.nearest_page(
            session,
            filters.place,
            filters.proximity_metres,
            keep=keep,
            where=conditions,
            offset=page.offset,
            limit=page.size,
        )
        return Found(nearby.total, load_service_at_locations(session, nearby.ids))
    ids_query = (
        select(ServiceAtLocation.id)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .join(Organization, Organization.id == Service.organization_id)
        .where(*conditions)
    )
    total = session.scalar(select(func.count()).select_from(ids_query.subquery()))
    ids = session.scalars(
        ids_query.order_by(Service.name, ServiceAtLocation.id).offset(page.offset).limit(page.size)
    ).all()
    return Found(total, load_service_at_locations(session, ids))


def load_service_at_locations(session, ids: list[str], *, full: bool = False) -> list[ServiceAtLocation]:
    if not ids:
        return []
    service_options = full_service() if full else (selectinload(Service.organization),)
    found = {
        sal.id: sal
        for sal in session.scalars(
            select(ServiceAtLocation)
            .where(ServiceAtLocation.id.in_(ids))
            .options(
                selectinload(ServiceAtLocation.location),
                selectinload(ServiceAtLocation.service).options(*service_options),
            )
        )
    }
    return [found[i] for i in ids if i in found]


def get_service_at_location(session, sal_id: str) -> ServiceAtLocation | None:
    found_id = session.scalar(
        select(ServiceAtLocation.id)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .join(Organization, Organization.id == Service.organization_id)
        .where(ServiceAtLocation.id == sal_id, *published())
    )
    if found_id is None:
        return None
    return load_service_at_locations(session, [found_id], full=True)[0]


# Last modified --------------------------------------------------------------------------------


def last_modified(session, services: list[Service]) -> dict[str, datetime]:
    """When each service or anything about it last changed: its row, organisation, venues, history."""
    if not services:
        return {}
    ids = [s.id for s in services]
    result = {s.id: max(s.updated_at, s.organization.updated_at) for s in services}
    venue_rows = session.execute(
        select(ServiceAtLocation.service_id, func.max(Location.updated_at))
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id.in_(ids))
        .group_by(ServiceAtLocation.service_id)
    )
    revision_rows = session.execute(
        select(ListingRevision.service_id, func.max(ListingRevision.at))
        .where(ListingRevision.service_id.in_(ids))
        .group_by(ListingRevision.service_id)
    )
    for service_id, at in [*venue_rows, *revision_rows]:
        if at is not None and at > result[service_id]:
            result[service_id] = at
    return result


# Taxonomies -----------------------------------------------------------------------------------


def find_taxonomies(session, page: Page) -> Found:
    total = session.scalar(select(func.count()).select_from(Taxonomy))
    items = session.scalars(
        select(Taxonomy).order_by(Taxonomy.name, Taxonomy.id).offset(page.offset).limit(page.size)
    ).all()
    return Found(total, list(items))


def get_taxonomy(session, taxonomy_id: str) -> Taxonomy | None:
    return session.scalar(select(Taxonomy).where(Taxonomy.id == taxonomy_id).options(selectinload(Taxonomy.terms)))


def find_taxonomy_terms(session, page: Page) -> Found:
    total = session.scalar(select(func.count()).select_from(TaxonomyTerm))
    items = session.scalars(
        select(TaxonomyTerm)
        .options(selectinload(TaxonomyTerm.taxonomy))
        .order_by(TaxonomyTerm.name, TaxonomyTerm.id)
        .offset(page.offset)
        .limit(page.size)
    ).all()
    return Found(total, list(items))


def get_taxonomy_term(session, term_id: str) -> TaxonomyTerm | None:
    return session.scalar(
        select(TaxonomyTerm).where(TaxonomyTerm.id == term_id).options(selectinload(TaxonomyTerm.taxonomy))
    )
