"""Full-text search: SQLite FTS5 / PostgreSQL tsvector, kept in step by triggers."""

import pytest
from sqlalchemy import select, text

from prescribing.directory.models import ListingStatus, Service
from prescribing.directory.search import SearchQuery, search_services
from prescribing.directory.search_index import (
    create_search_index,
    keyword_matches,
    keyword_terms,
    refresh_search_index,
)
from prescribing.extensions import db
from tests.factories import make_organization, make_service


def found(keywords: str, **query) -> list[str]:
    page = search_services(db.session, SearchQuery(keywords=keywords, **query))
    return [result.service.name for result in page.results]


def index_size() -> int:
    dialect = db.engine.dialect.name
    name = "service_search_doc" if dialect == "sqlite" else "service_search"
    return db.session.scalar(text(f"SELECT count(*) FROM {name}"))  # noqa: S608 - a constant table name


def test_finds_a_service_by_a_word_in_its_description():
    make_service(name="Tuesday club", description="Gentle chair-based exercise and a cup of tea.")
    make_service(name="Money matters", description="Help with debts and benefits.")
    assert found("exercise") == ["Tuesday club"]


def test_word_forms_match_by_stem():
    make_service(name="Strollers", description="Short walks around the park.")
    assert found("walking") == ["Strollers"]


def test_every_word_must_match():
    make_service(name="Choir", description="Singing for lung health.")
    make_service(name="Lunch", description="A hot meal and good company.")
    assert found("singing lung") == ["Choir"]
    assert found("singing meal") == []


def test_a_name_match_ranks_above_a_description_match():
    make_service(name="Community allotment", description="Grow vegetables with neighbours.")
    make_service(name="Gardening club", description="Friendly people who like gardening and the allotment.")
    make_service(name="Allotment buddies", description="Grow food together.")
    names = found("allotment")
    assert names.index("Allotment buddies") < names.index("Gardening club")
    assert names.index("Community allotment") < names.index("Gardening club")


def test_finds_a_service_by_its_organisation_name():
    organization = make_organization(name="Sale Harriers Trust")
    make_service(name="Beginners running", organization=organization)
    assert found("harriers") == ["Beginners running"]


def test_the_index_follows_edits_to_the_service():
    service = make_service(name="Natter club", description="Knitting together.")
    service.description = "Crochet and conversation."
    db.session.commit()
    assert found("crochet") == ["Natter club"]
    assert found("knitting") == []
    service.name = "Yarn club"
    db.session.commit()
    assert found("yarn") == ["Yarn club"]


def test_the_index_follows_a_renamed_organisation():
    organization = make_organization(name="Old Name Trust")
    make_service(name="Lunch club", organization=organization)
    organization.name = "Brighter Days"
    db.session.commit()
    assert found("brighter") == ["Lunch club"]
    assert found("old name") == []


def test_the_index_follows_a_service_moved_to_another_organisation():
    service = make_service(name="Lunch club", organization=make_organization(name="Alpha Trust"))
    service.organization = make_organization(name="Beta Trust")
    db.session.commit()
    assert found("beta") == ["Lunch club"]
    assert found("alpha") == []


def test_deleting_a_service_removes_it_from_the_index():
    service = make_service(name="Temporary")
    assert index_size() == 1
    for link in service.locations_at:
        db.session.delete(link)
    db.session.delete(service)
    db.session.commit()
    assert index_size() == 0


def test_archived_services_are_not_found_by_keywords():
    make_service(name="Closed choir", status=ListingStatus.ARCHIVED)
    assert found("choir", include_remote=True) == []


def test_refresh_rebuilds_entries_written_without_the_triggers():
    service = make_service(name="Repair cafe", description="Fix bikes and toasters.")
    table = "service_search_doc" if db.engine.dialect.name == "sqlite" else "service_search"
    db.session.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - a constant table name
    assert found("toasters") == []
    refresh_search_index(db.session, [service.id])
    db.session.commit()
    assert found("toasters") == ["Repair cafe"]


def test_refresh_of_everything_and_of_nothing():
    make_service(name="Repair cafe", description="Fix bikes.")
    refresh_search_index(db.session, [])
    refresh_search_index(db.session)
    db.session.commit()
    assert index_size() == 1
    assert found("bikes") == ["Repair cafe"]


def test_create_search_index_is_safe_to_run_again_and_fills_the_index():
    make_service(name="Repair cafe", description="Fix bikes.")
    with db.engine.begin() as connection:
        create_search_index(connection)
    assert index_size() == 1
    assert found("bikes") == ["Repair cafe"]


JUNK = [
    '"',
    'yoga"',
    "AND (",
    "OR",
    "NOT",
    "NEAR(",
    "*",
    "yoga*",
    "^",
    "-",
    ":",
    "name:yoga",
    "()",
    "{name}",
    "'; DROP TABLE service; --",
    "a AND ( b OR",
    "   ",
    "\x00",
    "ＡＮＤ (",
    "x" * 500,
]


@pytest.mark.parametrize("keywords", JUNK)
def test_search_syntax_in_keywords_never_fails(keywords):
    make_service(name="Chair yoga", description="Gentle yoga.")
    found(keywords)


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("Chair YOGA", ["chair", "yoga"]),
        ('"yoga" AND (walks', ["yoga", "walks"]),
        ("groups for the carers", ["groups", "carers"]),
        ("café", ["café"]),
        ("yoga yoga", ["yoga"]),
        ("the and of", []),
        ("", []),
        (None, []),
        ("snake_case", ["snake", "case"]),
    ],
)
def test_keyword_terms_are_plain_words(typed, terms):
    assert keyword_terms(typed) == terms


def test_keyword_terms_are_capped():
    assert len(keyword_terms(" ".join(f"word{n}" for n in range(50)))) == 10


def test_only_stop_words_means_no_keyword_filter():
    make_service(name="Chair yoga")
    assert found("the and") == ["Chair yoga"]


def test_keyword_matches_ranks_higher_for_better_matches():
    name_match = make_service(name="Yoga", description="Stretching.")
    description_match = make_service(name="Stretch", description="Some yoga.")
    rows = dict(db.session.execute(keyword_matches(db.engine.dialect.name, ["yoga"])).all())
    assert rows[name_match.id] > rows[description_match.id] > 0
    assert db.session.scalar(select(Service.id).where(Service.id.in_(rows)).limit(1))
