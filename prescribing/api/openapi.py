"""The OpenAPI document served at /api/v1/openapi.json, describing what this API really does.

Built from the official ORUK 3.0 document (seed/oruk-schema/openapi/openapi-3.0.json), with:
- OpenAPI 3.1, so the ORUK JSON schemas (draft 2020-12, with their own annotation keywords)
  can sit in `components/schemas` unchanged apart from their `$ref`s, which point inside this
  document instead of at raw.githubusercontent.com; every reference resolves locally;
- our server address, our limits (page, per_page up to 200, proximity up to 200 km), the
  filters we add from the ORUK parameter list (`modified_after`, `organization_id`), fixed
  parameter types (the official `"type": "time"` is not a JSON Schema type) and the error
  answers (400, 404, 429, 304).
"""

import copy
from functools import lru_cache

from prescribing.api import params, schemas

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://openreferraluk.org/"
LICENCE = {
    "name": "Creative Commons Attribution Share-Alike 4.0",
    "url": "https://creativecommons.org/licenses/by-sa/4.0/",
}
SERVICE_FILTERS = [
    "search",
    "page",
    "per_page",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "minimum_age",
    "maximum_age",
    "start_time",
    "end_time",
    "day",
    "modified_after",
]
PLACE_FILTERS = ["postcode", "proximity"]
# Query parameters each list endpoint accepts; anything else is a 400.
ENDPOINT_PARAMETERS = {
    "/services": SERVICE_FILTERS,
    "/service_at_locations": SERVICE_FILTERS + PLACE_FILTERS,
    "/taxonomies": ["page", "per_page"],
    "/taxonomy_terms": ["page", "per_page"],
}
UUID = {"type": "string", "format": "uuid"}


def _component_name(schema_name: str) -> str:
    return schema_name.replace("/", "_")


def _relink(node, here: str):
    """Point relative `$ref`s ("location.json") at this document's components."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.endswith(".json") and "://" not in value:
                folder = here.rsplit("/", 1)[0] + "/" if "/" in here else ""
                out[key] = "#/components/schemas/" + _component_name(folder + value[: -len(".json")])
            else:
                out[key] = _relink(value, here)
        return out
    if isinstance(node, list):
        return [_relink(item, here) for item in node]
    return node


def _parameters() -> dict:
    official = copy.deepcopy(schemas.official_openapi()["components"]["parameters"])
    ours = {name: official[name] for name in official if name in set(SERVICE_FILTERS + PLACE_FILTERS)}
    ours["search"]["schema"] = {"type": "string", "maxLength": params.MAX_SEARCH}
    ours["search"]["description"] = (
        "Full text search over the service's name and description and its organisation's name: every word must "
        "match (word endings are ignored, so 'walks' finds 'walking'). Results stay sorted by name."
    )
    ours["page"]["schema"] = {"type": "integer", "minimum": 1, "maximum": params.MAX_PAGE, "default": 1}
    ours["per_page"]["schema"] = {
        "type": "integer",
        "minimum": 1,
        "maximum": params.MAX_PER_PAGE,
        "default": params.DEFAULT_PER_PAGE,
    }
    ours["taxonomy_term_id"]["schema"] = {"type": "string", "pattern": "^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36}){0,19}$"}
    ours["taxonomy_term_id"]["description"] = (
        "Services with this taxonomy term or any term below it. Several ids may be given, separated by commas "
        "(any of them matches). An id that is not a term here is a 400."
    )
    ours["taxonomy_id"]["schema"] = UUID
    ours["taxonomy_id"]["description"] = "Services with any term from this taxonomy. An unknown id is a 400."
    ours["organization_id"]["schema"] = UUID
    ours["organization_id"]["description"] = "Services this organization provides. An unknown id is a 400."
    for name in ("minimum_age", "maximum_age"):
        ours[name]["schema"] = {"type": "number", "minimum": 0, "maximum": params.MAX_AGE}
    ours["minimum_age"]["description"] += " A service with no minimum age counts as 0."
    ours["maximum_age"]["description"] += " A service with no maximum age does not match."
    time_of_day = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"}
    ours["start_time"]["schema"] = time_of_day
    ours["start_time"]["description"] = "Services with a session that opens at or after this time (HH:MM, UK time)."
    ours["end_time"]["schema"] = time_of_day
    ours["end_time"]["description"] = (
        "Services with a session that closes at or before this time (HH:MM, UK time). With `day` and "
        "`start_time`, one session must meet all of them."
    )
    days = [*params.DAY_CODES, *(d.capitalize() for d in params.DAY_NAMES)]
    ours["day"]["schema"] = {"type": "string", "enum": days}
    ours["day"]["description"] = "Services with a session on this day of the week (MO…SU, or the day's name)."
    ours["modified_after"]["schema"] = {"type": "string", "format": "date-time"}
    ours["modified_after"]["description"] = (
        "Services changed at or after this moment (ISO 8601; UTC when no offset is given)."
    )
    ours["postcode"]["schema"] = {"type": "string", "maxLength": 10}
    ours["postcode"]["description"] = (
        "A UK postcode (or postcode district). Only services whose service areas cover it, or that name no "
        "service area, are returned; with `proximity`, only locations within that distance of its centre, "
        "nearest first. A postcode we cannot find is a 400."
    )
    ours["proximity"]["schema"] = {"type": "number", "exclusiveMinimum": 0, "maximum": params.MAX_PROXIMITY_METRES}
    ours["proximity"]["description"] = (
        "Metres from the centre of `postcode` (which it needs). Results are sorted nearest first by geodesic "
        "distance. A location whose address is not published is measured from its postcode district's centre."
    )
    return ours


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _page_of(item_ref: str) -> dict:
    return {
        "allOf": [{"$ref": "#/components/schemas/Page"}],
        "properties": {"contents": {"type": "array", "items": {"$ref": item_ref}}},
        "required": [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
    }


ERRORS = {
    "304": {"description": "Not modified: the `ETag` or `Last-Modified` given in the request still holds."},
    "400": {
        "description": "A query parameter is not valid; `parameter` names it.",
        **_json({"$ref": "#/components/schemas/Error"}),
    },
    "429": {
        "description": "Too many requests from this address; try again after `Retry-After` seconds.",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        **_json({"$ref": "#/components/schemas/Error"}),
    },
}
NOT_FOUND = {
    "404": {"description": "No published record has this id.", **_json({"$ref": "#/components/schemas/Error"})}
}
CACHING_HEADERS = {
    "ETag": {"schema": {"type": "string"}, "description": "A hash of the body, for If-None-Match."},
    "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}},
}


def _operation(operation_id: str, summary: str, schema: dict, parameters: list[str], *, one: bool = False) -> dict:
    responses = {
        "200": {"description": summary, "headers": CACHING_HEADERS, **_json(schema)},
        **ERRORS,
        **(NOT_FOUND if one else {}),
    }
    operation = {"operationId": operation_id, "summary": summary, "responses": responses}
    if parameters:
        operation["parameters"] = [{"$ref": f"#/components/parameters/{name}"} for name in parameters]
    return {"get": operation}


def _id_parameter(what: str) -> list:
    return [{"in": "path", "name": "id", "required": True, "description": f"The id of the {what}.", "schema": UUID}]


def _schemas() -> dict:
    components = {}
    for name in schemas.schema_names():
        components[_component_name(name)] = _relink(schemas.load(name), name)
    official = schemas.official_openapi()["components"]["schemas"]
    components["Page"] = copy.deepcopy(official["Page"])
    extra_service = {
        "eligibility_description": {"type": "string", "description": "HSDS 3.0: who the service is for."},
        "application_process": {"type": "string", "description": "HSDS 3.0: how to join or be referred."},
        "phones": {"type": "array", "items": {"$ref": "#/components/schemas/phone"}},
    }
    components["Service"] = {
        "allOf": [{"$ref": "#/components/schemas/compiled_service"}],
        "properties": extra_service,
    }
    components["ServiceSummary"] = {
        "allOf": [{"$ref": "#/components/schemas/compiled_service_list"}],
        "properties": {k: v for k, v in extra_service.items() if k != "phones"},
    }
    components["ServiceAtLocation"] = {
        "description": "A service at a location, with the service's name and status at the top level as "
        "the ORUK document expects of this endpoint.",
        "allOf": [
            {"$ref": "#/components/schemas/compiled_service_at_location"},
            {"$ref": "#/components/schemas/compiled_service"},
        ],
    }
    components["Error"] = {
        "type": "object",
        "required": ["error", "status"],
        "properties": {
            "error": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": ["string", "null"]},
            "parameter": {"type": "string", "description": "The query parameter that is not valid."},
        },
    }
    components["Meta"] = copy.deepcopy(
        schemas.official_openapi()["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    )
    components["Meta"]["required"] = ["version", "profile", "openapi_url"]
    return components


# A few entries only: the server address comes from the request's Host header.
@lru_cache(maxsize=8)
def document(server_url: str, service_name: str) -> dict:
    """The OpenAPI 3.1 document for this API at `server_url` (the absolute /api/v1 address)."""
    ref = "#/components/schemas/"
    paths = {
        "/": {
            "get": {
                "operationId": "getAPIMetaInformation",
                "summary": "Which version of the standard this API follows, and where its OpenAPI document is.",
                "responses": {"200": {"description": "About this API", **_json({"$ref": ref + "Meta"})}},
            }
        },
        "/services": _operation(
            "getPaginatedListOfServices",
            "Active services, with their one-to-one fields and organization, sorted by name.",
            _page_of(ref + "ServiceSummary"),
            ENDPOINT_PARAMETERS["/services"],
        ),
        "/services/{id}": {
            "parameters": _id_parameter("service"),
            **_operation(
                "getFullyNestedServiceById", "A fully nested service.", {"$ref": ref + "Service"}, [], one=True
            ),
        },
        "/service_at_locations": _operation(
            "getPaginatedListOfServiceAtLocation",
            "Active services at their locations, sorted by service name, or nearest first with `proximity`.",
            _page_of(ref + "compiled_service_at_location_list"),
            ENDPOINT_PARAMETERS["/service_at_locations"],
        ),
        "/service_at_locations/{id}": {
            "parameters": _id_parameter("service at location"),
            **_operation(
                "getServiceAtLocationWithNestedDataById",
                "A service at a location, fully nested.",
                {"$ref": ref + "ServiceAtLocation"},
                [],
                one=True,
            ),
        },
        "/taxonomies": _operation(
            "getPaginatedListOfTaxonomies",
            "Taxonomies, sorted by name.",
            _page_of(ref + "taxonomy"),
            ["page", "per_page"],
        ),
        "/taxonomies/{id}": {
            "parameters": _id_parameter("taxonomy"),
            **_operation("getTaxonomyById", "A taxonomy and its terms.", {"$ref": ref + "taxonomy"}, [], one=True),
        },
        "/taxonomy_terms": _operation(
            "getPaginatedListOfTaxonomyTerms",
            "Taxonomy terms, sorted by name.",
            _page_of(ref + "taxonomy_term"),
            ["page", "per_page"],
        ),
        "/taxonomy_terms/{id}": {
            "parameters": _id_parameter("taxonomy term"),
            **_operation("getTaxonomyTermById", "A taxonomy term.", {"$ref": ref + "taxonomy_term"}, [], one=True),
        },
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApiDocument",
                "summary": "This document.",
                "responses": {"200": {"description": "OpenAPI 3.1", **_json({"type": "object"})}},
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": f"{service_name}: Open Referral UK 3.0 API",
            "version": "3.0",
            "description": (
                "A read-only Open Referral UK (HSDS-UK 3.0) API of the community services directory. No sign-in. "
                "Only active listings appear; addresses that are not published show their postcode district "
                "only. Every response carries an ETag, answers conditional requests with 304, allows any "
                "origin (CORS), and is rate limited per address (429 with Retry-After). Adapted from the Open "
                'Referral UK 3.0 OpenAPI document and the uk-profile schemas: "Human Services Data '
                'Specification: an Open Referral resource (https://openreferral.org/)".'
            ),
            "license": LICENCE,
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": _schemas(), "parameters": _parameters()},
    }
