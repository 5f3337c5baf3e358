"""The Open Referral UK 3.0 read API (no sign-in, nothing about people).

Every answer is JSON, including errors: 400 names the parameter, 404 for an unknown id,
429 when a client sends too much. Every 200 has an ETag (and a Last-Modified for single
services), and a conditional GET that still holds gets 304. Any origin may read it (CORS).
"""

import hashlib

from flask import Blueprint, current_app, jsonify, request, url_for

from prescribing import geography
from prescribing.api import openapi, params, queries, ratelimit, serializers
from prescribing.api.params import ParameterError
from prescribing.auth.access import EVERYONE, access
from prescribing.extensions import db

bp = Blueprint("api", __name__, url_prefix="/api/v1")


# Around every request -------------------------------------------------------------------------


@bp.before_request
def limit_rate():
    """Count the request against its address; refuse with 429 past the limit."""
    if request.method == "OPTIONS":
        return None
    verdict = ratelimit.check(request.remote_addr)
    request.environ["prescribing.api.rate"] = verdict
    if verdict.allowed:
        return None
    response = _error(429, "Too many requests", f"Try again in {verdict.retry_after} seconds.")
    response.headers["Retry-After"] = str(verdict.retry_after)
    return response


@bp.after_app_request
def api_headers(response):
    """CORS for every /api/ answer (errors too, so browsers can read them), and cache rules."""
    if not request.path.startswith("/api/"):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = (
        "ETag, Last-Modified, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"
    )
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, If-None-Match, If-Modified-Since"
        response.headers["Access-Control-Max-Age"] = "86400"
    verdict = request.environ.get("prescribing.api.rate")
    if verdict is not None and verdict.limit:
        response.headers["X-RateLimit-Limit"] = str(verdict.limit)
        response.headers["X-RateLimit-Remaining"] = str(verdict.remaining)
    if response.status_code in (200, 304) and request.method in ("GET", "HEAD"):
        # Public data: caches may keep it but must check back (the ETag makes that cheap).
        response.headers["Cache-Control"] = "public, no-cache"
    return response


@bp.errorhandler(ParameterError)
def bad_parameter(error: ParameterError):
    return _error(400, "Sorry, there is a problem with this request", error.message, parameter=error.parameter)


def _error(status: int, title: str, detail: str | None, **extra):
    response = jsonify({"error": title, "status": status, "detail": detail, **extra})
    response.status_code = status
    return response


def _not_found(what: str):
    return _error(404, "Page not found", f"There is no published {what} with this id.")


def _respond(data, last_modified=None):
    """JSON with an ETag (a hash of the body) and Last-Modified; 304 when the client's copy still holds."""
    response = jsonify(data)
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    if last_modified is not None:
        response.last_modified = last_modified
    return response.make_conditional(request)


def _allow(endpoint: str) -> None:
    params.reject_unknown(request.args, set(openapi.ENDPOINT_PARAMETERS.get(endpoint, [])))


# Endpoints --------------------------------------------------------------------------------


@bp.get("/")
@access(EVERYONE)
def index():
    """Which version of the standard this API follows, and where its OpenAPI document is."""
    _allow("/")
    return _respond(
        {
            "version": openapi.VERSION,
            "profile": openapi.PROFILE_URL,
            "openapi_url": url_for("api.openapi_document", _external=True),
        }
    )


@bp.get("/openapi.json")
@access(EVERYONE)
def openapi_document():
    """The OpenAPI 3.1 document describing this API."""
    _allow("/openapi.json")
    server = url_for("api.index", _external=True).rstrip("/")
    return _respond(openapi.document(server, current_app.config["SERVICE_NAME"]))


@bp.get("/services")
@access(EVERYONE)
def services():
    """Active services, one-to-one fields and organisation, sorted by name."""
    _allow("/services")
    page = params.page_from(request.args)
    filters = params.service_filters(request.args, with_place=False)
    found = queries.find_services(db.session, filters, page)
    modified = queries.last_modified(db.session, found.items)
    contents = [serializers.service_summary(s, modified[s.id]) for s in found.items]
    return _respond(serializers.page(found.total, page.number, page.size, contents))


@bp.get("/services/<service_id>")
@access(EVERYONE)
def service(service_id: str):
    """A fully nested service."""
    _allow("/services/{id}")
    found = queries.get_service(db.session, service_id) if params.is_identifier(service_id) else None
    if found is None:
        return _not_found("service")
    modified = queries.last_modified(db.session, [found])[found.id]
    return _respond(serializers.service_full(found, modified), last_modified=modified)


@bp.get("/service_at_locations")
@access(EVERYONE)
def service_at_locations():
    """Services at their locations; with postcode and proximity, nearest first."""
    _allow("/service_at_locations")
    page = params.page_from(request.args)
    geocoder = geography.geocoder_from_config(current_app.config)
    filters = params.service_filters(request.args, with_place=True, geocoder=geocoder)
    found = queries.find_service_at_locations(db.session, filters, page)
    modified = queries.last_modified(db.session, list({sal.service.id: sal.service for sal in found.items}.values()))
    contents = [serializers.service_at_location_summary(sal, modified[sal.service_id]) for sal in found.items]
    return _respond(serializers.page(found.total, page.number, page.size, contents))


@bp.get("/service_at_locations/<sal_id>")
@access(EVERYONE)
def service_at_location(sal_id: str):
    """One service at one location, fully nested."""
    _allow("/service_at_locations/{id}")
    found = queries.get_service_at_location(db.session, sal_id) if params.is_identifier(sal_id) else None
    if found is None:
        return _not_found("service at location")
    modified = queries.last_modified(db.session, [found.service])[found.service_id]
    return _respond(serializers.service_at_location_full(found, modified), last_modified=modified)


@bp.get("/taxonomies")
@access(EVERYONE)
def taxonomies():
    """Taxonomies, sorted by name."""
    _allow("/taxonomies")
    page = params.page_from(request.args)
    found = queries.find_taxonomies(db.session, page)
    contents = [serializers.taxonomy(t) for t in found.items]
    return _respond(serializers.page(found.total, page.number, page.size, contents))


@bp.get("/taxonomies/<taxonomy_id>")
@access(EVERYONE)
def taxonomy(taxonomy_id: str):
    """A taxonomy and its terms."""
    _allow("/taxonomies/{id}")
    found = queries.get_taxonomy(db.session, taxonomy_id) if params.is_identifier(taxonomy_id) else None
    if found is None:
        return _not_found("taxonomy")
    return _respond(serializers.taxonomy(found, with_terms=True))


@bp.get("/taxonomy_terms")
@access(EVERYONE)
def taxonomy_terms():
    """Taxonomy terms, sorted by name."""
    _allow("/taxonomy_terms")
    page = params.page_from(request.args)
    found = queries.find_taxonomy_terms(db.session, page)
    contents = [serializers.taxonomy_term(t) for t in found.items]
    return _respond(serializers.page(found.total, page.number, page.size, contents))


@bp.get("/taxonomy_terms/<term_id>")
@access(EVERYONE)
def taxonomy_term(term_id: str):
    """A taxonomy term."""
    _allow("/taxonomy_terms/{id}")
    found = queries.get_taxonomy_term(db.session, term_id) if params.is_identifier(term_id) else None
    if found is None:
        return _not_found("taxonomy term")
    return _respond(serializers.taxonomy_term(found))
