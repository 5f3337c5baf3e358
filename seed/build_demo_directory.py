#!/usr/bin/env python3
"""Build seed/demo_directory.csv - the DEMO service directory for "prescribing".

Standard library only and deterministic (every invented value comes from
random.Random(2026), drawn in a fixed order). Run:

    python3 seed/build_demo_directory.py [--samples DIR] [--geodata DIR] [--out FILE]

Defaults: --samples /work/shared/directory-samples, --geodata /work/shared/geodata,
--out seed/demo_directory.csv next to this script. The script reads
seed/taxonomy.csv to check every needs code.

What it does: it picks real groups and services from the open-data samples
(Trafford mental health services 2018, GM food banks 2018, Trafford sports
clubs 2018, GM libraries 2018/2023, Charity Commission extract 2021, Trafford
Council 360Giving grants 2013-2024; all OGL v3.0) using the hand-written
selection tables below, copies their real names, descriptions, addresses,
postcodes, organisational phone numbers, web sites and library e-mails, maps
each one to needs codes, and adds the details a social-prescribing directory
needs but the sources lack (weekly sessions, cost, access features, languages,
ages, referral routes...). Opening times in the food bank list and session
times written in the mental health descriptions are parsed, not invented.
Rows with invented values say "details added for demo" in `source`.

It is DEMO data: dated listings plus invented session details. It is not a
current directory.

Deliberate choices (checked at the end of the run):
  * every venue postcode is a live postcode in postcodes_greater_manchester.csv,
    except the few in TERMINATED_OK, real postcodes that have since been
    terminated, kept so the app exercises its sector/district fallback;
  * mobile numbers (07...) from the listings are left out because they may be
    a volunteer's own phone; only organisational e-mails are used;
  * charities' contact addresses are not in the source (removed there because
    they can be a trustee's home), so charity venues give the contact postcode
    with "Venue address given on booking" unless another source file gives the
    organisation's premises.
"""

import argparse
import csv
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

COLUMNS = [
    "service_ref",
    "organisation_name",
    "organisation_description",
    "organisation_url",
    "charity_number",
    "service_name",
    "description",
    "needs",
    "delivery",
    "referral_routes",
    "accepting_referrals",
    "email",
    "phone",
    "url",
    "location_name",
    "address",
    "town",
    "postcode",
    "address_published",
    "schedule",
    "schedule_note",
    "cost",
    "cost_description",
    "min_age",
    "max_age",
    "eligibility",
    "languages",
    "accessibility",
    "service_area",
    "capacity_note",
    "source",
]

TRAFFORD_DISTRICTS = ("M32", "M33", "M41", "WA14", "WA15", "M16", "M31", "WA13", "M17")
TRAFFORD_AREA = "M32;M33;M41;WA14;WA15;M16;M31"  # service_area for Trafford-only services

# Real postcodes that are no longer live in Code-Point Open 2025 (see the geodata
# README). Kept on purpose so the app's sector -> district fallback is exercised.
TERMINATED_OK = {"M33 5SL", "WA14 4WQ", "M21 7RL", "M19 3PH"}

ACCESS_ORDER = ["step_free", "accessible_toilet", "hearing_loop", "bsl", "parking", "public_transport"]

SRC = {
    "mh": "Trafford mental health services (Trafford Council, July 2018)",
    "fb": "GM food banks (GM Poverty Action, 2018)",
    "sc": "Trafford sports clubs (Trafford Council, July 2018)",
    "lib": "GM libraries (Trafford Council / Trafford Data Lab; Trafford rows Nov 2023, rest of GM Oct 2018)",
    "cc": "Charity Commission register extract, charities operating in Trafford (2021-05-27)",
    "gr": "Trafford Council voluntary sector grants, 360Giving",
}
ADDED = "details added for demo"

# ---------------------------------------------------------------- schedules
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*"
_ORD = r"(?:1st|2nd|3rd|4th|first|second|third|fourth|last)"
_T = r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|noon)?|noon|midday)"
_RANGE = rf"(?P<t1>{_T})\s*(?:-|–|to)\s*(?P<t2>{_T})"
_DAYLIST = rf"(?P<days>{_DAY}(?:\s*(?:-|–|to|,|&|and|/)\s*{_DAY})*)"
_ORDS = {"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th"}


def _day(tok):
    return DAYS[["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(tok.lower()[:3])]


def _days(text):
    out = []
    for p in re.split(r"\s*(,|&|and|/)\s*", text.strip()):
        if p in (",", "&", "and", "/", ""):
            continue
        m = re.match(rf"({_DAY})\s*(?:-|–|to)\s*({_DAY})$", p, re.I)
        if m:
            a, b = DAYS.index(_day(m.group(1))), DAYS.index(_day(m.group(2)))
            out.extend(DAYS[a : b + 1])
        else:
            out.append(_day(p))
    return out


def _time(tok):
    tok = tok.strip().lower()
    if tok in ("noon", "midday"):
        return 12, 0, "pm"
    m = re.match(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|noon)?$", tok)
    suf = m.group(3)
    return int(m.group(1)), int(m.group(2) or 0), ("pm" if suf == "noon" else suf)


def _mins(h, mi, suf):
    if suf == "pm" and h != 12:
        h += 12
    if suf == "am" and h == 12:
        h = 0
    return h * 60 + mi


def _range(t1, t2):
    h1, m1, s1 = _time(t1)
    h2, m2, s2 = _time(t2)
    if s2 is None:
        s2 = "pm" if (h2 < 8 or h2 == 12) else "am"
    if s1 is None:
        s1 = s2
        if _mins(h1, m1, s1) >= _mins(h2, m2, s2):
            s1 = "am"
    a, b = _mins(h1, m1, s1), _mins(h2, m2, s2)
    if not (6 * 60 <= a < b <= 23 * 60 + 59):
        return None
    return f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}"


def parse_schedule(text):
    """Free-text opening times -> list of sessions in the import syntax,
    e.g. "Tues 11am - 2pm, Fri 11.30am -1.30pm" -> ["Tue 11:00-14:00", "Fri 11:30-13:30"]."""
    if not text:
        return []
    t = text.replace("\xa0", " ").replace("\n", " ")
    t = re.sub(r"(\d)\s*(am|pm)\b", r"\1\2", t, flags=re.I)
    t = re.sub(r"\b12\s*noon\b", "noon", t, flags=re.I)
    sessions = []
    monthly = rf"\b(?P<ord>{_ORD})\s+(?P<day>{_DAY})\s+of\s+(?:the\s+|each\s+|every\s+)?month\s*,?\s*{_RANGE}"
    for m in re.finditer(monthly, t, re.I):
        r = _range(m.group("t1"), m.group("t2"))
        if r:
            o = m.group("ord").lower()
            sessions.append(f"{_ORDS.get(o, o)} {_day(m.group('day'))} {r}")
    t = re.sub(monthly, " ", t, flags=re.I)
    weekly = (
        rf"\b{_DAYLIST}\b[\s,:]*(?:from\s+)?(?P<ranges>{_T}\s*(?:-|–|to)\s*{_T}"
        rf"(?:\s*(?:and|&|,)\s*{_T}\s*(?:-|–|to)\s*{_T})*)"
    )
    for m in re.finditer(weekly, t, re.I):
        days = _days(m.group("days"))
        for rm in re.finditer(_RANGE, m.group("ranges"), re.I):
            r = _range(rm.group("t1"), rm.group("t2"))
            if r:
                for d in days:
                    s = f"{d} {r}"
                    if s not in sessions:
                        sessions.append(s)
    return sessions


# ---------------------------------------------------------------- small helpers
def norm_pc(pc):
    pc = "".join((pc or "").split()).upper()
    return f"{pc[:-3]} {pc[-3:]}" if len(pc) >= 5 else pc


def district(pc):
    return norm_pc(pc).split(" ")[0]


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "").replace("&", "and")).strip("-")


def clean_url(u):
    u = (u or "").replace("\xa0", " ").strip()
    if not u or u.lower() in ("na", "none", "not known", "n/a"):
        return ""
    u = u.split()[0]
    if not re.match(r"https?://", u, re.I):
        u = "http://" + u
    return u


def clean_phone(p, omitted, who):
    p = (p or "").strip()
    if p.replace(" ", "").startswith("07"):
        omitted.append(f"{who}: mobile number {p}")
        return ""
    return p


def clean_text(t):
    t = (t or "").replace("\xa0", " ").replace("\r", " ").replace("\n", " ")
    t = re.sub(r"\s+", " ", t).strip()
    if t == "NA":
        return ""
    letters = [c for c in t if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:  # ALL CAPS register text
        t = ". ".join(s[:1].upper() + s[1:] for s in t.lower().split(". "))
    t = re.sub(r"([a-z])\.([A-Z])", r"\1. \2", t)  # "wildlife.The" -> "wildlife. The"
    if t and t[-1] not in ".!?)":
        t += "."
    return t


def first_sentences(t, limit=320):
    t = clean_text(t)
    if len(t) <= limit:
        return t
    cut = t[:limit]
    p = cut.rfind(". ")
    return cut[: p + 1] if p > 80 else cut.rsplit(" ", 1)[0] + "..."


def town_for(pc):
    d = district(pc)
    table = {
        "M32": "Stretford",
        "M33": "Sale",
        "M41": "Urmston",
        "WA14": "Altrincham",
        "WA15": "Altrincham",
        "M16": "Manchester",
        "M31": "Partington",
        "M17": "Trafford Park",
        "WA13": "Lymm",
        "M30": "Eccles",
        "M6": "Salford",
        "M7": "Salford",
        "M5": "Salford",
        "M50": "Salford",
        "M27": "Swinton",
        "M28": "Walkden",
        "M25": "Prestwich",
    }
    if d in table:
        return table[d]
    for prefix, town in (("SK", "Stockport"), ("OL", "Oldham"), ("BL", "Bolton"), ("WN", "Wigan"), ("M", "Manchester")):
        if d.startswith(prefix):
            return town
    return ""


def split_address(addr):
    """'Oakland House, Talbot Road, Stretford' -> ('Oakland House', 'Oakland House, Talbot Road', 'Stretford')."""
    addr = clean_text(addr).rstrip(".").replace(" ,", ",")
    parts = [p.strip() for p in addr.split(",") if p.strip()]
    if len(parts) == 1:
        return "", parts[0], ""
    town = parts[-1]
    street = ", ".join(parts[:-1])
    first = parts[0]
    streety = re.search(
        r"\b(road|street|lane|avenue|way|drive|close|crescent|grove|walk|square|parade|precinct)\b", first, re.I
    )
    building = first if (len(parts) >= 3 and not first[0].isdigit() and not streety) else ""
    return building, street, town


# ---------------------------------------------------------------- invented values
DAY_SLOTS = [
    ("10:00", "12:00"),
    ("10:30", "12:00"),
    ("10:00", "11:30"),
    ("11:00", "13:00"),
    ("13:00", "15:00"),
    ("13:30", "15:30"),
    ("14:00", "16:00"),
    ("14:00", "15:30"),
]
EVE_SLOTS = [("18:00", "19:30"), ("18:30", "20:00"), ("19:00", "21:00"), ("19:30", "21:30")]
WEEKEND_SLOTS = [("09:00", "10:30"), ("09:30", "11:00"), ("10:00", "12:00"), ("10:30", "12:00")]
NOTES = {
    "default": [
        "Drop in, no need to book.",
        "Please ring before your first visit.",
        "Term time only.",
        "Not on bank holidays.",
        "New members welcome; tea and coffee provided.",
        "Booking preferred but drop-ins welcome.",
    ],
    "sport": [
        "Beginners and returners welcome; equipment can be borrowed.",
        "Season runs April to September.",
        "Try a free taster session first.",
        "Social session: all abilities, no competition pressure.",
    ],
    "online": [
        "The joining link is sent when you book.",
        "Camera optional; you can just listen.",
        "Help to get connected is available before your first session.",
    ],
    "helpline": ["Calls are confidential.", "If lines are busy, leave a message and you will be called back."],
    "lib": [
        "Drop in, no need to book.",
        "Bring your own device or use a library computer.",
        "Please book at the library counter.",
        "Not on bank holidays.",
    ],
}
CAPACITY = [
    "Small group: up to 12 people.",
    "Up to 20 people; arrive early.",
    "Popular session, booking advised.",
    "Places limited; ring ahead.",
]
SPORT_COST = [
    "per session",
    "per session; first session free",
    "per session; concessions available",
    "per session; annual membership also available",
    "per session for non-members",
]


class Builder:
    def __init__(self, samples, geodata, taxonomy_path, rng):
        self.rng = rng
        self.samples = samples
        self.gm = set()
        with open(os.path.join(geodata, "postcodes_greater_manchester.csv"), newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                self.gm.add(norm_pc(r["postcode"]))
        with open(taxonomy_path, newline="", encoding="utf-8") as f:
            self.taxonomy = {r["code"]: r for r in csv.DictReader(f)}
        self.mh = self._read("trafford_mental_health_services.csv")
        self.fb = self._read("gm_food_banks.csv")
        self.sc = self._read("trafford_sports_clubs.csv")
        self.lib = self._read("gm_libraries.csv")
        self.cc = {r["registered_charity_number"]: r for r in self._read("charities_operating_in_trafford.csv")}
        self.gr = {r["Identifier"]: r for r in self._read("trafford_council_voluntary_sector_grants_360giving.csv")}
        self.orgs = {}
        self.services = []
        self.omitted = []  # contact details deliberately left out
        self.skipped = []  # source rows deliberately not used, with the reason

    def _read(self, name):
        with open(os.path.join(self.samples, name), newline="", encoding="utf-8-sig") as f:
            return list(csv.DictReader(f))

    # ------------------------------------------------------------ lookups
    def find(self, table, key, value, postcode=None, col_pc=None):
        hits = [r for r in table if r[key].strip() == value and (postcode is None or norm_pc(r[col_pc]) == postcode)]
        if len(hits) != 1:
            raise SystemExit(f"lookup {key}={value!r} postcode={postcode!r}: {len(hits)} matches")
        return hits[0]

    def venue(self, key):
        """Real venues from the source files, used to place groups that have no venue of their own."""
        V = {
            "sale-library": ("lib", "Sale Library", {}),
            "altrincham-library": ("lib", "Altrincham Library", {}),
            "stretford-library": ("lib", "Stretford Library", {}),
            "urmston-library": ("lib", "Urmston Library", {}),
            "partington-library": ("lib", "Partington Library and Wellbeing Centre", {}),
            "old-trafford-library": ("lib", "Old Trafford Library at Limelight", {}),
            "timperley-library": ("lib", "Timperley Library", {}),
            "hale-library": ("lib", "Hale Library", {}),
            "woodsend-library": ("lib", "Woodsend Library", {}),
            "coppice-library": ("lib", "Coppice Library", {}),
            "sale-west-cc": ("mh", "Sporting Memories", {"location_name": "Sale West Community Centre"}),
            "old-trafford-wellbeing": (
                "mh",
                "Old Trafford Wellbeing Centre",
                {"location_name": "Old Trafford Wellbeing Centre"},
            ),
            "broomwood-wellbeing": (
                "mh",
                "Broomwood Wellbeing Centre",
                {"location_name": "Broomwood Wellbeing Centre"},
            ),
            "partington-wellbeing": (
                "mh",
                "Partington Library & Wellbeing Centre",
                {"location_name": "Partington Library & Wellbeing Centre"},
            ),
            "coppice-wellbeing": (
                "mh",
                "Coppice Library and Wellbeing Centre",
                {"location_name": "Coppice Library and Wellbeing Centre"},
            ),
            "gorse-hill-methodist": ("mh", "Target Cafe", {"location_name": "Gorse Hill Methodist Church"}),
            "walton-park": ("sc", "Walton Park Bowling Club", {"location_name": "Walton Park"}),
            "longford-park": ("sc", "Longford Park Bowling Club", {"location_name": "Longford Park"}),
            "victoria-park": ("sc", "Victoria Park Bowling Club", {"location_name": "Victoria Park, Stretford"}),
            "turn-moss": ("sc", "St Lawrence Gaelic Football Club", {"location_name": "Turn Moss playing fields"}),
            "davyhulme-park": ("sc", "Davyhulme Park Bowling Club", {"location_name": "Davyhulme Park"}),
            "hub-altrincham": (
                "grpc",
                "360G-traffordmbc-2023VSG31",
                {
                    "location_name": "The Hub Community Centre",
                    "address": "The Hub Community Centre, Altrincham",
                    "town": "Altrincham",
                },
            ),
            "st-johns-centre": (
                "grpc",
                "360G-traffordmbc-2023VSG32",
                {
                    "location_name": "St John's Centre",
                    "address": "St John's Centre, Old Trafford",
                    "town": "Manchester",
                },
            ),
            "stretford-public-hall": (
                "grpc",
                "360G-traffordmbc-2023VSG35",
                {
                    "location_name": "Stretford Public Hall",
                    "address": "Stretford Public Hall, Stretford",
                    "town": "Stretford",
                },
            ),
            "hope-centre-partington": (
                "grpc",
                "360G-traffordmbc-2023VSG34",
                {
                    "location_name": "Hope Centre (The Hideaway)",
                    "address": "Hope Centre, Partington",
                    "town": "Partington",
                },
            ),
            "our-sale-west": (
                "grpc",
                "360G-traffordmbc-2023VSG36",
                {"location_name": "Our Sale West community hub", "address": "Sale West, Sale", "town": "Sale"},
            ),
            "ageuk-urmston": ("mh", "Age UK Trafford (Dementia Service)", {"location_name": "Age UK Trafford"}),
            "carers-centre": ("mh", "Trafford Carers Centre", {"location_name": "Trafford Carers Centre"}),
            "g-force": ("mh", "G-Force", {"location_name": "G-Force"}),
            "alzheimers-sale": ("mh", "Alzheimers Society Trafford", {"location_name": "Dunham House"}),
            "salvation-army-sale": ("mh", "Salvation Army", {"location_name": "Salvation Army Sale"}),
            "united-response": ("mh", "United Response", {}),
            "lmcp": ("mh", "LMCP Care Link", {"location_name": "LMCP Care Link"}),
        }
        src, name, over = V[key]
        if src == "lib":
            r = self.find(self.lib, "name", name)
            building, street, town = split_address(r["address"])
            if street.split(",")[0].strip() == name:
                street = ", ".join(s.strip() for s in street.split(",")[1:]) or street
            loc = {"location_name": name, "address": street, "town": town, "postcode": norm_pc(r["postcode"])}
            label = f"{name} (GM libraries)"
        elif src == "mh":
            r = self.find(self.mh, "name", name)
            building, street, town = split_address(r["address"])
            loc = {
                "location_name": building or name,
                "address": street,
                "town": town,
                "postcode": norm_pc(r["postcode"]),
            }
            label = f"{over.get('location_name', name)} (Trafford mental health services)"
        elif src == "sc":
            r = self.find(self.sc, "name", name)
            building, street, town = split_address(r["address"])
            loc = {"location_name": name, "address": street, "town": town, "postcode": norm_pc(r["postcode"])}
            label = f"{over.get('location_name', name)} (postcode of {name}, Trafford sports clubs)"
        else:  # postcode of a hub in the grants file
            r = self.gr[name]
            loc = {"postcode": norm_pc(r["Recipient Org:Postal Code"])}
            label = f"{over['location_name']} (postcode from the 360Giving grants file)"
        loc.update(over)
        return loc, label

    # ------------------------------------------------------------ organisations
    def org(self, name, description="", url="", charity=""):
        o = self.orgs.setdefault(name, {"description": "", "url": "", "charity_number": ""})
        for k, v in (("description", description), ("url", url), ("charity_number", charity)):
            if v and not o[k]:
                o[k] = v
        return name

    def charity(self, number):
        return self.cc[str(number)]

    # ------------------------------------------------------------ invented details
    def invent_schedule(self, kind):
        rng = self.rng
        if kind in ("talk", "home", "online-course"):
            return []
        if kind == "helpline":
            a, b = rng.choice([("09:00", "17:00"), ("10:00", "16:00"), ("09:30", "16:30")])
            return [f"{d} {a}-{b}" for d in DAYS[:5]]
        if kind == "sport":
            out = []
            n = 1 if rng.random() < 0.5 else 2
            for _ in range(n):
                if rng.random() < 0.6:
                    d = rng.choice(DAYS[:5])
                    a, b = rng.choice(EVE_SLOTS)
                else:
                    d = rng.choice(DAYS[5:])
                    a, b = rng.choice(WEEKEND_SLOTS)
                s = f"{d} {a}-{b}"
                if s not in out:
                    out.append(s)
            return sorted(out, key=lambda x: DAYS.index(x[:3]))
        if kind == "evening":
            d = rng.choice(DAYS[:5])
            a, b = rng.choice(EVE_SLOTS)
            return [f"{d} {a}-{b}"]
        if kind == "monthly":
            o = rng.choice(["1st", "2nd", "3rd", "last"])
            d = rng.choice(DAYS[:6])
            a, b = rng.choice(DAY_SLOTS)
            return [f"{o} {d} {a}-{b}"]
        d = rng.choice(DAYS[:5] if kind != "weekend" else DAYS[5:])
        a, b = rng.choice(DAY_SLOTS)
        return [f"{d} {a}-{b}"]

    def invent_access(self, kind):
        rng = self.rng
        if kind == "lib":
            p = {"step_free": 1, "accessible_toilet": 0.9, "hearing_loop": 0.6, "public_transport": 1, "parking": 0.3}
        elif kind == "park":
            p = {"step_free": 0.5, "parking": 0.9, "public_transport": 0.8, "accessible_toilet": 0.3}
        elif kind == "sport":
            p = {"step_free": 0.6, "accessible_toilet": 0.45, "parking": 0.85, "public_transport": 0.6}
        else:
            p = {
                "step_free": 0.75,
                "accessible_toilet": 0.55,
                "hearing_loop": 0.25,
                "parking": 0.4,
                "public_transport": 0.85,
            }
        got = [a for a in ACCESS_ORDER if a in p and rng.random() < p[a]]
        return got

    # ------------------------------------------------------------ assembling services
    def add(self, s, kind, base_source):
        """Fill in the remaining columns of one service and store it."""
        rng = self.rng
        added = s.pop("added", False)
        s.setdefault("delivery", "venue")
        delivery = s["delivery"].split(";")
        if "venue" not in delivery:
            s["locations"] = []
        elif not s.get("locations"):
            raise SystemExit(f"{s['service_ref']}: venue delivery but no location")
        if "referral_routes" not in s:
            s["referral_routes"] = "self;link_worker;gp" if rng.random() < 0.25 else "self;link_worker"
        s.setdefault("accepting_referrals", "yes")
        if "schedule" not in s:
            sessions = self.invent_schedule(kind)
            s["schedule"] = "; ".join(sessions)
            added = True
            if not sessions and "schedule_note" not in s:
                s["schedule_note"] = (
                    "By appointment." if kind != "online-course" else "Self-paced online course; start any time."
                )
            elif "schedule_note" not in s and rng.random() < 0.35:
                s["schedule_note"] = rng.choice(NOTES.get(kind, NOTES["default"]))
        if "cost" not in s:
            if kind == "sport":
                s["cost"] = rng.choice(["2.00", "2.50", "3.00", "3.50", "4.00", "4.50", "5.00", "6.00"])
                s.setdefault("cost_description", rng.choice(SPORT_COST))
            else:
                s["cost"] = "free"
            added = True
        if "languages" not in s:
            s["languages"] = "English"
        if "venue" in delivery and "accessibility" not in s:
            s["accessibility"] = ";".join(self.invent_access(s.pop("access_kind", kind)))
            added = True
        s.pop("access_kind", None)
        if "min_age" not in s and kind in ("mh", "talk", "helpline", "adult", "evening", "online", "online-course"):
            s["min_age"] = "16" if kind == "helpline" else "18"
            added = True
        if "capacity_note" not in s and kind not in ("helpline", "fb") and rng.random() < 0.12:
            s["capacity_note"] = rng.choice(CAPACITY)
            added = True
        if s.get("accepting_referrals") == "waiting_list" and not s.get("capacity_note"):
            s["capacity_note"] = "Waiting list: currently about 6 to 8 weeks."
        s["source"] = base_source + (f"; {ADDED}" if added else "")
        self.services.append(s)

    def rows(self):
        for name, over in ORG_OVERRIDES.items():
            if name in self.orgs:
                self.orgs[name].update(over)
        for name, o in self.orgs.items():
            if not o["description"] and o["charity_number"] in self.cc:
                o["description"] = first_sentences(self.cc[o["charity_number"]]["charity_activities"], 400)
                o["from_cc"] = True
        out = []
        for s in self.services:
            o = self.orgs[s["organisation_name"]]
            if o.get("from_cc") and SRC["cc"] not in s["source"]:
                s["source"] = (
                    s["source"].replace(f"; {ADDED}", "")
                    + f"; organisation description from {SRC['cc']}"
                    + (f"; {ADDED}" if s["source"].endswith(ADDED) else "")
                )
            base = {c: "" for c in COLUMNS}
            for c in COLUMNS:
                if c in s and s[c] is not None:
                    base[c] = str(s[c])
            base["organisation_description"] = o["description"]
            base["organisation_url"] = o["url"]
            base["charity_number"] = o["charity_number"]
            locs = s.get("locations") or [None]
            for loc in locs:
                row = dict(base)
                if loc:
                    for k in ("location_name", "address", "town", "postcode", "schedule", "schedule_note"):
                        if loc.get(k):
                            row[k] = loc[k]
                    row["address_published"] = loc.get("address_published", s.get("address_published", "yes"))
                    row["postcode"] = norm_pc(row["postcode"])
                out.append(row)
        # A venue's access features belong to the building, not the service: every row naming
        # the same venue carries the first row's features, so re-imports change nothing.
        venue_access = {}
        for row in out:
            if row["postcode"]:
                key = (row["organisation_name"], row["postcode"], row["location_name"])
                row["accessibility"] = venue_access.setdefault(key, row["accessibility"])
        return out

    # ------------------------------------------------------------ per-source builders
    def _common(self, s, spec):
        """Apply the generic spec keys shared by every builder."""
        spec = dict(spec)
        if "desc" in spec:
            s["description"] = spec.pop("desc")
        if "desc_grant" in spec:
            s["description"] = clean_text(self.gr[spec.pop("desc_grant")]["Description"])
        if "desc_add" in spec:
            s["description"] = (s.get("description", "") + " " + spec.pop("desc_add")).strip()
            s["added"] = True
        if "venue" in spec:
            loc, label = self.venue(spec.pop("venue"))
            loc.update(spec.pop("loc", {}))
            s["locations"] = [loc]
            if spec.pop("own_venue", False):  # the organisation's own premises, found in another file
                s["also_source"] = (s.get("also_source", "") + "; " if s.get("also_source") else "") + f"venue: {label}"
            else:
                s["_placed"] = label
        elif "loc_from_charity" in spec:
            r = self.charity(spec.pop("loc_from_charity"))
            pc = norm_pc(r["charity_contact_postcode"])
            s["locations"] = [
                {
                    "location_name": s["organisation_name"],
                    "address": "Venue address given on booking",
                    "town": town_for(pc),
                    "postcode": pc,
                }
            ]
            s["also_source"] = SRC["cc"] + " (venue postcode)"
        elif "loc" in spec and s.get("locations"):
            s["locations"][0].update(spec.pop("loc"))
        for loc in spec.pop("more_venues", []):
            l2, _ = self.venue(loc) if isinstance(loc, str) else (loc, "")
            s["locations"].append(l2)
        if spec.pop("sched_added", False):
            s["added"] = True
        if "schedule" in spec and isinstance(spec["schedule"], list):
            spec["schedule"] = "; ".join(spec["schedule"])
        for k in ("min_age", "max_age"):
            if k in spec:
                spec[k] = str(spec[k])
        s.update(spec)
        return s

    def _finish_source(self, s, base):
        placed = s.pop("_placed", None)
        extra = s.pop("also_source", "")
        src = base + (f"; {extra}" if extra and extra not in base else "")
        if placed:
            src += f"; no venue in source, placed at {placed}"
        return src

    def build_mh(self, specs):
        for name, pc, spec in specs:
            r = self.find(self.mh, "name", name, pc, "postcode") if pc else self.find(self.mh, "name", name)
            spec = dict(spec)
            kind = spec.pop("kind", "mh")
            org = self.org(
                spec.pop("org", name),
                spec.pop("org_desc", ""),
                spec.pop("org_url", clean_url(r["website"])),
                spec.pop("charity", ""),
            )
            building, street, town = split_address(r["address"])
            loc = {
                "location_name": spec.pop("location_name", building or org),
                "address": street,
                "town": town,
                "postcode": norm_pc(r["postcode"]),
            }
            s = {
                "service_ref": "mh-" + slug(spec.pop("ref", name)),
                "organisation_name": org,
                "service_name": spec.pop("name", name),
                "description": clean_text(r["description"]),
                "phone": clean_phone(r["telephone"], self.omitted, f"{name} ({SRC['mh']})"),
                "url": clean_url(r["website"]),
                "locations": [loc],
            }
            for extra_name, extra_pc in spec.pop("also_at", []):
                r2 = self.find(self.mh, "name", extra_name, extra_pc, "postcode")
                b2, st2, t2 = split_address(r2["address"])
                s["locations"].append(
                    {"location_name": b2, "address": st2, "town": t2, "postcode": norm_pc(r2["postcode"])}
                )
            parsed = parse_schedule(r["description"])
            if parsed and "schedule" not in spec:
                s["schedule"] = "; ".join(parsed)
            s = self._common(s, spec)
            self.add(s, kind, self._finish_source(s, SRC["mh"]))

    def build_fb(self, specs):
        for name, pc, spec in specs:
            r = self.find(self.fb, "Name", name, pc, "Postcode")
            spec = dict(spec)
            kind = spec.pop("kind", "fb")
            org = self.org(
                spec.pop("org", name.strip()),
                spec.pop("org_desc", ""),
                spec.pop("org_url", clean_url(r["Website"])),
                spec.pop("charity", ""),
            )
            building, street, town = split_address(r["Address"])
            loc = {
                "location_name": spec.pop("location_name", building or org),
                "address": street,
                "town": town,
                "postcode": norm_pc(r["Postcode"]),
            }
            ref_text = clean_text(r["Referral method"]).rstrip(".")
            times = clean_text(r["Opening times"]).rstrip(".")
            desc = spec.pop("desc_lead", "Food bank.")
            if ref_text and ref_text.lower() != "not known":
                desc += f" Access: {ref_text}."
            if times and times.lower() not in ("not known", "na", "n/a"):
                desc += f" Published opening times (2018): {first_sentences(times, 200).rstrip('.')}."
            s = {
                "service_ref": "fb-" + slug(spec.pop("ref", f"{org} {loc['location_name']}")),
                "organisation_name": org,
                "service_name": spec.pop(
                    "name", f"{org} – {loc['location_name']}" if loc["location_name"] != org else org
                ),
                "description": desc,
                "url": clean_url(r["Website"]),
                "locations": [loc],
                "needs": "food;food-banks",
            }
            if "schedule" not in spec:
                parsed = parse_schedule(r["Opening times"])
                if parsed:
                    s["schedule"] = "; ".join(parsed)
            s = self._common(s, spec)
            self.add(s, kind, self._finish_source(s, SRC["fb"]))

    SPORT_NEEDS = {
        "Swimming": "physical-activity;swimming",
        "Walking": "physical-activity;walking",
        "Walking Football": "physical-activity;walking;sport-and-exercise",
        "Bowling": "physical-activity;sport-and-exercise;social-connection",
    }
    SPORT_BLURB = [
        "Adults of all abilities are welcome, including beginners and people returning to sport.",
        "Friendly club with regular social sessions; new members are always welcome.",
        "Coaching is available for beginners, and there are social as well as competitive sessions.",
        "A welcoming, volunteer-run club; try a taster session before joining.",
    ]

    def build_sc(self, specs):
        for name, spec in specs:
            r = self.find(self.sc, "name", name)
            spec = dict(spec)
            cat = r["category"].strip()
            org = self.org(
                spec.pop("org", re.sub(r"\s+", " ", name).strip()), spec.pop("org_desc", ""), spec.pop("org_url", "")
            )
            building, street, town = split_address(r["address"])
            loc = {
                "location_name": spec.pop("location_name", org),
                "address": street,
                "town": town,
                "postcode": norm_pc(r["postcode"]),
            }
            desc = f"{org}: {cat.lower()} club in {town}. {self.rng.choice(self.SPORT_BLURB)}"
            s = {
                "service_ref": "sc-" + slug(spec.pop("ref", name)),
                "organisation_name": org,
                "service_name": spec.pop("name", org),
                "description": desc,
                "locations": [loc],
                "needs": self.SPORT_NEEDS.get(cat, "physical-activity;sport-and-exercise"),
                "added": True,
            }
            s = self._common(s, spec)
            self.add(s, "sport", self._finish_source(s, SRC["sc"]))

    LIB_SERVICES = {
        "digital": (
            "Digital drop-in",
            "digital-skills",
            "Free one-to-one help with computers, tablets and smartphones: getting online, e-mail, video calls, the NHS App and online forms.",
        ),
        "knit": (
            "Knit and natter",
            "social-connection;social-groups;arts-and-creativity;visual-arts-and-crafts",
            "A friendly knitting and crochet group. Bring your own project or learn from scratch; all abilities welcome, and a good way to meet people.",
        ),
        "reading": (
            "Reading group",
            "learning-and-hobbies;reading-and-literacy;social-connection",
            "A monthly book group: read the chosen book and meet to talk about it over a cup of tea. Copies are lent by the library.",
        ),
        "history": (
            "Family history help",
            "learning-and-hobbies;local-history",
            "Help to start researching your family tree and local history, using the local studies collections and free online resources.",
        ),
        "esol": (
            "English conversation cafe",
            "learning-and-hobbies;english-language;social-connection",
            "Informal English conversation practice with volunteers for people whose first language is not English. All levels welcome.",
        ),
        "jobs": (
            "Job club",
            "employment-and-skills;job-search-support;digital-skills",
            "Help with job searching, CVs and online applications using library computers.",
        ),
        "chat": (
            "Chatty cafe table",
            "social-connection;community-cafes",
            "A table where anyone can sit down for a chat with a volunteer and other visitors. Free tea and coffee.",
        ),
    }
    LIB_ORGS = {
        "Trafford": (
            "Trafford Libraries",
            "Public libraries run by or with Trafford Council.",
            "https://www.trafford.gov.uk/residents/leisure-and-lifestyle/libraries/libraries.aspx",
        ),
        "Manchester": ("Manchester Libraries", "Public libraries run by or with Manchester City Council.", ""),
        "Salford": (
            "Salford Community Leisure libraries",
            "Public libraries in Salford run by Salford Community Leisure.",
            "",
        ),
        "Stockport": ("Stockport Libraries", "Public libraries run by Stockport Council.", ""),
    }

    def build_lib(self, specs):
        for name, what, spec in specs:
            r = self.find(self.lib, "name", name)
            spec = dict(spec)
            oname, odesc, ourl = self.LIB_ORGS[r["area_name"]]
            org = self.org(oname, odesc, ourl)
            building, street, town = split_address(r["address"])
            if street.split(",")[0].strip() == name:
                street = ", ".join(p.strip() for p in street.split(",")[1:]) or street
            title, needs, text = self.LIB_SERVICES[what]
            email = r["email"].strip()
            if email in ("", "NA") or not re.match(r"^[a-z.]*(library|libraries|locals|ucan)[a-z.]*@", email, re.I):
                if email not in ("", "NA"):
                    self.omitted.append(f"{name} ({SRC['lib']}): e-mail {email} looks like a named person's address")
                email = ""
            s = {
                "service_ref": f"lib-{slug(name)}-{what}",
                "organisation_name": org,
                "service_name": f"{title} at {name}",
                "description": f"{text} Held at {name}.",
                "needs": needs,
                "email": email,
                "url": clean_url(r["website"]),
                "locations": [
                    {"location_name": name, "address": street, "town": town, "postcode": norm_pc(r["postcode"])}
                ],
                "added": True,
            }
            kind = "monthly" if what in ("reading",) else "lib"
            s = self._common(s, spec)
            self.add(s, kind, self._finish_source(s, SRC["lib"]))

    def build_cc(self, specs):
        for number, spec in specs:
            r = self.charity(number)
            spec = dict(spec)
            kind = spec.pop("kind", "adult")
            org = self.org(
                spec.pop("org"),
                spec.pop("org_desc", first_sentences(r["charity_activities"], 400)),
                spec.pop("org_url", clean_url(r["charity_contact_web"])),
                str(number),
            )
            pc = norm_pc(r["charity_contact_postcode"])
            s = {
                "service_ref": "cc-" + slug(spec.pop("ref", spec.get("name", org))),
                "organisation_name": org,
                "service_name": spec.pop("name", org),
                "description": first_sentences(r["charity_activities"], 400),
                "url": clean_url(r["charity_contact_web"]),
                "locations": [
                    {
                        "location_name": spec.pop("location_name", org),
                        "address": "Venue address given on booking",
                        "town": town_for(pc),
                        "postcode": pc,
                    }
                ],
            }
            s = self._common(s, spec)
            self.add(s, kind, self._finish_source(s, SRC["cc"]))

    def build_gr(self, specs):
        for ident, spec in specs:
            r = self.gr[ident]
            spec = dict(spec)
            kind = spec.pop("kind", "adult")
            number = r["Recipient Org:Charity Number"].strip().lstrip("0")
            url = clean_url(r["Recipient Org:Web Address"])
            org = self.org(
                spec.pop("org", r["Recipient Org:Name"].strip()),
                spec.pop("org_desc", ""),
                spec.pop("org_url", url),
                spec.pop("charity", number),
            )
            s = {
                "service_ref": "gr-" + slug(spec.pop("ref", spec.get("name", org))),
                "organisation_name": org,
                "service_name": spec.pop("name", org),
                "description": clean_text(r["Description"]),
                "url": url,
            }
            s = self._common(s, spec)
            if not (s.get("email") or s.get("phone") or s.get("url") or self.orgs[org]["url"]):
                s["email"] = f"{slug(org)[:40].strip('-')}@example.org"
            year = r["Award Date"][:4]
            self.add(s, kind, self._finish_source(s, f"{SRC['gr']} (grant awarded {year})"))


# ====================================================================== selections
# Each entry picks one real listing and says which needs it meets. Keys other
# than the needs mapping override or add columns; anything invented is flagged
# in `source` by the builder.

ORG_OVERRIDES = {
    "blueSCI": {"url": ""},
    "Self Help Services": {"url": "https://www.selfhelpservices.org.uk/"},
}

SELF_HELP = "Self Help Services"
BLUESCI = "blueSCI"
SELF_HELP_DESC = "Mental health charity running peer support, anxiety and depression groups and online therapy in Greater Manchester (Trafford Self Help Services)."
BLUESCI_DESC = "Community wellbeing organisation running wellbeing centres in Trafford, with Wellbeing Practitioners and arts, crafts and music activities."

MH_SPECS = [
    (
        "Mood Swings Network",
        None,
        dict(
            needs="mental-wellbeing;peer-support-groups;carers-support",
            eligibility="People with mood disorders (such as bipolar disorder or depression) and their friends and families",
            sched_added=True,
        ),
    ),
    (
        "42nd Street",
        None,
        dict(
            needs="mental-wellbeing;talking-therapies",
            kind="talk",
            min_age=13,
            max_age=25,
            accepting_referrals="waiting_list",
            referral_routes="self;link_worker;gp",
        ),
    ),
    (
        "LGBT Foundation",
        None,
        dict(
            needs="mental-wellbeing;advice-and-advocacy;peer-support-groups",
            eligibility="Lesbian, gay, bisexual and trans people",
        ),
    ),
    (
        "The Proud Trust",
        None,
        dict(
            needs="social-connection;social-groups;mental-wellbeing;peer-support-groups",
            kind="evening",
            min_age=13,
            max_age=25,
            eligibility="LGBT+ young people",
        ),
    ),
    (
        "African Caribbean Care Group",
        None,
        dict(
            needs="social-connection;befriending;long-term-conditions",
            eligibility="Older African and Caribbean adults who are isolated or living with a long-term condition or disability",
            min_age=55,
            location_name="Claremont Resource Centre",
        ),
    ),
    (
        "LMCP Care Link",
        None,
        dict(
            needs="mental-wellbeing;peer-support-groups",
            eligibility="South Asian women",
            languages="English;Urdu;Punjabi",
            ref="lmcp-care-link-womens-group",
            name="South Asian women's mental health support",
        ),
    ),
    (
        "Manchester Refugee Support Network",
        None,
        dict(
            needs="advice-and-advocacy;social-connection;mental-wellbeing",
            eligibility="Refugees and people seeking asylum",
            languages="English;Arabic",
        ),
    ),
    (
        "African and Caribbean Mental Health Services",
        None,
        dict(
            needs="mental-wellbeing;talking-therapies;advice-and-advocacy",
            kind="talk",
            min_age=16,
            eligibility="African and African Caribbean people with mental health problems registered with a Manchester GP",
            referral_routes="self;link_worker;gp",
        ),
    ),
    (
        "Relate Greater Manchester South",
        None,
        dict(
            needs="mental-wellbeing;talking-therapies",
            kind="talk",
            cost="30.00",
            cost_description="per counselling session; reduced fees for people on low incomes",
            org="Relate Greater Manchester South",
            sched_added=True,
        ),
    ),
    (
        "Talk Listen Change (TLC)",
        None,
        dict(
            needs="mental-wellbeing;talking-therapies",
            kind="talk",
            org="TLC: Talk, Listen, Change",
            charity="512710",
            accepting_referrals="waiting_list",
            also_source=SRC["cc"],
        ),
    ),
    (
        "Black Health Agency",
        None,
        dict(needs="advice-and-advocacy;mental-wellbeing", org="BHA for Equality", charity="1079727", kind="adult"),
    ),
    (
        "Old Trafford Wellbeing Centre",
        None,
        dict(
            needs="mental-wellbeing;wellbeing-courses;arts-and-creativity;social-connection",
            org=BLUESCI,
            org_desc=BLUESCI_DESC,
            name="Wellbeing sessions at Old Trafford Wellbeing Centre",
            location_name="Old Trafford Wellbeing Centre",
            languages="English;Urdu;Arabic",
        ),
    ),
    (
        "Trafford Domestic Abuse Service",
        None,
        dict(
            needs="advice-and-advocacy;domestic-abuse-support;mental-wellbeing",
            org="Trafford Domestic Abuse Services",
            charity="1120983",
            name="Domestic abuse survivors' support group",
            desc_add="This weekly group offers peer support and information for survivors. For safety the venue is only given on referral.",
            address_published="no",
            referral_routes="self;link_worker;gp",
            eligibility="Adults who have experienced domestic abuse",
            loc={
                "location_name": "Confidential venue",
                "address": "Stretford area (address given on referral)",
                "town": "Stretford",
            },
            also_source=SRC["cc"],
        ),
    ),
    ("Alchemy Arts", None, dict(needs="arts-and-creativity;music-and-singing;mental-wellbeing;wellbeing-courses")),
    (
        "Voice of BME Trafford",
        None,
        dict(
            needs="advice-and-advocacy",
            languages="English;Urdu;Punjabi;Arabic",
            eligibility="Black and minority ethnic residents of Trafford",
            service_area=TRAFFORD_AREA,
        ),
    ),
    (
        "Trafford Centre for Independent Living",
        None,
        dict(
            needs="advice-and-advocacy;disability-advice",
            charity="1145800",
            eligibility="Trafford residents with physical, sensory, learning or mental health impairments",
            service_area=TRAFFORD_AREA,
            kind="adult",
        ),
    ),
    (
        "Trafford Mental Health Advocacy Service",
        None,
        dict(
            needs="advice-and-advocacy;advocacy;mental-wellbeing",
            kind="talk",
            referral_routes="link_worker;gp",
            eligibility="Patients detained under the Mental Health Act who qualify for an Independent Mental Health Advocate",
            service_area=TRAFFORD_AREA,
        ),
    ),
    (
        "CDI Community Counselling Service",
        None,
        dict(
            needs="mental-wellbeing;talking-therapies",
            kind="talk",
            org="CDI (Community Development Initiative)",
            languages="English;Urdu;Punjabi",
            accepting_referrals="waiting_list",
        ),
    ),
    (
        "South Asian Disability Support Network",
        None,
        dict(
            needs="advice-and-advocacy;disability-advice;carers-support",
            languages="English;Urdu;Punjabi",
            eligibility="South Asian families affected by disability",
        ),
    ),
    (
        "Pakistani Resource Centre (Trafford South Asian Mental Health Service)",
        None,
        dict(
            needs="mental-wellbeing;carers-support;peer-support-groups",
            org="Pakistani Resource Centre",
            name="Trafford South Asian Mental Health Service",
            languages="English;Urdu;Punjabi",
            eligibility="South Asian adults experiencing mental ill-health, and their carers and families",
            service_area=TRAFFORD_AREA,
        ),
    ),
    (
        "Trafford eTherapy Service",
        None,
        dict(
            needs="mental-wellbeing;wellbeing-courses;talking-therapies",
            delivery="online",
            kind="online-course",
            org=SELF_HELP,
            org_desc=SELF_HELP_DESC,
            referral_routes="self;link_worker;gp",
        ),
    ),
    (
        "Zion Centre (Peer Support)",
        None,
        dict(
            needs="mental-wellbeing;peer-support-groups",
            org=SELF_HELP,
            org_desc=SELF_HELP_DESC,
            name="Peer support at the Zion Centre",
            location_name="Zion Centre",
            schedule="Mon 10:00-16:00; Tue 10:00-16:00; Wed 10:00-16:00; Thu 10:00-16:00; Fri 10:00-16:00",
            schedule_note="Monday to Friday (from the listing); hours added for demo. Ring to arrange a first meeting.",
            sched_added=True,
        ),
    ),
    (
        "Chorlton Anxiety Group",
        None,
        dict(
            needs="mental-wellbeing;peer-support-groups",
            org=SELF_HELP,
            org_desc=SELF_HELP_DESC,
            location_name="Chorlton Methodist Church",
        ),
    ),
    (
        "Zion Anxiety Group",
        None,
        dict(
            needs="mental-wellbeing;peer-support-groups",
            org=SELF_HELP,
            org_desc=SELF_HELP_DESC,
            location_name="Zion Centre",
        ),
    ),
    (
        "Stretford Hearing Voices",
        None,
        dict(
            needs="mental-wellbeing;peer-support-groups",
            org="Stretford Hearing Voices Group",
            schedule="Thu 14:00-16:00",
            schedule_note="Starts 2pm (from the listing); finish time added for demo.",
            sched_added=True,
            eligibility="People who hear voices",
            location_name="St Francis Church",
        ),
    ),
    (
        "Autistic Society for the Greater Manchester Area (ASGMA)",
        None,
        dict(
            needs="social-connection;social-groups;advice-and-advocacy",
            eligibility="Autistic people",
            location_name="ASGMA",
        ),
    ),
    (
        "Collaborative Women UK",
        None,
        dict(
            needs="advice-and-advocacy;housing;mental-wellbeing",
            org="Collaborative Women UK CIC",
            name="Women's drop-in at Stretford Library",
            eligibility="Women only",
            schedule="Wed 13:30-16:00",
            schedule_note="Wednesday afternoons (from the listing); times added for demo.",
            sched_added=True,
            location_name="Stretford Library",
        ),
    ),
    (
        "Homestart",
        None,
        dict(
            needs="social-connection;mental-wellbeing;befriending",
            org="Home-Start Trafford, Salford and Wigan",
            charity="1115320",
            org_url="http://www.hsts.org.uk",
            name="Home-Start family support",
            eligibility="Families with children under 18 going through a difficult time",
            kind="talk",
            location_name="Stretford Children's Centre & Early Help Hub",
            also_source=SRC["cc"],
        ),
    ),
    (
        "Age UK Trafford (Dementia Service)",
        None,
        dict(
            needs="long-term-conditions;dementia;carers-support",
            org="Age UK Trafford",
            charity="1109047",
            org_url="https://www.ageuk.org.uk/trafford/",
            name="Dementia advice and support",
            kind="talk",
            location_name="Age UK Trafford",
            min_age=18,
        ),
    ),
    (
        "Urmston Depression Group (Trafford Self Help Services)",
        None,
        dict(
            needs="mental-wellbeing;peer-support-groups",
            org=SELF_HELP,
            org_desc=SELF_HELP_DESC,
            name="Urmston Depression Group",
            location_name="Urmston Library",
        ),
    ),
    (
        "Leonard Cheshire Disability",
        None,
        dict(
            needs="advice-and-advocacy;disability-advice;employment-and-skills",
            org="Leonard Cheshire",
            location_name="Leonard Cheshire, Golden Way",
            eligibility="Disabled adults",
            kind="adult",
        ),
    ),
    (
        "The Toy House",
        None,
        dict(
            needs="social-connection;carers-support;community-cafes",
            charity="1168925",
            eligibility="Parents and carers with young children; disabled people of all ages are especially welcome",
            min_age="",
            location_name="The Toy House",
            also_source=SRC["cc"],
        ),
    ),
    (
        "MacMillan Wellbeing Centre",
        None,
        dict(
            needs="long-term-conditions;cancer;mental-wellbeing",
            org="Macmillan Wellbeing Centre Trafford",
            name="Macmillan Wellbeing Centre monthly drop-in",
            schedule="3rd Wed 10:00-13:00",
            schedule_note="Third Wednesday of each month (from the listing); times added for demo.",
            sched_added=True,
            eligibility="People with a cancer diagnosis, and their families and carers",
            location_name="Trafford General Hospital",
        ),
    ),
    (
        "Being There",
        "M41 5SN",
        dict(
            needs="long-term-conditions;cancer;bereavement;mental-wellbeing",
            org="Being There (Call Plus)",
            charity="1016053",
            ref="being-there",
            also_at=[("Being There", "M23 9LT")],
            kind="talk",
            eligibility="People with cancer or another life-limiting illness, and their families",
            also_source=SRC["cc"],
        ),
    ),
    (
        "Alzheimers Society Trafford",
        None,
        dict(
            needs="long-term-conditions;dementia;carers-support",
            org="Alzheimer's Society Trafford",
            name="Dementia support service",
            eligibility="People living with dementia and their carers",
            location_name="Dunham House",
            kind="talk",
        ),
    ),
    (
        "Trafford Psychological Therapies",
        None,
        dict(
            needs="mental-wellbeing;talking-therapies",
            kind="talk",
            org="Greater Manchester Mental Health NHS Foundation Trust",
            min_age=16,
            location_name="Trafford Psychological Therapies",
            accepting_referrals="waiting_list",
            referral_routes="self;link_worker;gp",
            eligibility="Adults registered with a Trafford GP who have anxiety or depression",
            service_area=TRAFFORD_AREA,
        ),
    ),
    (
        "Victim Support & Witness Service",
        None,
        dict(
            needs="advice-and-advocacy;mental-wellbeing",
            org="Victim Support",
            location_name="Sale Town Hall",
            kind="talk",
        ),
    ),
    (
        "Talkshop Trafford",
        None,
        dict(
            needs="advice-and-advocacy;mental-wellbeing",
            min_age=13,
            max_age=25,
            org="Trafford Council",
            eligibility="Young people aged 13 to 19 (up to 25 in some circumstances)",
            location_name="Sale Waterside",
        ),
    ),
    (
        "Trafford Carers Centre",
        None,
        dict(
            needs="carers-support",
            charity="1102075",
            eligibility="Unpaid carers",
            service_area=TRAFFORD_AREA,
            name="Carers' support and advice",
            kind="adult",
        ),
    ),
    (
        "Dance System CIC",
        "M33 3JR",
        dict(
            needs="physical-activity;dance;mental-wellbeing;wellbeing-courses",
            ref="dance-system-sale",
            name="Dance and meditation course (Sale)",
            cost="30.00",
            cost_description="for the 6-week course",
            kind="evening",
            location_name="Sale High School",
        ),
    ),
    (
        "Dance System CIC",
        "WA15 8AP",
        dict(
            needs="physical-activity;dance;mental-wellbeing;wellbeing-courses",
            ref="dance-system-altrincham",
            name="Essentia dance and wellbeing course (Altrincham)",
            cost="45.00",
            cost_description="for the 8-week course",
            kind="evening",
            location_name="Altrincham Football Club community sports hall",
        ),
    ),
    (
        "Parent Support Group",
        None,
        dict(
            needs="mental-wellbeing;peer-support-groups;social-connection",
            org="Parent Support Group (Sale)",
            eligibility="Mothers experiencing postnatal depression, anxiety or loneliness",
            location_name="Life Centre cafe",
        ),
    ),
    (
        "New Way Forward",
        None,
        dict(
            needs="mental-wellbeing;peer-support-groups;arts-and-creativity;visual-arts-and-crafts",
            charity="508746",
            location_name="The Avenue Methodist Church",
        ),
    ),
    (
        "Coppice Library and Wellbeing Centre",
        None,
        dict(
            needs="mental-wellbeing;wellbeing-courses;arts-and-creativity;social-connection",
            org=BLUESCI,
            org_desc=BLUESCI_DESC,
            name="Wellbeing sessions at Coppice Library and Wellbeing Centre",
            location_name="Coppice Library and Wellbeing Centre",
        ),
    ),
    (
        "Sporting Memories",
        None,
        dict(
            needs="long-term-conditions;dementia;social-connection;social-groups",
            org="Sporting Memories Network",
            name="Sale Sporting Memories group",
            min_age=50,
            location_name="Sale West Community Centre",
        ),
    ),
    (
        "Ear4U (listening ear service)",
        None,
        dict(
            needs="social-connection;mental-wellbeing;helplines",
            delivery="phone",
            kind="helpline",
            org="Ear4U",
            name="Ear4U listening ear service",
            service_area=TRAFFORD_AREA,
        ),
    ),
    (
        "Partington Library & Wellbeing Centre",
        None,
        dict(
            needs="mental-wellbeing;wellbeing-courses;arts-and-creativity;social-connection",
            org=BLUESCI,
            org_desc=BLUESCI_DESC,
            name="Wellbeing sessions at Partington Wellbeing Centre",
            location_name="Partington Library & Wellbeing Centre",
        ),
    ),
    (
        "Creative Support",
        None,
        dict(
            needs="mental-wellbeing;disability-advice;advice-and-advocacy",
            kind="talk",
            eligibility="People with learning disabilities, mental health needs or complex needs",
        ),
    ),
    (
        "Open Studios CIC",
        None,
        dict(
            needs="arts-and-creativity;visual-arts-and-crafts;mental-wellbeing",
            cost="5.00",
            cost_description="per class; materials included",
            location_name="Open Studios",
        ),
    ),
    (
        "The Counselling and Family Centre",
        None,
        dict(
            needs="mental-wellbeing;talking-therapies",
            kind="talk",
            charity="1133079",
            accepting_referrals="waiting_list",
            cost="15.00",
            cost_description="suggested donation per session; free for people on benefits",
            location_name="The Counselling and Family Centre",
        ),
    ),
    (
        "Larkhill Demetia Cafe (Later Life Living)",
        None,
        dict(
            needs="long-term-conditions;dementia;carers-support;social-connection",
            org="Later Life Living (The Larkhill Centre)",
            name="Larkhill Dementia Cafe",
            schedule_note="Alternate Saturdays (from the listing).",
            eligibility="People affected by dementia, and their families and friends",
            location_name="The Larkhill Centre",
        ),
    ),
    (
        "Broomwood Wellbeing Centre",
        None,
        dict(
            needs="mental-wellbeing;wellbeing-courses;arts-and-creativity;social-connection",
            org=BLUESCI,
            org_desc=BLUESCI_DESC,
            name="Wellbeing sessions at Broomwood Wellbeing Centre",
            location_name="Broomwood Wellbeing Centre",
        ),
    ),
    (
        "G-Force",
        None,
        dict(
            needs="social-connection;mental-wellbeing;arts-and-creativity;visual-arts-and-crafts",
            charity="1110767",
            name="G-Force listening ear and activities",
            location_name="G-Force",
        ),
    ),
    (
        "United Response",
        None,
        dict(
            needs="disability-advice;advice-and-advocacy;mental-wellbeing",
            kind="talk",
            eligibility="Adults and young people with learning disabilities, autism, mental health needs or physical disabilities",
            location_name="United Response",
        ),
    ),
    (
        "Manchester Rape Crisis",
        None,
        dict(
            needs="advice-and-advocacy;domestic-abuse-support;mental-wellbeing;helplines",
            delivery="phone",
            kind="helpline",
            name="Manchester Rape Crisis helpline",
            eligibility="Women and girls who have experienced sexual violence (helpline open to all ages)",
            min_age="",
        ),
    ),
    (
        "Samaritans",
        None,
        dict(
            needs="mental-wellbeing;helplines",
            delivery="phone",
            org="Manchester and Salford Samaritans",
            charity="1173721",
            schedule="",
            schedule_note="24 hours a day, every day.",
            name="Samaritans listening service",
            min_age="",
            referral_routes="self;link_worker;gp",
        ),
    ),
    (
        "Target Cafe",
        None,
        dict(
            needs="mental-wellbeing;peer-support-groups;social-connection;community-cafes",
            schedule="Sat 11:00-14:00",
            sched_added=True,
            schedule_note="Every other Saturday (from the listing); times added for demo.",
            location_name="Gorse Hill Methodist Church",
            eligibility="People of all ages who want support to stay free from drugs and alcohol",
            min_age="",
        ),
    ),
    (
        "Salvation Army",
        None,
        dict(
            needs="social-connection;community-cafes",
            org="Salvation Army Sale",
            charity="214779",
            name="Pop-up community cafe",
            desc_grant="360G-traffordmbc-2023VSG13",
            location_name="Salvation Army Sale",
            also_source=f"{SRC['gr']} (grant awarded 2023)",
        ),
    ),
]

TRUSSELL_DESC = "A foodbank in the Trussell Trust network, giving three days' emergency food to people referred with a foodbank voucher."
VOUCHER = dict(
    referral_routes="link_worker;gp",
    eligibility="People in crisis who have a foodbank voucher from a referral agency (for example a GP practice, link worker or Citizens Advice)",
    desc_lead="Emergency food parcels.",
)
QUIDS_IN = "Southway Housing Quids In food clubs"

FB_SPECS = [
    # Trafford
    (
        "Trussell Trust",
        "M31 4BU",
        dict(
            VOUCHER,
            org="Trafford South Foodbank",
            charity="1181504",
            org_desc=TRUSSELL_DESC,
            location_name="The Fuse ROC Centre",
            also_source=SRC["cc"],
        ),
    ),
    (
        "Trussell Trust",
        "M32 9AF",
        dict(
            VOUCHER,
            org="Stretford Foodbank",
            charity="1167416",
            org_desc=TRUSSELL_DESC,
            org_url="http://www.stretford.foodbank.org.uk",
            location_name="Trafford Christian Life Centre",
            also_source=SRC["cc"],
        ),
    ),
    (
        "Trussell Trust",
        "M33 2RP",
        dict(VOUCHER, org="Trafford South Foodbank", location_name="St Francis Church, Sale Moor"),
    ),
    (
        "Trussell Trust",
        "M33 4QW",
        dict(VOUCHER, org="Trafford South Foodbank", location_name="Sale West Credit Union Rooms"),
    ),
    ("Trussell Trust", "WA14 5NX", dict(VOUCHER, org="Trafford South Foodbank", location_name="St Albans Church Hall")),
    (
        "Trussell Trust",
        "WA15 7UG",
        dict(VOUCHER, org="Trafford South Foodbank", location_name="Timperley Methodist Church"),
    ),
    (
        "The Globe: Old Trafford Pantry",
        "M16 7QB",
        dict(
            needs="food;food-clubs-and-pantries",
            org="The Globe",
            name="Old Trafford Pantry",
            location_name="The Globe",
            loc={"address": "79 Cornbrook Street, Old Trafford", "town": "Manchester"},
            desc_lead="Community food pantry.",
            cost="2.50",
            cost_description="weekly membership for a bag of groceries (amount added for demo)",
            referral_routes="self;link_worker",
        ),
    ),
    # Manchester
    (
        "Trussel Trust Wythenshawe",
        "M23 0QN",
        dict(VOUCHER, org="Wythenshawe Foodbank", org_desc=TRUSSELL_DESC, location_name="Bideford Centre"),
    ),
    (
        "Trussell Trust",
        "M16 8EZ",
        dict(
            VOUCHER,
            org="Manchester South Central Foodbank",
            org_desc=TRUSSELL_DESC,
            location_name="St Edmund's, Whalley Range",
        ),
    ),
    (
        "Trussell Trust",
        "M21 8DH",
        dict(
            VOUCHER, org="Chorlton and Didsbury Foodbank", org_desc=TRUSSELL_DESC, location_name="St Barnabas, Chorlton"
        ),
    ),
    (
        "Trussell Trust",
        "M20 2ZD",
        dict(VOUCHER, org="Chorlton and Didsbury Foodbank", location_name="Christ Church Hall, West Didsbury"),
    ),
    (
        "Southway Housing Merseybank Quids In Food Club",
        "M21 7NN",
        dict(
            needs="food;food-clubs-and-pantries;money-and-debt",
            org=QUIDS_IN,
            name="Merseybank Quids In Food Club",
            desc_lead="Low-cost food club.",
            cost="2.00",
            cost_description="weekly membership",
            service_area="M21",
            location_name="Merseybank Quids In Food Club",
            loc={"address": "42 Merseybank Avenue", "town": "Chorlton"},
            referral_routes="self;link_worker",
            eligibility="Households in the postcode area of the club",
        ),
    ),
    (
        "Southway Housing Chorlton Quids In Food Club",
        "M21 7RL",
        dict(
            needs="food;food-clubs-and-pantries;money-and-debt",
            org=QUIDS_IN,
            name="Chorlton Quids In Food Club",
            desc_lead="Low-cost food club.",
            cost="2.00",
            cost_description="weekly membership",
            service_area="M21",
            location_name="Brookfield House, Chorlton Park",
            loc={"address": "Brookfield House, Chorlton Park", "town": "Chorlton"},
            referral_routes="self;link_worker",
            eligibility="Households in the postcode area of the club",
        ),
    ),
    (
        "FoodCycle Manchester",
        "M13 0NG",
        dict(
            needs="food;community-meals;social-connection;lunch-clubs",
            org="FoodCycle",
            name="FoodCycle Manchester community meal",
            desc_lead="Free three-course community meal cooked by volunteers from surplus food; everyone welcome.",
            schedule="Wed 19:30-21:00",
            schedule_note="Starts 7.30pm (from the listing); finish time added for demo.",
            sched_added=True,
            location_name="The Roby",
            referral_routes="self;link_worker",
        ),
    ),
    (
        "Booth Centre",
        "M3 1FU",
        dict(
            needs="housing;homelessness-support;food;community-meals",
            desc_lead="Day centre for people who are homeless or at risk of homelessness.",
            schedule="; ".join(f"{d} 09:00-13:30" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")),
            schedule_note="Food served daily 9am to 1.30pm (from the listing).",
            location_name="Edward Holt House",
            eligibility="People who are homeless or at risk of homelessness",
            referral_routes="self;link_worker",
        ),
    ),
    (
        "Compassion Prison Ministries",
        "M14 4SS",
        dict(
            org_url="http://www.compassionfoodbank.co.uk/",
            name="Compassion Foodbank",
            location_name="Church of God of Prophecy",
            referral_routes="link_worker;gp",
        ),
    ),
    (
        "Gorton Community Grocer",
        "M18 8PF",
        dict(
            needs="food;food-clubs-and-pantries;cooking",
            desc_lead="Community grocer with cooking classes.",
            cost="2.50",
            cost_description="membership for roughly £12 of groceries",
            service_area="M18",
            referral_routes="self;link_worker",
            location_name="Gorton Community Grocer",
            loc={"address": "Abbey Hey Lane", "town": "Gorton"},
        ),
    ),
    (
        "Anson Community Shop",
        "M13 0TR",
        dict(
            needs="food;food-clubs-and-pantries;money-and-debt",
            desc_lead="Community shop.",
            cost="2.50",
            cost_description="membership for £12 of groceries, toiletries and household essentials",
            service_area="M13",
            referral_routes="self;link_worker",
            location_name="Anson Community Shop",
            loc={"address": "38 Meldon Road", "town": "Manchester"},
        ),
    ),
    (
        "Feed the 5000",
        "M3 1NH",
        dict(
            needs="food;food-banks;employment-and-skills;job-search-support",
            desc_lead="Food for people in crisis and a weekly job club.",
            location_name="Faith Life Centre",
            schedule_note="Food Thursday 4 to 6pm; Job Club Monday 1 to 2pm (from the listing).",
        ),
    ),
    (
        "Emmeline's Pantry Parlour",
        "M13 9WP",
        dict(
            needs="food;food-clubs-and-pantries",
            desc_lead="Food pantry at the Pankhurst Centre.",
            location_name="The Pankhurst Centre",
            referral_routes="link_worker;gp",
        ),
    ),
    (
        "Barnabus",
        "M1 3LY",
        dict(
            needs="housing;homelessness-support;food;community-meals",
            desc_lead="Support and food for people who are homeless.",
            eligibility="People who are homeless or vulnerably housed",
            location_name="Barnabus",
            loc={"address": "45 Bloom Street", "town": "Manchester"},
            schedule="; ".join(f"{d} 17:00-19:00" for d in ("Mon", "Tue", "Wed", "Thu", "Fri")),
            sched_added=True,
            schedule_note="5 days and 5 evenings per week (from the listing); times added for demo.",
        ),
    ),
    (
        "Mustard Tree",
        "M4 6AG",
        dict(
            needs="food;food-clubs-and-pantries;housing;homelessness-support",
            charity="1135192",
            ref="mustard-tree-ancoats",
            name="Mustard Tree Food Club (Ancoats)",
            location_name="Mustard Tree",
            loc={"address": "110 Oldham Road, Ancoats", "town": "Manchester"},
            desc_lead="Food club and crisis food parcels.",
            schedule="Mon 10:00-16:00; Tue 10:00-16:00; Wed 10:00-16:00; Thu 10:00-12:30; Fri 10:00-16:00; Sat 10:00-16:00",
            cost="2.00",
            cost_description="Food Club: £2 for 10 items (£5 for 20 for families), for people on a pension or benefits; crisis parcels free by referral",
            also_source=SRC["cc"],
        ),
    ),
    (
        "Wai Yin Society",
        "M8 0TW",
        dict(
            needs="social-connection;lunch-clubs;food;community-meals",
            charity="1073437",
            name="Wai Yin elderly luncheon club",
            desc_lead="Luncheon club and food support.",
            desc_add="The charity runs an elderly luncheon club and carers' support for people over 60 (Charity Commission entry).",
            schedule="Mon 12:00-13:30; Tue 12:00-13:30; Thu 12:00-13:30; Fri 12:00-13:30",
            sched_added=True,
            cost="0.50",
            cost_description="hot Halal meal, free to those with no money",
            min_age=60,
            languages="English;Cantonese;Mandarin",
            location_name="Wai Yin Society",
            loc={"address": "18-32 Brentfield Avenue, Cheetham Hill"},
            referral_routes="link_worker;gp",
            also_source=SRC["cc"],
        ),
    ),
    # Salford
    (
        "Trussell Trust",
        "M50 2GF",
        dict(VOUCHER, org="Salford Central Foodbank", org_desc=TRUSSELL_DESC, location_name="The Sanctuary Centre"),
    ),
    (
        "Mustard Tree",
        "M28 0AU",
        dict(
            needs="money-and-debt;debt-advice;benefits-advice;advice-and-advocacy",
            charity="1135192",
            ref="mustard-tree-little-hulton-advice",
            name="Citizens Advice drop-in at Mustard Tree Little Hulton",
            location_name="Mustard Tree Little Hulton",
            loc={"address": "50 Hulton District Centre, Little Hulton", "town": "Salford"},
            desc_lead="Citizens Advice drop-in and Food Club.",
            schedule="Tue 10:00-14:00",
            schedule_note="CAB drop-in on Tuesdays 10am to 2pm (from the listing).",
            referral_routes="self;link_worker",
        ),
    ),
    (
        "Emmaus Salford, Lucie's Pantry",
        "M6 5RQ",
        dict(
            needs="food;food-clubs-and-pantries;money-and-debt;debt-advice",
            org="Emmaus Salford",
            name="Lucie's Pantry",
            location_name="Emmaus House",
            desc_lead="Pantry with a regular Citizens Advice surgery.",
            cost="2.50",
            cost_description="weekly membership for £15 of groceries",
        ),
    ),
    (
        "Salford Food Parcel Project",
        "M6 5PW",
        dict(
            needs="food;food-banks;advice-and-advocacy",
            org="Lifecentre Salford",
            desc_lead="Food parcels in partnership with the Red Cross.",
            eligibility="People seeking asylum who are destitute",
            languages="English;Arabic",
            location_name="Lifecentre Salford",
            referral_routes="self;link_worker",
        ),
    ),
    (
        "Salford Unemployed & Community Resource Centre",
        "M30 0WZ",
        dict(
            needs="employment-and-skills;job-search-support;money-and-debt;benefits-advice;advice-and-advocacy",
            desc_lead="Community resource centre offering help for unemployed people, including welfare benefits advice and job search support.",
            location_name="Salford Unemployed & Community Resource Centre",
            loc={"address": "84-86 Liverpool Road", "town": "Eccles"},
            sched_added=True,
            kind="adult",
        ),
    ),
    # Stockport
    (
        "Chelwood Foodbank Plus",
        "SK8 5QA",
        dict(location_name="Chelwood Baptist Church", referral_routes="self;link_worker;gp"),
    ),
    (
        "Trussell Trust",
        "SK4 2JE",
        dict(
            VOUCHER, org="Stockport Foodbank", org_desc=TRUSSELL_DESC, location_name="St Martin's Church, Norris Bank"
        ),
    ),
    ("Trussell Trust", "SK7 4EX", dict(VOUCHER, org="Stockport Foodbank", location_name="Hazel Grove Baptist Church")),
    (
        "Penny Lane Pantry",
        "SK5 7RJ",
        dict(
            needs="food;food-clubs-and-pantries;money-and-debt",
            org="Your Local Pantry (Stockport Homes)",
            desc_lead="Membership food pantry.",
            cost="3.50",
            cost_description="weekly membership (amount added for demo)",
            location_name="Penny Lane Pantry",
            referral_routes="self;link_worker",
        ),
    ),
]

SC_SPECS = [
    ("ABC Partington Badminton", dict()),
    (
        "Acre Gate Golf Club",
        dict(cost="6.00", cost_description="per round for beginners' sessions; membership available"),
    ),
    ("AFC Sale", dict(name="AFC Sale running and athletics", location_name="Crossford Bridge Pavilion")),
    ("Altrincham and District Athletic Club", dict()),
    ("Altrincham Borough Bowling Club", dict()),
    ("Altrincham Swimming Club", dict()),
    ("Ashton Ladies Bowling Club", dict(eligibility="Women only")),
    ("Ashton Park Veterans Bowling Club", dict(min_age=55, eligibility="Veterans' section: players aged 55 and over")),
    ("Avenue Methodist Church Badminton", dict(location_name="Avenue Methodist Church")),
    ("Bowdon Croquet Club", dict()),
    ("Brooklands Sports Club", dict()),
    ("Claremont Tennis Club", dict()),
    ("Davyhulme Park Bowling Club", dict()),
    ("Flixton Swim Team", dict()),
    ("Golden Hill Ladies Bowling Club", dict(eligibility="Women only")),
    ("Hale Veterans' Bowling Club", dict(min_age=55, eligibility="Players aged 55 and over")),
    ("Humphrey Park Ladies Bowling Club", dict(eligibility="Women only")),
    ("Longford Park Bowling Club", dict()),
    ("Manchester Korfball Club", dict()),
    ("Mersey Valley Sports and Social Club", dict()),  # postcode M33 5SL: terminated, kept on purpose
    ("Navigation Veterans Bowling Club", dict(min_age=55, eligibility="Players aged 55 and over")),
    (
        "Norris Road Veterans Bowling Club",
        dict(min_age=55, eligibility="Players aged 55 and over", location_name="Moor Nook Park"),
    ),
    ("Oldfield Table Tennis Club", dict(desc_add="Table tennis for all ages and abilities.")),
    ("Partington Netball Club", dict(eligibility="Women and girls")),
    (
        "Sailfin Swimming Club for People with Disabilities",
        dict(
            eligibility="Disabled children and adults",
            cost="3.00",
            cost_description="per session; carers swim free",
            accessibility="step_free;accessible_toilet;parking;public_transport",
        ),
    ),
    ("Sale Harriers Athletic Club", dict()),
    ("Stamford Bowling Club", dict()),  # postcode WA14 4WQ: terminated, kept on purpose
    ("Stretford Amateur Swimming Club", dict()),
    (
        "Tai Chi Chuan",
        dict(
            org="Tai Chi Chuan (Stretford)",
            name="Tai chi classes",
            location_name="Longford Park School",
            desc_add="Gentle, slow movement suitable for older people and people with long-term pain or poor balance.",
            needs="physical-activity;sport-and-exercise;long-term-conditions;chronic-pain",
        ),
    ),
    ("Trafford Athletic Club", dict()),
    ("Trafford Metro Swimming Club", dict()),
    ("Trafford Rowing Club", dict()),
    ("Trafford Sword Club", dict()),
    ("Trinity Bowling Club", dict()),
    ("Urmston Ladies Hockey Club", dict(eligibility="Women only")),
    ("Victoria Park Bowling Club", dict()),
    ("Walton Park Bowling Club", dict()),
]

LIB_SPECS = [
    ("Altrincham Library", "digital", dict(schedule="Tue 10:00-12:00")),
    ("Altrincham Library", "knit", dict(schedule="Thu 14:00-16:00")),
    ("Coppice Library", "reading", dict()),
    ("Hale Library", "knit", dict()),
    ("Lostock Library", "digital", dict()),
    ("Old Trafford Library at Limelight", "digital", dict(languages="English;Urdu;Arabic")),
    ("Old Trafford Library at Limelight", "esol", dict(languages="English;Arabic;Polish;Urdu")),
    ("Partington Library and Wellbeing Centre", "digital", dict()),
    ("Sale Library", "digital", dict(schedule="Mon 14:00-16:00; Fri 10:00-12:00")),
    ("Sale Library", "knit", dict()),
    ("Sale Library", "reading", dict()),
    ("Stretford Library", "knit", dict()),
    ("Stretford Library", "digital", dict()),
    ("Timperley Library", "reading", dict()),
    ("Trafford Local Studies Centre", "history", dict()),
    ("Trafford Town Hall Library", "jobs", dict(min_age=16)),
    ("Urmston Library", "digital", dict()),
    ("Urmston Library", "chat", dict()),
    ("Woodsend Library", "knit", dict()),
    ("Chorlton Library", "digital", dict()),
    (
        "Arcadia library and leisure centre (Levenshulme)",
        "knit",
        dict(),
    ),  # postcode M19 3PH: terminated, kept on purpose
    ("Withington Library", "reading", dict()),
    ("Eccles Library", "digital", dict(languages="English;Polish")),
    ("Stockport Central Library", "esol", dict(languages="English;Polish;Urdu")),
]

AGEUK = dict(org="Age UK Trafford", venue="ageuk-urmston", own_venue=True)

CC_SPECS = [
    # Age UK Trafford: several services from its register entry ("information & advice, dementia day care,
    # falls prevention, benefits advice, ... silver surfers courses, support to carers, social activities")
    (
        1109047,
        dict(
            AGEUK,
            ref="age-uk-trafford-benefits-advice",
            name="Information, advice and benefits checks",
            desc="Free information and advice for people over 50 in Trafford, including benefits checks and help with forms.",
            needs="money-and-debt;benefits-advice;advice-and-advocacy",
            min_age=50,
            service_area=TRAFFORD_AREA,
            kind="talk",
        ),
    ),
    (
        1109047,
        dict(
            AGEUK,
            ref="age-uk-trafford-silver-surfers",
            name="Silver Surfers computer course",
            desc="A friendly course for people over 50 who want to get started with computers, tablets and the internet.",
            needs="digital-skills;learning-and-hobbies",
            min_age=50,
            cost="10.00",
            cost_description="for the 6-week course; free for people on Pension Credit",
        ),
    ),
    (
        1109047,
        dict(
            AGEUK,
            ref="age-uk-trafford-falls-prevention",
            name="Strength and balance (falls prevention) class",
            desc="Gentle seated and standing exercises that build strength and balance and reduce the risk of falls.",
            needs="physical-activity;sport-and-exercise;long-term-conditions",
            min_age=60,
            cost="3.00",
            cost_description="per class",
        ),
    ),
    (
        1109047,
        dict(
            AGEUK,
            ref="age-uk-trafford-community-hub",
            name="Urmston Community Hub social activities",
            desc="Social activities, a cafe and information at Age UK Trafford's Urmston community hub, one of Trafford Council's funded community hubs (2023-2025).",
            needs="social-connection;social-groups;community-cafes",
            min_age=50,
            also_source=f"{SRC['gr']} (grant awarded 2024)",
        ),
    ),
    (
        1146179,
        dict(
            org="Cyril Flint Befrienders",
            ref="cyril-flint-befriending",
            name="Befriending for older people",
            desc="A free one-to-one befriending service for lonely or isolated older people in Trafford and parts of South Manchester. A trained volunteer, matched on hobbies, interests and locality, visits each week or keeps in touch by phone.",
            needs="social-connection;befriending",
            delivery="home;phone",
            kind="home",
            min_age=60,
            accepting_referrals="waiting_list",
            schedule="",
            schedule_note="Weekly visit or call at a time agreed with your volunteer.",
            sched_added=True,
            referral_routes="self;link_worker;gp",
            service_area=TRAFFORD_AREA + ";M21;M22;M23",
            also_source=f"{SRC['gr']} (grant awarded 2019)",
        ),
    ),
    (
        1177183,
        dict(
            org="Trafford Hard of Hearing Group",
            name="Lip reading and finger spelling classes",
            desc_grant="360G-traffordmbc-VSG1340",
            needs="long-term-conditions;hearing-loss;learning-and-hobbies",
            accessibility="step_free;accessible_toilet;hearing_loop;public_transport",
            also_source=f"{SRC['gr']} (grant awarded 2013)",
        ),
    ),
    (
        501707,
        dict(
            org="Sale Choral Society",
            needs="arts-and-creativity;music-and-singing;social-connection",
            kind="evening",
            cost="6.00",
            cost_description="per rehearsal (subscription also available)",
            accepting_referrals="no",
            capacity_note="Not taking new singers until the next season starts in September.",
        ),
    ),
    (
        1142856,
        dict(
            org="Flixton Band",
            name="Flixton community brass band",
            desc="Community brass band started in 2013 to encourage people to play brass, alongside the main concert band.",
            needs="arts-and-creativity;music-and-singing;learning-and-hobbies",
            kind="evening",
            cost="2.00",
            cost_description="per rehearsal; instruments can be loaned",
        ),
    ),
    (
        1199397,
        dict(
            org="Urmston Musical Theatre",
            needs="arts-and-creativity;drama-and-theatre;music-and-singing",
            kind="evening",
            cost="4.00",
            cost_description="per rehearsal",
        ),
    ),
    (
        1164309,
        dict(
            org="Sale Gilbert and Sullivan Society",
            needs="arts-and-creativity;music-and-singing;drama-and-theatre",
            kind="evening",
            cost="4.00",
            cost_description="per rehearsal",
        ),
    ),
    (
        1038280,
        dict(
            org="Sale U3A",
            name="Sale U3A interest groups",
            needs="learning-and-hobbies;social-connection;social-groups",
            min_age=50,
            eligibility="People no longer in full-time work",
            cost="15.00",
            cost_description="annual membership; most groups then free",
        ),
    ),
    (
        1159698,
        dict(
            org="Hale and District U3A",
            name="Hale and District U3A study groups",
            needs="learning-and-hobbies;social-connection",
            min_age=50,
            eligibility="Older and retired people",
            cost="15.00",
            cost_description="annual membership",
            accepting_referrals="no",
            capacity_note="Not taking new members at present.",
        ),
    ),
    (
        1040791,
        dict(
            org="The Timperley Women's Club",
            needs="social-connection;social-groups;learning-and-hobbies",
            eligibility="Women only",
            cost="2.00",
            cost_description="per meeting",
        ),
    ),
    (
        1188395,
        dict(
            org="The Willows Women's Institute",
            needs="social-connection;social-groups;learning-and-hobbies",
            eligibility="Women only",
            kind="evening",
            schedule="2nd Tue 19:30-21:30",
            sched_added=True,
            cost="3.00",
            cost_description="visitor fee per meeting",
        ),
    ),
    (
        1119592,
        dict(
            org="The Cheshire Gardens Trust",
            name="Garden history talks and visits",
            needs="nature-and-gardening;learning-and-hobbies;local-history",
            kind="monthly",
            cost="5.00",
            cost_description="per talk for non-members",
        ),
    ),
    (
        1172658,
        dict(
            org="Seed Studios",
            name="Community music sessions",
            needs="arts-and-creativity;music-and-singing;mental-wellbeing;social-connection",
            desc_grant="360G-traffordmbc-VSG16019",
            also_source=f"{SRC['gr']} (grant awarded 2016)",
        ),
    ),
    (
        1172118,
        dict(
            org="Gorse Hill Studios",
            name="Youth arts sessions",
            needs="arts-and-creativity;visual-arts-and-crafts;mental-wellbeing",
            min_age=8,
            max_age=25,
            kind="evening",
        ),
    ),
    (
        1159034,
        dict(org="Art with a Heart", name="Free arts workshops", needs="arts-and-creativity;visual-arts-and-crafts"),
    ),
    (
        1146058,
        dict(
            org="St John's Centre",
            venue="st-johns-centre",
            own_venue=True,
            ref="st-johns-centre-training",
            name="Training and employment support",
            needs="employment-and-skills;training-and-apprenticeships;volunteering;job-search-support",
        ),
    ),
    (
        1156506,
        dict(
            org="LBC Lifeline Resource",
            name="Employment and enterprise coaching",
            needs="employment-and-skills;job-search-support;training-and-apprenticeships",
            kind="talk",
        ),
    ),
    (
        1091274,
        dict(
            org="Greater Manchester Industrial Mission",
            name="St Antony's Centre employment support",
            desc="Employment support, information, advice and guidance and training at St Antony's Centre in Trafford Park (from the charity's register entry).",
            needs="employment-and-skills;job-search-support;training-and-apprenticeships",
            location_name="St Antony's Centre",
        ),
    ),
    (
        510911,
        dict(
            org="Salford and Trafford Engineering Group Training Association",
            name="Engineering apprenticeships",
            needs="employment-and-skills;training-and-apprenticeships",
            min_age=16,
            max_age=24,
            kind="talk",
            location_name="STEGTA",
        ),
    ),
    (
        1102708,
        dict(
            org="Unity in the Community",
            name="Youth employment and skills",
            needs="employment-and-skills;training-and-apprenticeships;volunteering",
            min_age=16,
            max_age=25,
        ),
    ),
    (
        1153700,
        dict(
            org="The River Manchester",
            ref="river-manchester-old-trafford",
            name="Community drop-in: food, clothing and furniture",
            needs="food;food-banks;housing;social-connection",
            location_name="The River Manchester (Old Trafford)",
            kind="group",
        ),
    ),
    (
        502139,
        dict(
            org="Trafford and Salford Association for Spina Bifida and Hydrocephalus",
            name="Helpline, advice and advocacy",
            needs="advice-and-advocacy;disability-advice;housing;housing-advice;long-term-conditions",
            delivery="phone",
            kind="helpline",
            eligibility="People with spina bifida and/or hydrocephalus and their families",
            min_age="",
        ),
    ),
    (
        510071,
        dict(
            org="Trafford Talking News for the Blind",
            name="Weekly audio news",
            needs="long-term-conditions;sight-loss;social-connection",
            desc="A weekly audio recording of local news, sent to people who are blind or partially sighted in Trafford.",
            delivery="home",
            kind="home",
            schedule="",
            schedule_note="Weekly recording delivered to your home.",
            service_area=TRAFFORD_AREA,
            eligibility="People who are blind or partially sighted",
        ),
    ),
    (
        1153102,
        dict(
            org="Trafford Rape Crisis",
            name="Counselling and group work for women and girls",
            desc="Face-to-face counselling and group work for women and girls who have experienced sexual violence, recently or in the past. For safety the venue is given on referral.",
            needs="advice-and-advocacy;domestic-abuse-support;mental-wellbeing;talking-therapies",
            kind="talk",
            eligibility="Women and girls who have experienced sexual assault, sexual abuse or rape, recently or in the past",
            min_age="",
            languages="English;Urdu",
            address_published="no",
            referral_routes="self;link_worker;gp",
            location_name="Confidential venue",
            loc={"address": "Altrincham area (address given on referral)", "town": "Altrincham"},
        ),
    ),
    (
        1174498,
        dict(
            org="Manchester Muslims Burial Trust",
            name="Bereavement support for families",
            needs="bereavement",
            languages="English;Urdu;Arabic",
            kind="talk",
            referral_routes="self;link_worker;gp",
        ),
    ),
    (
        1129558,
        dict(
            org="Altrincham Methodist Church",
            name="Bereavement support and pastoral visiting",
            desc="Pastoral support for people who have been bereaved, part of the church's pastoral work (from its register entry). A monthly bereavement drop-in is listed for the demo.",
            needs="bereavement;social-connection",
            kind="monthly",
            sched_added=True,
            location_name="Altrincham Methodist Church",
        ),
    ),
    (
        1134769,
        dict(
            org="St Michael's Church, Flixton",
            name="Bereavement visiting and support",
            desc="Pastoral visiting of the sick and bereaved (from the church's register entry); open to anyone in the parish, whatever their faith.",
            needs="bereavement",
            kind="talk",
            location_name="St Michael's Church, Flixton",
        ),
    ),
    (
        1132692,
        dict(
            org="St Mary the Virgin, Davyhulme",
            name="Bereavement support",
            desc="Pastoral work including visiting the sick and bereaved (from the church's register entry). A monthly bereavement cafe is listed for the demo.",
            needs="bereavement;social-connection",
            kind="monthly",
            sched_added=True,
            location_name="St Mary's Church, Davyhulme",
        ),
    ),
    (
        258085,
        dict(
            org="St Ann's Hospice",
            name="Bereavement and carers' support",
            needs="bereavement;carers-support;long-term-conditions",
            eligibility="Families and carers of people with a life-limiting illness, including after a death",
            kind="talk",
            referral_routes="self;link_worker;gp",
            location_name="St Ann's Hospice, Heald Green",
        ),
    ),
    (
        226413,
        dict(
            org="Trafford Mencap",
            name="Leisure clubs for people with a learning disability",
            needs="social-connection;social-groups;carers-support",
            eligibility="People with a learning disability, their families and carers",
            kind="evening",
        ),
    ),
    (
        521086,
        dict(
            org="Hartford Community Associations",
            name="Over 50s group",
            needs="social-connection;social-groups;physical-activity",
            desc="Over 50s group at a community centre that also hosts yoga, music and reading groups (from the charity's register entry).",
            min_age=50,
            cost="1.50",
            cost_description="per session including tea",
        ),
    ),
    (
        1141366,
        dict(
            org="Walton Park Indoor Football Centre",
            name="Indoor football sessions",
            needs="physical-activity;sport-and-exercise",
            kind="sport",
            min_age="",
        ),
    ),
    (
        1113664,
        dict(
            org="Sale Moor Community Partnership",
            name="Community drop-in",
            needs="social-connection;community-cafes;advice-and-advocacy",
            kind="group",
        ),
    ),
    (
        507682,
        dict(
            org="Altrincham Video Society",
            name="Film-making club",
            needs="learning-and-hobbies;arts-and-creativity",
            kind="evening",
            cost="3.00",
            cost_description="per meeting",
            venue="timperley-library",
        ),
    ),
    (
        1179731,
        dict(
            org="Friends of Victoria Park, Stretford",
            venue="victoria-park",
            own_venue=True,
            ref="victoria-park-walks",
            name="Walking for health in Victoria Park",
            desc="Friendly, short led walks in and around Victoria Park, Stretford, part of the Friends' walking for health sessions (from the charity's register entry).",
            needs="physical-activity;walking;social-connection",
            access_kind="park",
        ),
    ),
    (
        1179731,
        dict(
            org="Friends of Victoria Park, Stretford",
            venue="victoria-park",
            own_venue=True,
            ref="victoria-park-gardening",
            name="Park gardening volunteers",
            desc="Volunteer gardening sessions looking after the flower beds and wildlife areas of Victoria Park (from the charity's register entry).",
            needs="nature-and-gardening;community-gardening;conservation-volunteering",
            access_kind="park",
        ),
    ),
    (
        1110373,
        dict(
            org="The Manchester Deaf Centre",
            name="Deaf sports and social club",
            needs="long-term-conditions;hearing-loss;social-connection",
            languages="BSL;English",
            accessibility="step_free;accessible_toilet;hearing_loop;bsl;public_transport",
            kind="evening",
        ),
    ),
    (
        1017270,
        dict(
            org="Bury Tandem Club for Blind and Partially Sighted People",
            name="Tandem cycling",
            kind="weekend",
            needs="physical-activity;sport-and-exercise;long-term-conditions;sight-loss",
            eligibility="People who are blind or partially sighted",
        ),
    ),
    (
        1156480,
        dict(
            org="Springboard - Oldham Dementia Carers Group",
            name="Weekly dementia and carers group",
            needs="long-term-conditions;dementia;carers-support;social-connection",
            eligibility="People with dementia and their carers",
        ),
    ),
    (
        1170877,
        dict(
            org="IGA-Learning",
            name="Free English and computer classes",
            needs="learning-and-hobbies;english-language;digital-skills",
        ),
    ),
    (
        1196593,
        dict(
            org="Yes Manchester",
            name="Employment advice and digital skills",
            needs="employment-and-skills;job-search-support;digital-skills",
            eligibility="Unemployed and under-employed people in North Manchester",
        ),
    ),
    (
        1095379,
        dict(
            org="First Asian Support Trust (FAST)",
            name="Life and employability skills",
            needs="employment-and-skills;training-and-apprenticeships",
            languages="English;Urdu;Punjabi",
        ),
    ),
    (
        1017467,
        dict(
            org="Back on Track Manchester",
            name="Learning and training for adults in recovery",
            needs="employment-and-skills;training-and-apprenticeships;learning-and-hobbies;volunteering",
        ),
    ),
    (
        1167970,
        dict(
            org="Open Door Greater Manchester",
            name="Advice, advocacy and essentials",
            needs="advice-and-advocacy;money-and-debt;food",
            kind="group",
        ),
    ),
    (
        1133529,
        dict(
            org="Disability Stockport",
            name="Disability advice and advocacy",
            needs="advice-and-advocacy;advocacy;disability-advice",
            kind="talk",
        ),
    ),
    (
        1182807,
        dict(
            org="Chabad Community Care",
            name="Social contact for older and isolated people",
            needs="social-connection;befriending;social-groups",
        ),
    ),
    (
        1069820,
        dict(
            org="The Wooden Canal Boat Society",
            name="Canal boat volunteering",
            needs="social-connection;employment-and-skills;volunteering;nature-and-gardening",
        ),
    ),
    (
        1102003,
        dict(
            org="Citizens Advice Trafford",
            name="Citizens Advice Trafford helpline",
            desc_grant="360G-traffordmbc-VSG20048",
            desc_add="Free, independent, confidential advice on benefits, debt, housing, work and consumer problems for Trafford residents.",
            needs="money-and-debt;debt-advice;benefits-advice;advice-and-advocacy;housing;housing-advice",
            delivery="phone",
            kind="helpline",
            service_area=TRAFFORD_AREA,
            referral_routes="self;link_worker;gp",
            also_source=f"{SRC['gr']} (grant awarded 2020)",
        ),
    ),
    (
        1097107,
        dict(
            org="Citizens Advice Stockport",
            name="Citizens Advice Stockport advice line",
            needs="money-and-debt;debt-advice;benefits-advice;advice-and-advocacy",
            delivery="phone",
            kind="helpline",
            service_area="SK1;SK2;SK3;SK4;SK5;SK6;SK7;SK8",
            referral_routes="self;link_worker;gp",
        ),
    ),
]

G = "360G-traffordmbc-"

GR_SPECS = [
    (
        G + "VSG-SAL-17019",
        dict(
            org="Trafford Carers Centre",
            name="Carers Choir",
            desc="A choir for unpaid carers in Trafford: a chance to sing, socialise and take a break from caring, with a trained caseworker on hand for carers' health and wellbeing questions.",
            needs="carers-support;arts-and-creativity;music-and-singing;social-connection",
            venue="carers-centre",
            eligibility="Unpaid carers",
            kind="evening",
        ),
    ),
    (
        G + "VSG-OTS-17032",
        dict(
            org="Trafford Carers Centre",
            name="Carers' gardening group",
            desc_add="A weekly garden project in Gorse Hill (2016 grant) giving carers a break outdoors.",
            needs="carers-support;nature-and-gardening;community-gardening",
            venue="gorse-hill-methodist",
            loc={"location_name": "Carers' garden project, Gorse Hill"},
            eligibility="Unpaid carers",
        ),
    ),
    (
        G + "VSG20002",
        dict(
            org="The Hub Altrincham (Altrincham Baptist Church)",
            charity="1130343",
            name="Buddy Walking Scheme",
            desc_add="Short, sociable walks at an easy pace, with a volunteer buddy for anyone who is nervous about walking alone.",
            needs="physical-activity;walking;social-connection",
            venue="hub-altrincham",
            own_venue=True,
            org_url="https://thehub.churchinsight.com/",
        ),
    ),
    (
        G + "2023VSG23",
        dict(
            org="The Hub Altrincham (Altrincham Baptist Church)",
            name="Community meal",
            needs="food;community-meals;social-connection;lunch-clubs",
            venue="hub-altrincham",
            own_venue=True,
            cost="free",
            cost_description="pay as you feel",
            schedule="Thu 12:00-13:30",
            sched_added=True,
        ),
    ),
    (
        G + "VSG-STH-17015",
        dict(
            org="The Hub Altrincham (Altrincham Baptist Church)",
            name="Eat Well for Less course",
            desc="Eat Well for Less: a workshop course on healthy eating on a budget, delivered at The Hub, Altrincham.",
            needs="food;cooking;money-and-debt",
            venue="hub-altrincham",
            own_venue=True,
        ),
    ),
    (
        G + "2021VSG43",
        dict(
            org="Walking for Health Trafford",
            name="Walking for Health led walks",
            desc="Free, short, volunteer-led health walks at an easy pace; a good first step back into activity. (Trafford Council grant 2021 for a volunteer celebration.)",
            needs="physical-activity;walking;social-connection",
            venue="walton-park",
            access_kind="park",
            added=True,
        ),
    ),
    (
        G + "2021VSG8",
        dict(
            org="Trafford Hongkongers",
            name="Walking group for Hong Kong newcomers",
            needs="physical-activity;walking;social-connection;social-groups",
            venue="stretford-public-hall",
            kind="weekend",
            languages="English;Cantonese",
            eligibility="People who have recently moved from Hong Kong",
        ),
    ),
    (
        G + "2023VSG21",
        dict(
            org="Cycling Without Age Trafford",
            name="Trishaw rides",
            desc="Community trishaw rides with volunteer pilots, so that less mobile people can feel the wind in their hair again and get out and about.",
            needs="social-connection;physical-activity",
            venue="longford-park",
            access_kind="park",
            eligibility="Older or less mobile people",
            referral_routes="self;link_worker;gp",
        ),
    ),
    (
        G + "VSG19031",
        dict(
            org="Hard Yards Running Club",
            name="Couch to 5k for mental health",
            needs="physical-activity;sport-and-exercise;mental-wellbeing",
            venue="longford-park",
            access_kind="park",
            schedule="Tue 18:30-19:30",
            schedule_note="Tuesday evenings (from the grant description); times added for demo.",
            sched_added=True,
            eligibility="People with mild to moderate mental health conditions",
            min_age=16,
        ),
    ),
    (
        G + "SAL14006",
        dict(
            org="Hi Tension Workouts",
            name="Fitness for Body and Mind class",
            desc="A 'Fitness for Body and Mind' class for people with mental, physical and learning disabilities, and for adults who feel isolated and lonely; classes aim to reduce anxiety, lift mood and build self-esteem.",
            needs="physical-activity;sport-and-exercise;mental-wellbeing",
            venue="sale-west-cc",
            eligibility="Trafford residents with mental, physical or learning disabilities, and adults who feel isolated",
        ),
    ),
    (
        G + "VSG-SAL-17024",
        dict(
            org="Sale United Reformed Church",
            name="Dorothy's Memory Cafe",
            desc="A memory cafe for people living with dementia and the family and friends who support them. (Trafford Council grant 2017.)",
            needs="long-term-conditions;dementia;carers-support;social-connection",
            venue="sale-library",
            kind="monthly",
        ),
    ),
    (
        G + "VSG19119",
        dict(
            org="Alzheimer's Society Trafford",
            name="Singing Together",
            desc="Singing Together: a friendly singing group run with Alzheimer's Society for people living with dementia and their carers.",
            needs="long-term-conditions;dementia;arts-and-creativity;music-and-singing;carers-support",
            venue="alzheimers-sale",
        ),
    ),
    (
        G + "2022VSG70",
        dict(
            org="G-Force",
            name="Oldfield Brow Dementia Cafe",
            desc="A dementia cafe for people in Oldfield Brow and the wider Altrincham community, opening once every two weeks on a Saturday.",
            needs="long-term-conditions;dementia;carers-support;social-connection",
            venue="g-force",
            own_venue=True,
            schedule="Sat 10:00-12:00",
            schedule_note="Every two weeks on a Saturday (from the grant description); times added for demo.",
            sched_added=True,
        ),
    ),
    (
        G + "2021VSG20",
        dict(
            org="G-Force",
            name="Friendship Group",
            desc_add="A weekly friendship group for people who would like more company.",
            needs="social-connection;social-groups",
            venue="g-force",
            own_venue=True,
        ),
    ),
    (
        G + "VSG-STH-17007",
        dict(
            org="G-Force",
            name="Men in Sheds",
            needs="social-connection;social-groups;learning-and-hobbies",
            venue="g-force",
            own_venue=True,
            min_age=50,
        ),
    ),
    (
        G + "VSG20066",
        dict(
            org="G-Force",
            name="Tablet loan and video-call help",
            desc="Loans of iPads or tablets to older and less well people, with volunteers showing them how to make video calls to family and friends.",
            needs="digital-skills;social-connection",
            venue="g-force",
            own_venue=True,
            min_age=60,
        ),
    ),
    (
        G + "SAL14018",
        dict(
            org="Confidence After Cancer",
            name="Confidence After Cancer group coaching",
            desc="Weekly group coaching in Sale for women recovering from cancer, who set their own goals, such as returning to work, volunteering, improving fitness or looking after their health.",
            needs="long-term-conditions;cancer;mental-wellbeing;employment-and-skills",
            venue="sale-library",
            eligibility="Women recovering from cancer",
        ),
    ),
    (
        G + "VSG1335",
        dict(
            org="New Expressions Art Group",
            needs="arts-and-creativity;visual-arts-and-crafts;mental-wellbeing",
            venue="stretford-library",
            eligibility="Adults wanting support with health issues, learning or physical disabilities",
        ),
    ),
    (
        G + "VSG1341",
        dict(
            org="Wild Colours Art Group",
            desc="Low-cost art sessions, three 2-hour sessions a week, for people from a broad range of backgrounds, ages and abilities.",
            needs="arts-and-creativity;visual-arts-and-crafts;social-connection",
            venue="timperley-library",
            schedule="Mon 10:00-12:00; Wed 14:00-16:00; Fri 10:00-12:00",
            schedule_note="Three 2-hour sessions a week (from the grant description); days and times added for demo.",
            sched_added=True,
            cost="3.00",
            cost_description="per session (low cost, amount added for demo)",
        ),
    ),
    (
        G + "VSG1301",
        dict(
            org="BOOMbox",
            name="BOOMbox music and poetry for mental health",
            needs="arts-and-creativity;music-and-singing;creative-writing;mental-wellbeing",
            venue="old-trafford-library",
            kind="evening",
        ),
    ),
    (
        G + "2023VSG9",
        dict(
            org="St Mary's Volunteer Gardening Group",
            name="Volunteer gardening group",
            needs="nature-and-gardening;community-gardening;social-connection",
            venue="davyhulme-park",
            access_kind="park",
        ),
    ),
    (
        G + "2022VSG63",
        dict(
            org="Old Trafford Community Allotment",
            name="Community allotment",
            desc_add="Learn organic growing and gardening skills alongside others (earlier grant, 2013).",
            needs="nature-and-gardening;community-gardening;mental-wellbeing",
            venue="old-trafford-library",
            access_kind="park",
        ),
    ),
    (
        G + "2021VSG18",
        dict(
            org="Friends of Walton Park",
            name="Volunteer replanting sessions",
            desc_add="New volunteers are welcome to help plant and look after the beds.",
            needs="nature-and-gardening;conservation-volunteering;community-gardening",
            venue="walton-park",
            access_kind="park",
            kind="weekend",
        ),
    ),
    (
        G + "VSG20013",
        dict(
            org="Friends of Turn Moss",
            name="Pop up community gardens",
            desc_add="Volunteers grow flowers and vegetables together in pop-up beds on Turn Moss; no experience needed.",
            needs="nature-and-gardening;community-gardening;conservation-volunteering",
            venue="turn-moss",
            access_kind="park",
            kind="weekend",
        ),
    ),
    (
        G + "VSG19106",
        dict(
            org="The Conservation Volunteers",
            name="Young people's park volunteering",
            desc="Fun outdoor volunteering in a local park that brings together young people with different life experiences.",
            needs="nature-and-gardening;conservation-volunteering;employment-and-skills;volunteering",
            venue="longford-park",
            access_kind="park",
            min_age=11,
            max_age=18,
            kind="weekend",
        ),
    ),
    (
        G + "VSG16025",
        dict(
            org="Blues Community Cafe",
            name="Cooking on a budget workshops",
            desc="A series of cookery workshops on cooking on a budget, healthy eating and nutrition.",
            needs="food;cooking;money-and-debt",
            venue="old-trafford-wellbeing",
        ),
    ),
    (
        G + "VSG19024",
        dict(
            org="Broadheath Friendship Group",
            desc_add="A weekly get-together for company, tea and a chat.",
            needs="social-connection;social-groups",
            venue="altrincham-library",
            min_age=60,
        ),
    ),
    (
        G + "VSG1324",
        dict(
            org="St Alphonsus Thursday Club",
            desc="A safe, friendly club for senior citizens with exercise and health awareness classes, activities and outings.",
            needs="social-connection;social-groups;lunch-clubs;physical-activity",
            venue="old-trafford-library",
            schedule="Thu 11:00-14:00",
            schedule_note="Thursdays (from the group's name); times added for demo.",
            sched_added=True,
            min_age=60,
        ),
    ),
    (
        G + "VSG1329",
        dict(
            org="Trafford African & Caribbean Over 50's Club",
            name="Lunch club and fitness class",
            desc="Twice-weekly club meetings with a lunch club, fitness class, health awareness programme, sport and talks, for African-Caribbean people over 50.",
            needs="social-connection;lunch-clubs;physical-activity;sport-and-exercise",
            venue="stretford-public-hall",
            schedule="Tue 11:00-14:00; Fri 11:00-14:00",
            schedule_note="Twice weekly (from the grant description); days and times added for demo.",
            sched_added=True,
            min_age=50,
            cost="3.00",
            cost_description="for lunch",
        ),
    ),
    (
        G + "2023VSG12",
        dict(
            org="Coffee, Chill and Spill",
            name="Coffee, Chill and Spill maternal wellbeing group",
            desc_add="An informal group where mums can meet, talk and look after their own wellbeing.",
            needs="mental-wellbeing;peer-support-groups;social-connection",
            venue="stretford-library",
            eligibility="Mothers, pregnant women and new parents",
        ),
    ),
    (
        G + "2022VSG73",
        dict(
            org="Dads Connect",
            name="Dads Connect group",
            desc="A group for dads, grandads and male carers of children aged 0 to 5 in Stretford, to build connections and look after their mental wellbeing.",
            needs="social-connection;social-groups;mental-wellbeing",
            venue="stretford-library",
            kind="weekend",
            eligibility="Dads, grandads and male carers of children aged 0 to 5",
        ),
    ),
    (
        G + "2023VSG16",
        dict(
            org="Making Futures",
            name="Crafting Together: Meet, Make, Chat",
            desc_add="A relaxed craft group: bring a project or try something new, and chat.",
            needs="arts-and-creativity;visual-arts-and-crafts;social-connection;social-groups",
            venue="urmston-library",
        ),
    ),
    (
        G + "2023VSG18",
        dict(
            org="Stretford Community Theatre",
            needs="arts-and-creativity;drama-and-theatre;social-connection",
            venue="stretford-public-hall",
            kind="evening",
            min_age=25,
            cost="3.00",
            cost_description="per session",
        ),
    ),
    (
        G + "2021VSG16",
        dict(
            org="Smallwords",
            name="Creative writing for wellbeing",
            desc_grant=G + "VSG16014",
            desc_add="Sessions support emotional wellbeing through writing.",
            needs="arts-and-creativity;creative-writing;mental-wellbeing",
            venue="sale-library",
        ),
    ),
    (
        G + "2021VSG38",
        dict(
            org="Vintage Stitch",
            name="Mothers Sewing for Mental Health",
            desc_add="Sewing sessions where mothers can relax, learn and connect.",
            needs="arts-and-creativity;visual-arts-and-crafts;mental-wellbeing;social-connection",
            venue="partington-library",
            eligibility="Mothers",
        ),
    ),
    (
        G + "2021VSG4",
        dict(
            org="Drake Music",
            name="Music making for disabled adults",
            needs="arts-and-creativity;music-and-singing",
            venue="stretford-public-hall",
            eligibility="Disabled adults",
            accessibility="step_free;accessible_toilet;hearing_loop;parking;public_transport",
        ),
    ),
    (
        G + "2022VSG9",
        dict(
            org="String of Hearts CIC",
            name="Online music-making for older people",
            needs="arts-and-creativity;music-and-singing;social-connection;digital-skills",
            delivery="online",
            kind="online",
            min_age=60,
        ),
    ),
    (
        G + "VSG20076",
        dict(
            org="Dynamic Heights",
            name="Online interview and presentation confidence",
            needs="employment-and-skills;job-search-support",
            delivery="online",
            kind="online",
        ),
    ),
    (
        G + "VSG20069",
        dict(
            org="United Response",
            name="Stepping Forward digital pathway to employment",
            desc="Stepping Forward: a 12-week online digital pathway to employment.",
            needs="employment-and-skills;job-search-support;digital-skills",
            delivery="online",
            kind="online",
            eligibility="People with learning disabilities, autism or mental health needs",
        ),
    ),
    (
        G + "2022VSG1",
        dict(
            org=BLUESCI,
            name="Finding trustworthy health information online",
            needs="digital-skills;long-term-conditions",
            venue="partington-wellbeing",
            own_venue=True,
        ),
    ),
    (
        G + "VSG20072",
        dict(
            org="The Manchester Deaf Centre",
            name="ICT skills for deaf people",
            desc="Help for deaf people to grow their computer skills and confidence, and discover what is possible online.",
            needs="digital-skills;long-term-conditions;hearing-loss",
            loc_from_charity=1110373,
            languages="BSL;English",
            accessibility="step_free;accessible_toilet;hearing_loop;bsl;public_transport",
        ),
    ),
    (
        G + "2022VSG51",
        dict(
            org="North Trafford Collective",
            name="Diabetes prevention and support sessions",
            needs="long-term-conditions;diabetes;physical-activity;food;cooking",
            venue="old-trafford-library",
            desc_add="Community sessions on healthy eating, activity and living well with type 2 diabetes.",
            eligibility="People living with, or at risk of, type 2 diabetes",
            languages="English;Urdu;Punjabi",
            service_area="M16;M32",
        ),
    ),
    (
        G + "VSG1317",
        dict(
            org="Simply Cycling",
            name="All Ability Cycling",
            desc="All Ability Cycling sessions with a range of adapted bikes, including bikes suitable for stroke survivors, people who want to lose weight and children with special needs.",
            needs="physical-activity;sport-and-exercise;long-term-conditions;stroke",
            venue="longford-park",
            access_kind="park",
            eligibility="All abilities, including stroke survivors and people with disabilities",
            kind="weekend",
        ),
    ),
    (
        G + "2022VSG55",
        dict(
            org="Read Easy UK",
            name="Read Easy one-to-one reading coaching",
            desc="Read Easy is a national literacy charity with groups in over 60 towns, expanding to Trafford.",
            needs="learning-and-hobbies;reading-and-literacy",
            venue="sale-library",
            kind="talk",
            desc_add="Free, confidential one-to-one reading coaching for adults, with a trained volunteer.",
        ),
    ),
    (
        G + "VSG19090",
        dict(
            org="Trafford Relaxed Sign Language Group",
            name="Relaxed BSL learning group",
            desc="Relaxed sessions to keep learning British Sign Language with a tutor.",
            needs="learning-and-hobbies;long-term-conditions;hearing-loss",
            venue="urmston-library",
            languages="BSL;English",
            accessibility="step_free;accessible_toilet;hearing_loop;bsl;public_transport",
            kind="evening",
        ),
    ),
    (
        G + "VSG19004",
        dict(
            org="St John's Centre",
            name="ESOL group",
            needs="learning-and-hobbies;english-language;social-connection",
            venue="st-johns-centre",
            own_venue=True,
            languages="English;Arabic;Urdu;Polish",
        ),
    ),
    (
        G + "VSG19038",
        dict(
            org="St John's Centre",
            name="Women's exercise sessions",
            desc="Regular exercise sessions for women at St John's Centre, Old Trafford.",
            needs="physical-activity;sport-and-exercise",
            venue="st-johns-centre",
            own_venue=True,
            eligibility="Women only",
            languages="English;Urdu;Arabic",
        ),
    ),
    (
        G + "2021VSG6",
        dict(
            org="St John's Centre",
            name="Family and community history project",
            needs="learning-and-hobbies;local-history",
            venue="st-johns-centre",
            own_venue=True,
        ),
    ),
    (
        G + "2022VSG67",
        dict(
            org="Leaf Language Library",
            name="A Journey to Wellbeing and ESOL",
            needs="learning-and-hobbies;english-language;mental-wellbeing",
            venue="old-trafford-library",
            eligibility="Women learning English",
            languages="English;Arabic;Urdu",
        ),
    ),
    (
        G + "VSG18013",
        dict(
            org="LMCP Care Link",
            charity="1128263",
            name="Keeping warm and maximising income",
            needs="money-and-debt;fuel-poverty;benefits-advice;housing",
            venue="lmcp",
            own_venue=True,
            schedule="1st Thu 10:30-12:00; 3rd Thu 10:30-12:00",
            schedule_note="Fortnightly workshops (from the grant description); days and times added for demo. Home visits by arrangement.",
            sched_added=True,
            languages="English;Urdu;Punjabi",
        ),
    ),
    (
        G + "VSG20044",
        dict(
            org="CDI (Community Development Initiative)",
            name="Phone counselling",
            needs="mental-wellbeing;talking-therapies;helplines",
            delivery="phone",
            kind="talk",
            languages="English;Urdu;Punjabi",
        ),
    ),
    (
        G + "VSG20043",
        dict(
            org="Bridging the Gap (Manchester)",
            name="Emergency food parcels",
            needs="food;food-banks",
            delivery="phone",
            kind="helpline",
            service_area="M16;M32",
            referral_routes="self;link_worker;gp",
        ),
    ),
    (
        G + "VSG20029",
        dict(
            org="Voices for Choices CIC",
            name="Online wellbeing sessions for new parents",
            needs="mental-wellbeing;wellbeing-courses;social-connection",
            delivery="online",
            kind="online",
            eligibility="Expectant and new parents",
        ),
    ),
    (
        G + "VSG20080",
        dict(
            org="Theatre of the Senses CIC",
            name="Online drama and wellbeing sessions",
            desc_grant=G + "VSG20046",
            needs="arts-and-creativity;drama-and-theatre;social-connection;mental-wellbeing",
            delivery="online",
            kind="online",
        ),
    ),
    (
        G + "2022VSG62",
        dict(
            org="Our Independence",
            name="Drop-in for disabled and isolated people",
            desc_grant=G + "VSG1323",
            needs="social-connection;social-groups;arts-and-creativity",
            venue="woodsend-library",
            kind="group",
        ),
    ),
    (
        G + "VSG1325",
        dict(
            org="St Bride's Church, Old Trafford",
            name="Drop-in for people seeking asylum",
            needs="food;community-meals;advice-and-advocacy;social-connection",
            venue="old-trafford-library",
            loc={"location_name": "St Bride's Church, Old Trafford", "address": "St Brides Way, Old Trafford"},
            eligibility="People seeking asylum, including those refused asylum",
            languages="English;Arabic",
            kind="group",
        ),
    ),
    (
        G + "VSG19084",
        dict(
            org="Pulling Together Asian Women's Group",
            name="Hidden Talents: A Taste of Asian Arts",
            needs="arts-and-creativity;visual-arts-and-crafts;social-connection",
            venue="old-trafford-library",
            eligibility="Women only",
            languages="English;Urdu;Punjabi",
        ),
    ),
    (
        G + "2022VSG57",
        dict(
            org="Communities United Project",
            name="Ukrainian Cultural Club",
            needs="social-connection;social-groups;mental-wellbeing;peer-support-groups",
            venue="stretford-library",
            languages="English;Ukrainian",
            kind="weekend",
        ),
    ),
    (
        G + "STH14008",
        dict(
            org="Tree Things Trafford",
            name="Woodwork and eco garden sessions",
            needs="learning-and-hobbies;nature-and-gardening;community-gardening;employment-and-skills",
            venue="broomwood-wellbeing",
        ),
    ),
    (
        G + "VSG16012",
        dict(
            org="Wellbeing Wednesday CIC",
            name="Wellbeing Wednesday",
            needs="mental-wellbeing;wellbeing-courses;physical-activity",
            venue="sale-west-cc",
            schedule="Wed 10:00-12:00",
            schedule_note="16-week programme (from the grant description); times added for demo.",
            sched_added=True,
        ),
    ),
    (
        G + "UP14016",
        dict(
            org="Soothe Baby Blues",
            name="Mother and baby wellbeing programme",
            needs="mental-wellbeing;peer-support-groups",
            venue="timperley-library",
            eligibility="Mothers with babies, including those with postnatal depression",
            capacity_note="Up to 10 women and babies per 6-week programme.",
        ),
    ),
    (
        G + "2022VSG35",
        dict(
            org="Sale West Heritage",
            name="Sale West heritage project",
            needs="learning-and-hobbies;local-history;social-connection",
            venue="sale-west-cc",
        ),
    ),
    (
        G + "VSG19054",
        dict(
            org="Old Trafford Heritage and History Group",
            name="Heritage and history group",
            needs="learning-and-hobbies;local-history;social-connection",
            venue="old-trafford-library",
            min_age=50,
        ),
    ),
    (
        G + "2023VSG34",
        dict(
            org="Hidden Treasure Trust (Hope Centre Partington)",
            name="Partington community hub drop-in",
            desc="Community hub at the Hope Centre (The Hideaway), one of Trafford Council's funded community hubs (2023-2025): drop in for a cuppa, information and help finding local support.",
            needs="social-connection;community-cafes;advice-and-advocacy",
            venue="hope-centre-partington",
            own_venue=True,
            added=True,
            kind="group",
        ),
    ),
    (
        G + "2023VSG36",
        dict(
            org="Our Sale West",
            name="Sale community support hub",
            desc="Sale West's community support hub, one of Trafford Council's funded community hubs (2023-2025): a friendly place to drop in, get information and find support.",
            needs="social-connection;community-cafes;advice-and-advocacy;food",
            venue="our-sale-west",
            own_venue=True,
            added=True,
            kind="group",
        ),
    ),
    (
        G + "2023VSG35",
        dict(
            org="Friends of Stretford Public Hall",
            name="Stretford community hub",
            desc="Community hub at Stretford Public Hall, one of Trafford Council's funded community hubs (2023-2025), with a cafe, activities and information about local support.",
            needs="social-connection;community-cafes;learning-and-hobbies",
            venue="stretford-public-hall",
            own_venue=True,
            added=True,
            kind="group",
        ),
    ),
    (
        G + "VSG19049",
        dict(
            org="Friends of Victoria Park, Stretford",
            name="Stretford Shedders (Men in Sheds)",
            needs="social-connection;social-groups;learning-and-hobbies",
            venue="victoria-park",
            own_venue=True,
        ),
    ),
    (
        G + "2022VSG7",
        dict(
            org="Friends of Victoria Park, Stretford",
            name="Digital cafe",
            needs="digital-skills;social-connection;community-cafes",
            venue="victoria-park",
            own_venue=True,
            kind="group",
            desc_add="Drop in with your phone or tablet for help from volunteers, over a cup of tea in the park's community building.",
        ),
    ),
]

# Source rows looked at and deliberately left out (reported by the script).
NOT_USED = [
    "Altrincham Anxiety Group (Trafford Self Help Services), mental health services: malformed postcode 'WA154 1HF'.",
    "Brownley Albion, sports clubs: postcode WA16 6JS is in Cheshire East, outside the Greater Manchester postcode file.",
    "Trafford Heart/Stroke Group (charity 1082559): its register entry says 'This group is now closed'.",
    "4CT Limited (Beswick), food banks: listed as 'no longer open'; 'Under new management' (Longsight): no name or times.",
    "Sports clubs whose address is only a town ('Urmston'): Old Stretfordians AFC, Trafford Rangers Junior FC, Urmston and District Riding Club.",
    "Respect for All (charity 1188851): contact postcode WN6 9DB is outside the Greater Manchester postcode file.",
    "Grants that fund one-off events, equipment or buildings (street parties, jubilee events, fun days, kit) are not services and were not used.",
]

PERSONAL_MAIL = re.compile(
    r"@(gmail|googlemail|hotmail|yahoo|btinternet|outlook|live|aol|icloud|me|msn|sky|talktalk|virginmedia|ntlworld|blueyonder)\.",
    re.I,
)
SCHED_RE = re.compile(
    r"^(?:(?:1st|2nd|3rd|4th|last) )?(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$"
)


def most_specific(needs, taxonomy):
    codes = [c.strip() for c in needs.split(";") if c.strip()]
    parents = {taxonomy[c]["parent_code"] for c in codes if c in taxonomy}
    return ";".join(c for c in codes if c not in parents)


def with_parents(needs, taxonomy):
    out = []
    for code in [c.strip() for c in needs.split(";") if c.strip()]:
        parent = taxonomy[code]["parent_code"] if code in taxonomy else ""
        if parent and parent not in out:
            out.append(parent)
        if code not in out:
            out.append(code)
    return ";".join(out)


def validate(rows, b):
    errors = []
    tax = b.taxonomy
    seen = {}
    terminated = set()
    for i, r in enumerate(rows, start=2):
        ref = r["service_ref"]
        for c in ("service_ref", "organisation_name", "service_name", "description", "needs", "delivery"):
            if not r[c]:
                errors.append(f"row {i} {ref}: {c} empty")
        for code in r["needs"].split(";"):
            if code not in tax:
                errors.append(f"row {i} {ref}: unknown needs code {code}")
        dl = r["delivery"].split(";")
        if not set(dl) <= {"venue", "online", "phone", "home"}:
            errors.append(f"row {i} {ref}: bad delivery {r['delivery']}")
        if not set(r["referral_routes"].split(";")) <= {"self", "link_worker", "gp"}:
            errors.append(f"row {i} {ref}: bad referral_routes")
        if r["accepting_referrals"] not in ("yes", "no", "waiting_list"):
            errors.append(f"row {i} {ref}: bad accepting_referrals")
        if r["accessibility"] and not set(r["accessibility"].split(";")) <= set(ACCESS_ORDER):
            errors.append(f"row {i} {ref}: bad accessibility")
        for s in filter(None, (x.strip() for x in r["schedule"].split(";"))):
            m = SCHED_RE.match(s)
            if not m or s[-11:-6] >= s[-5:]:
                errors.append(f"row {i} {ref}: bad session {s!r}")
        if r["cost"] != "free" and not re.match(r"^\d+\.\d{2}$", r["cost"]):
            errors.append(f"row {i} {ref}: bad cost {r['cost']}")
        for c in ("min_age", "max_age"):
            if r[c] and not r[c].isdigit():
                errors.append(f"row {i} {ref}: bad {c}")
        if r["min_age"] and r["max_age"] and int(r["min_age"]) > int(r["max_age"]):
            errors.append(f"row {i} {ref}: min_age > max_age")
        if r["service_area"] and not all(
            re.match(r"^[A-Z]{1,2}\d{1,2}[A-Z]?$", d) for d in r["service_area"].split(";")
        ):
            errors.append(f"row {i} {ref}: bad service_area")
        for c in COLUMNS:
            if PERSONAL_MAIL.search(r[c]):
                errors.append(f"row {i} {ref}: personal-looking e-mail in {c}")
            if "\n" in r[c] or "\r" in r[c]:
                errors.append(f"row {i} {ref}: newline in {c}")
        if r["email"] and not (
            r["email"].endswith("@example.org") or re.search(r"@[a-z.]*\.gov\.uk$|@scll\.co\.uk$", r["email"], re.I)
        ):
            errors.append(f"row {i} {ref}: unexpected e-mail {r['email']}")
        if "venue" in dl:
            for c in ("location_name", "address", "postcode"):
                if not r[c]:
                    errors.append(f"row {i} {ref}: venue without {c}")
            pc = r["postcode"]
            if pc not in b.gm:
                if pc in TERMINATED_OK:
                    terminated.add(pc)
                else:
                    errors.append(f"row {i} {ref}: postcode {pc} not in postcodes_greater_manchester.csv")
        else:
            if any(r[c] for c in ("location_name", "address", "town", "postcode")):
                errors.append(f"row {i} {ref}: location columns on a non-venue service")
        service_cols = tuple(
            r[c]
            for c in COLUMNS
            if c
            not in ("location_name", "address", "town", "postcode", "address_published", "schedule", "schedule_note")
        )
        if ref in seen and seen[ref] != service_cols:
            errors.append(f"row {i} {ref}: service-level columns differ between rows of one service")
        seen.setdefault(ref, service_cols)
    if terminated != TERMINATED_OK:
        errors.append(f"terminated postcodes used {sorted(terminated)} != {sorted(TERMINATED_OK)}")
    return errors


def summary(rows, b):
    services = {}
    for r in rows:
        services.setdefault(r["service_ref"], []).append(r)
    orgs = {r["organisation_name"] for r in rows}
    top = [c for c, t in b.taxonomy.items() if not t["parent_code"]]
    # A listing tagged with a specific need counts towards its top-level need too.
    per_need = {
        c: sum(1 for rs in services.values() if c in with_parents(rs[0]["needs"], b.taxonomy).split(";")) for c in top
    }
    trafford = sum(
        1 for rs in services.values() if any(district(x["postcode"]) in TRAFFORD_DISTRICTS for x in rs if x["postcode"])
    )
    return services, orgs, per_need, trafford


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", default="/work/shared/directory-samples")
    ap.add_argument("--geodata", default="/work/shared/geodata")
    ap.add_argument("--taxonomy", default=os.path.join(HERE, "taxonomy.csv"))
    ap.add_argument("--out", default=os.path.join(HERE, "demo_directory.csv"))
    args = ap.parse_args(argv)

    b = Builder(args.samples, args.geodata, args.taxonomy, random.Random(2026))
    b.build_mh(MH_SPECS)
    b.build_fb(FB_SPECS)
    b.build_sc(SC_SPECS)
    b.build_lib(LIB_SPECS)
    b.build_cc(CC_SPECS)
    b.build_gr(GR_SPECS)
    # Listings carry their most specific needs only: search and matching find them from the
    # broader need through the taxonomy, and a walking search is not flooded with every sport.
    for s in b.services:
        s["needs"] = most_specific(s["needs"], b.taxonomy)
    refs = [s["service_ref"] for s in b.services]
    dupes = sorted({x for x in refs if refs.count(x) > 1})
    if dupes:
        raise SystemExit(f"duplicate service_ref: {dupes}")
    rows = b.rows()
    errors = validate(rows, b)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        raise SystemExit(f"{len(errors)} problems; nothing written")
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)

    services, orgs, per_need, trafford = summary(rows, b)
    print(
        f"wrote {args.out}: {len(rows)} rows, {len(services)} services, {len(orgs)} organisations, "
        f"{trafford} services with a venue in a Trafford postcode district"
    )
    for code, n in per_need.items():
        print(f"  {code:24s} {n}")
    print("deliberately terminated postcodes:", ", ".join(sorted(TERMINATED_OK)))
    print("contact details left out:")
    for x in dict.fromkeys(b.omitted):
        print("  -", x)
    print("source rows not used:")
    for x in NOT_USED:
        print("  -", x)


if __name__ == "__main__":
    main()
