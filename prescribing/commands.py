"""Flask CLI commands: `flask --app wsgi <command> --help` shows each one's use."""

import sys

import click
from flask import Flask, current_app

from prescribing.accounts.services import AccountError, create_user
from prescribing.api.commands import import_oruk_command
from prescribing.auth.models import Role
from prescribing.auth.passwords import password_problem
from prescribing.demo.seed import seed_demo
from prescribing.directory.import_progress import TerminalProgress
from prescribing.directory.importer import ImportFileError, import_rows, read_rows
from prescribing.extensions import db
from prescribing.practices.models import Pcn
from prescribing.scheduled import run_daily


def register_commands(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(daily_command)
    app.cli.add_command(import_csv_command)
    app.cli.add_command(import_oruk_command)


@click.command("seed-demo")
def seed_demo_command():
    """Load the demo PCN, users, taxonomy and directory (safe to run again)."""
    # Demo users have a published password: never in a service holding real people's data.
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("seed-demo refuses to run in production: demo accounts have a published password.")
    counts = seed_demo()
    click.echo("Demo data loaded: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.COORDINATOR.value, show_default=True)
@click.option("--pcn-ods", help="ODS code of the PCN (created if --pcn-name is also given)")
@click.option("--pcn-name", help="Name for a new PCN")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(email, name, role, pcn_ods, pcn_name, password):
    """Create a user directly, such as the first coordinator of a PCN."""
    problem = password_problem(password)
    if problem:
        raise click.UsageError(problem)
    role = Role(role)
    pcn = None
    if pcn_ods:
        pcn = db.session.query(Pcn).filter_by(ods_code=pcn_ods.upper()).one_or_none()
        if pcn is None and pcn_name:
            pcn = Pcn(ods_code=pcn_ods.upper(), name=pcn_name)
            db.session.add(pcn)
            db.session.flush()
        if pcn is None:
            raise click.UsageError(f"No PCN with ODS code {pcn_ods}; give --pcn-name to create it")
    if role.scope == "pcn" and pcn is None:
        raise click.UsageError(f"A {role.label.lower()} needs --pcn-ods")
    if role.scope in ("practice", "organization"):
        raise click.UsageError("Invite clinicians and organisation editors from the Users page")
    try:
        user = create_user(email=email, name=name, role=role, password=password, pcn_id=pcn.id if pcn else None)
    except AccountError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"Created {user.role.label.lower()} {user.email} (id {user.id}).")


@click.command("daily")
def daily_command():
    """Run the scheduled work once (idempotent): expiries, reminders, follow-ups due."""
    for name, result in run_daily().items():
        click.echo(f"{name}: {result}")


@click.command("import-csv")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Import nothing if any row is bad.")
@click.option("--batch-size", default=200, show_default=True, help="Rows per transaction.")
def import_csv_command(path, strict, batch_size):
    """Import listings from a CSV file in the directory format (see seed/README.md).

    Bad rows are listed with their line numbers. Running the same file again updates
    listings in place and creates no duplicates.
    """
    import time

    started = time.monotonic()
    try:
        rows = read_rows(path)
    except ImportFileError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(f"Checking {len(rows):,} rows from {path}", err=True)
    progress = TerminalProgress(len(rows), lambda line: click.echo(line, err=True))
    try:
        report = import_rows(rows, strict=strict, batch_size=max(batch_size, 1), progress=progress)
    except KeyboardInterrupt:
        db.session.rollback()
        click.echo(
            f"\nStopped. {progress.done:,} rows were handled and saved before stopping. "
            "Run the same file again to finish: it will not create duplicates.",
            err=True,
        )
        sys.exit(130)
    for problem in report.problems:
        click.echo(f"Line {problem.line}: {problem.reason}", err=True)
    if strict and report.problems:
        click.echo(
            f"Nothing imported: {report.rows_skipped} of {report.rows} rows are bad (--strict). "
            "Fix them and run the import again.",
            err=True,
        )
        sys.exit(1)
    click.echo("\n".join(report.summary_lines(time.monotonic() - started)))
    if report.problems:
        sys.exit(1)
