"""The `import-oruk` command."""

import sys

import click
from flask import current_app

from prescribing import geography


@click.command("import-oruk")
@click.argument("source")
@click.option("--dry-run", is_flag=True, help="Check and report, but write nothing.")
@click.option("--timeout", default=15.0, show_default=True, help="Seconds to wait for each page of a URL.")
def import_oruk_command(source, dry_run, timeout):
    """Import listings from an Open Referral UK 3.0 feed: a JSON file or an API's /services URL."""
    from prescribing.api.oruk_feed import FeedError, http_fetch, read_feed
    from prescribing.api.oruk_import import import_feed

    try:
        feed = read_feed(source, http_fetch(timeout))
    except FeedError as error:
        click.echo(f"Error: {error}. Nothing imported.", err=True)
        sys.exit(1)
    report = import_feed(feed, geography.geocoder_from_config(current_app.config), dry_run=dry_run)
    for note in report.notes:
        click.echo(f"Note: {note}", err=True)
    for outcome in report.outcomes:
        click.echo(outcome.line(), err=outcome.outcome == "skipped")
    click.echo(("Dry run, nothing written. " if dry_run else "") + report.summary())
    if not report.ok:
        sys.exit(1)
