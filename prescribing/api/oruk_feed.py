"""Reading an Open Referral UK 3.0 feed: a JSON file, or a paginated `/services` endpoint.

A file may hold one service, a list of services, or a page of them (the ORUK envelope).
A URL may be the API's root, its `/services` endpoint, or one service. Pages are followed
until `last_page`; a list item without its nested data is fetched from `/services/{id}`;
the taxonomy terms are read from `/taxonomy_terms` where the API has it. Everything is read
before anything is written, so a feed that breaks half-way writes nothing.

Only http(s) addresses are fetched, with a timeout and a size limit per response.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 100_000
NESTED_KEYS = ("service_at_locations", "schedules", "attributes", "contacts", "cost_options")

Fetch = Callable[[str], bytes]


class FeedError(Exception):
    """The feed as a whole cannot be read; nothing is imported."""


@dataclass
class Feed:
    label: str
    # (where it came from, the record or None when it could not be read, why not)
    records: list[tuple[str, object, str | None]] = field(default_factory=list)
    terms: list[dict] = field(default_factory=list)
    taxonomies: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def http_fetch(timeout: float = 15) -> Fetch:
    def fetch(url: str) -> bytes:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise FeedError(f"{url} is not an http or https address")
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            url, headers={"Accept": "application/json", "User-Agent": "prescribing import-oruk"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                body = response.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as error:
            error.close()  # it holds the connection open otherwise
            raise FeedError(f"{url} answered HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise FeedError(f"{url} could not be reached ({reason})") from None
        if len(body) > MAX_BYTES:
            raise FeedError(f"{url} sent more than {MAX_BYTES // (1024 * 1024)} MB")
        return body

    return fetch


def _json(body: bytes, where: str):
    try:
        return json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FeedError(f"{where} is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise FeedError(f"{where} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None


def _is_page(data) -> bool:
    return isinstance(data, dict) and isinstance(data.get("contents"), list)


def read_feed(source: str, fetch: Fetch | None = None) -> Feed:
    """Everything the feed holds, or FeedError if it cannot be read as a whole."""
    if urllib.parse.urlsplit(source).scheme in ("http", "https"):
        return _walk(source, fetch or http_fetch())
    path = Path(source)
    try:
        data = _json(path.read_bytes(), path.name)
    except OSError as error:
        raise FeedError(f"{source} could not be read ({error.strerror})") from None
    feed = Feed(label=path.name)
    if _is_page(data):
        items = data["contents"]
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict) and "id" in data:
        items = [data]
    else:
        raise FeedError(f"{path.name} holds neither a service, a list of services nor a page of them")
    feed.records = [(f"record {n}", item, None) for n, item in enumerate(items, start=1)]
    return feed


def _with_page(url: str, page: int) -> str:
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.append(("page", str(page)))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _base_of(services_url: str) -> str:
    parts = urllib.parse.urlsplit(services_url)
    path = parts.path.rstrip("/")
    path = path[: -len("/services")] if path.endswith("/services") else path
    return urllib.parse.urlunsplit(parts._replace(path=path, query="", fragment=""))


def _walk(url: str, fetch: Fetch) -> Feed:
    feed = Feed(label=url)
    data = _json(fetch(url), url)
    if isinstance(data, dict) and "version" in data and "id" not in data and not _is_page(data):
        url = url.rstrip("/") + "/services"  # the API's root
        data = _json(fetch(url), url)
    if isinstance(data, dict) and "id" in data and not _is_page(data):
        feed.records = [(url, data, None)]
        return feed
    if not _is_page(data):
        raise FeedError(f"{url} is not a page of services (no 'contents')")
    base = _base_of(url)
    page, previous_first = int(data.get("page_number") or 1), None
    for _ in range(MAX_PAGES):
        contents = data["contents"]
        first = contents[0].get("id") if contents and isinstance(contents[0], dict) else None
        if first is not None and first == previous_first:
            raise FeedError(f"page {page} of {url} repeats the page before it; the feed ignores 'page'")
        previous_first = first
        for n, item in enumerate(contents, start=1):
            feed.records.append(_full_record(f"page {page}, item {n}", item, base, fetch))
        total_pages = data.get("total_pages")
        if data.get("last_page") is True or not contents or (isinstance(total_pages, int) and page >= total_pages):
            break
        page += 1
        page_url = _with_page(url, page)
        try:
            data = _json(fetch(page_url), page_url)
        except FeedError as error:
            raise FeedError(f"page {page}: {error}") from None
        if not _is_page(data):
            raise FeedError(f"page {page} ({page_url}) is not a page of services")
    else:
        raise FeedError(f"{url} has more than {MAX_PAGES} pages")
    feed.terms = _all_pages(f"{base}/taxonomy_terms", fetch, feed)
    feed.taxonomies = _all_pages(f"{base}/taxonomies", fetch, feed)
    return feed


def _full_record(where: str, item, base: str, fetch: Fetch) -> tuple[str, object, str | None]:
    if not isinstance(item, dict) or any(key in item for key in NESTED_KEYS) or not item.get("id"):
        return where, item, None
    detail = f"{base}/services/{urllib.parse.quote(str(item['id']), safe='')}"
    try:
        return where, _json(fetch(detail), detail), None
    except FeedError as error:
        return where, None, f"its full record could not be read: {error}"


def _all_pages(url: str, fetch: Fetch, feed: Feed) -> list[dict]:
    """Every item of an optional paginated endpoint; a note, not a failure, if it is missing."""
    items: list[dict] = []
    page = 1
    for _ in range(1000):
        page_url = _with_page(url, page)
        try:
            data = _json(fetch(page_url), page_url)
        except FeedError as error:
            feed.notes.append(f"{url} could not be read, so only the terms on services are known ({error})")
            return items
        if not _is_page(data):
            return items
        items += [item for item in data["contents"] if isinstance(item, dict)]
        if data.get("last_page") is True or not data["contents"]:
            return items
        page += 1
    return items
