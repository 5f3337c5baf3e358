"""`flask --app wsgi import-csv PATH [--strict]`, with good and broken files."""

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from prescribing.demo.seed import seed_taxonomy
from prescribing.directory.models import ListingRevision, Location, Organization, Schedule, Service, ServiceAtLocation
from prescribing.extensions import db

TEMPLATE = Path(__file__).resolve().parents[2] / "seed" / "directory-template.csv"


@pytest.fixture(autouse=True)
def taxonomy():
    seed_taxonomy()


def template_rows() -> list[dict]:
    with TEMPLATE.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(tmp_path, rows: list[dict], name: str = "listings.csv", columns: list[str] | None = None) -> Path:
    columns = columns or list(template_rows()[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def counts() -> dict:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Organization, Service, Location, ServiceAtLocation, Schedule)
    }


def run(runner, path, *options):
    return runner.invoke(args=["import-csv", str(path), *options])


def test_template_imports_with_progress_and_a_summary(runner):
    result = run(runner, TEMPLATE)
    assert result.exit_code == 0, result.output
    assert "2 of 2 rows done" in result.stderr
    assert "rows a second" in result.stderr and "left" in result.stderr
    assert "Rows read:                2" in result.stdout
    assert "Services created:         2" in result.stdout
    assert counts() == {"Organization": 1, "Service": 2, "Location": 1, "ServiceAtLocation": 1, "Schedule": 3}


def test_importing_the_same_file_twice_creates_no_duplicates(runner):
    run(runner, TEMPLATE)
    first = counts()
    result = run(runner, TEMPLATE)
    assert result.exit_code == 0, result.output
    assert "Services created:         0" in result.stdout
    assert "Services updated:         2 (2 unchanged)" in result.stdout
    assert counts() == first
    # Unchanged listings get no new history entry.
    assert db.session.scalar(select(func.count()).select_from(ListingRevision)) == 2


def test_a_changed_row_is_updated_in_place_with_a_revision(runner, tmp_path):
    run(runner, TEMPLATE)
    rows = template_rows()
    rows[0]["schedule"] = "Wed 10:00-11:30"
    run(runner, write(tmp_path, rows))
    walk = db.session.scalars(select(Service).where(Service.source_ref == rows[0]["service_ref"])).one()
    assert [s.byday_index for s in walk.schedules] == [2]
    revision = db.session.scalars(
        select(ListingRevision).where(ListingRevision.action == "reimported", ListingRevision.service_id == walk.id)
    ).one()
    assert list(revision.changes) == ["sessions"]


def bad_rows() -> list[dict]:
    good, online = template_rows()
    bad_postcode = {**good, "service_ref": "bad-postcode", "postcode": "NOT A POSTCODE"}
    unknown_need = {**good, "service_ref": "unknown-need", "needs": "walking;basket-weaving"}
    conflicting = {**online, "service_name": "A different name"}
    return [good, online, bad_postcode, unknown_need, conflicting]


def test_bad_rows_are_listed_by_line_and_good_rows_imported(runner, tmp_path):
    result = run(runner, write(tmp_path, bad_rows()))
    assert result.exit_code == 1
    assert "Line 4: postcode 'NOT A POSTCODE' is not a real UK postcode" in result.stderr
    assert "Line 5: unknown need 'basket-weaving'" in result.stderr
    assert (
        "Line 6: service_ref 'example-org-online-002' is also on line 3 with a different service_name" in result.stderr
    )
    assert (
        "Line 3: service_ref 'example-org-online-002' has rows that disagree (see line 6); none imported"
        in result.stderr
    )
    assert "Rows skipped:             4  (listed above)" in result.stdout
    assert [s.source_ref for s in db.session.scalars(select(Service))] == ["example-org-walk-001"]


def test_strict_imports_nothing_when_any_row_is_bad(runner, tmp_path):
    result = run(runner, write(tmp_path, bad_rows()), "--strict")
    assert result.exit_code == 1
    assert "Nothing imported: 4 of 5 rows are bad (--strict)" in result.stderr
    assert "Line 4:" in result.stderr
    assert counts()["Service"] == 0


def test_strict_imports_a_good_file(runner):
    assert run(runner, TEMPLATE, "--strict").exit_code == 0
    assert counts()["Service"] == 2


def test_an_exact_repeat_of_a_row_is_reported_and_not_doubled(runner, tmp_path):
    good = template_rows()[0]
    result = run(runner, write(tmp_path, [good, good]))
    assert "Line 3: repeats line 2 exactly" in result.stderr
    assert counts()["Schedule"] == 2


def test_bad_encoding_is_a_clear_error(runner, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(TEMPLATE.read_text(encoding="utf-8").replace("Sale Library", "Caf\u00e9 Sale").encode("latin-1"))
    result = run(runner, path)
    assert result.exit_code == 1
    assert "The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again." in result.stderr
    assert counts()["Service"] == 0


def test_missing_columns_are_named(runner, tmp_path):
    columns = [c for c in template_rows()[0] if c not in ("needs", "delivery")]
    result = run(runner, write(tmp_path, template_rows(), columns=columns))
    assert result.exit_code == 1
    assert "The file is missing these columns: needs, delivery" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "The file is empty."),
        ("\n\n", "The file is empty."),
        (TEMPLATE.read_text(encoding="utf-8").splitlines()[0] + "\n", "The file has a header row but no listings"),
    ],
)
def test_empty_files_are_a_clear_error(runner, tmp_path, content, message):
    path = tmp_path / "empty.csv"
    path.write_text(content, encoding="utf-8")
    result = run(runner, path)
    assert result.exit_code == 1
    assert message in result.stderr


def test_missing_file_is_a_clear_error(runner, tmp_path):
    result = run(runner, tmp_path / "nope.csv")
    assert result.exit_code == 1
    assert "The file could not be read" in result.stderr


def test_too_long_service_name_is_a_bad_row_not_a_crash(runner, tmp_path):
    good, online = template_rows()
    result = run(runner, write(tmp_path, [{**good, "service_name": "x" * 251}, online]))
    assert "Line 2: service_name is longer than 250 characters" in result.stderr
    assert counts()["Service"] == 1


def test_rows_are_committed_in_batches_and_progress_reports_only_committed_rows(runner, tmp_path, monkeypatch):
    from prescribing.directory import importer

    good = template_rows()[0]
    rows = [{**good, "service_ref": f"walk-{n:03d}"} for n in range(7)]
    commits = []
    reported = []
    real_commit = db.session.commit

    def counting_commit():
        commits.append(db.session.scalar(select(func.count()).select_from(Service)))
        real_commit()

    monkeypatch.setattr(db.session, "commit", counting_commit, raising=False)
    report = importer.import_rows(importer.read_rows(write(tmp_path, rows)), batch_size=3, progress=reported.append)
    assert report.rows_imported == 7
    assert reported == [0, 3, 6, 7]
    assert commits[-3:] == [3, 6, 7]
