"""The Open Referral UK 3.0 JSON schemas shipped in seed/oruk-schema, and validators over them.

`$ref`s resolve through a local `referencing.Registry`; a reference to anything not in the
folder is an error, never a network fetch. JSON Schema draft 2020-12.
"""

import json
import re
import uuid
from datetime import datetime
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

from prescribing.config import ROOT

FOLDER = ROOT / "seed" / "oruk-schema"
SCHEMA_FOLDER = FOLDER / "schema"
OFFICIAL_OPENAPI = FOLDER / "openapi" / "openapi-3.0.json"
# The address the official documents use for these files; only a name here, never fetched.
BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


def _refuse(uri: str):
    raise NoSuchResource(ref=uri)


@cache
def registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_FOLDER.rglob("*.json")):
        name = path.relative_to(SCHEMA_FOLDER).as_posix()
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((BASE + name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry(retrieve=_refuse).with_resources(resources)


def schema_names() -> list[str]:
    return sorted(p.relative_to(SCHEMA_FOLDER).as_posix()[: -len(".json")] for p in SCHEMA_FOLDER.rglob("*.json"))


def load(name: str) -> dict:
    """The schema file `name` ("service", "compiled/service_list"), as stored."""
    if name not in schema_names():
        raise KeyError(name)
    return json.loads((SCHEMA_FOLDER / f"{name}.json").read_text(encoding="utf-8"))


def _is_uuid(value) -> bool:
    if not isinstance(value, str):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_uri(value) -> bool:
    return not isinstance(value, str) or bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+", value))


def _is_email(value) -> bool:
    return not isinstance(value, str) or bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value))


def format_checker(*, strict: bool) -> FormatChecker:
    """uuid and date-time always; e-mail and uri too when `strict` (for our own responses).

    Imported feeds are checked leniently on e-mail and web addresses: a listing with a
    mistyped web address is still worth having, and the importer drops the bad address.
    """
    checker = FormatChecker(formats=())
    checker.checks("uuid")(_is_uuid)
    checker.checks("date-time")(_is_date_time)
    if strict:
        checker.checks("uri")(_is_uri)
        checker.checks("email")(_is_email)
    return checker


@cache
def validator(name: str, *, strict: bool = True) -> Draft202012Validator:
    """A validator for the schema `name` (e.g. "compiled/service", "taxonomy")."""
    load(name)  # KeyError for a name we do not ship
    return Draft202012Validator(
        {"$ref": BASE + name + ".json"}, registry=registry(), format_checker=format_checker(strict=strict)
    )


def problems(name: str, instance, *, strict: bool = True) -> list[str]:
    """Plain descriptions of what is wrong with `instance`, first few only; empty when valid."""
    found = []
    for error in sorted(validator(name, strict=strict).iter_errors(instance), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(the record)"
        found.append(f"{where}: {error.message}")
        if len(found) == 5:
            break
    return found


def official_openapi() -> dict:
    return json.loads(OFFICIAL_OPENAPI.read_text(encoding="utf-8"))


def folder() -> Path:
    return FOLDER
