#!/usr/bin/env python3
"""Build the offline geocoder tables in seed/ from the Code-Point Open extracts.

Standard library only, deterministic. Run from anywhere:

    python3 seed/build_geodata.py [GEODATA_DIR] [OUT_DIR]

GEODATA_DIR defaults to /work/shared/geodata and OUT_DIR to the folder holding
this script. Writes:

  postcodes.csv  postcode,latitude,longitude  (5 decimal places) - every live
                 postcode in the 10 Greater Manchester boroughs
                 (postcodes_greater_manchester.csv)
  outcodes.csv   outcode,latitude,longitude   (6 decimal places) - every GB
                 postcode district (uk_outcode_centroids.csv)
  sectors.csv    sector,latitude,longitude    (6 decimal places) - every GB
                 postcode sector (uk_postcode_sector_centroids.csv)

Source data: Ordnance Survey Code-Point Open 2025.2.0, OGL v3.0. Contains OS
data, Royal Mail data and National Statistics data (c) Crown copyright and
database right 2025. The app reads only the files written here; it never
needs /work/shared at run time.
"""

import csv
import os
import sys
from decimal import ROUND_HALF_EVEN, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))


def fixed(value, places):
    """Round a decimal string to `places` decimals without float artefacts."""
    q = Decimal(1).scaleb(-places)
    return str(Decimal(value.strip()).quantize(q, rounding=ROUND_HALF_EVEN))


def convert(src, dst, key, places, key_norm):
    rows = []
    with open(src, newline="", encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            k = key_norm(rec[key])
            if not k or not rec["latitude"].strip() or not rec["longitude"].strip():
                continue
            rows.append((k, fixed(rec["latitude"], places), fixed(rec["longitude"], places)))
    rows.sort()
    keys = [r[0] for r in rows]
    if len(set(keys)) != len(keys):
        raise SystemExit(f"duplicate keys in {src}")
    with open(dst, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([key, "latitude", "longitude"])
        w.writerows(rows)
    return len(rows)


def norm_postcode(pc):
    pc = "".join(pc.split()).upper()
    return f"{pc[:-3]} {pc[-3:]}" if len(pc) >= 5 else ""


def norm_sector(s):
    return " ".join(s.split()).upper()


def main(argv):
    geo = argv[1] if len(argv) > 1 else "/work/shared/geodata"
    out = argv[2] if len(argv) > 2 else HERE
    os.makedirs(out, exist_ok=True)
    n1 = convert(
        os.path.join(geo, "postcodes_greater_manchester.csv"),
        os.path.join(out, "postcodes.csv"),
        "postcode",
        5,
        norm_postcode,
    )
    n2 = convert(
        os.path.join(geo, "uk_outcode_centroids.csv"), os.path.join(out, "outcodes.csv"), "outcode", 6, norm_sector
    )
    n3 = convert(
        os.path.join(geo, "uk_postcode_sector_centroids.csv"),
        os.path.join(out, "sectors.csv"),
        "sector",
        6,
        norm_sector,
    )
    print(f"postcodes.csv: {n1} rows; outcodes.csv: {n2} rows; sectors.csv: {n3} rows")


if __name__ == "__main__":
    main(sys.argv)
