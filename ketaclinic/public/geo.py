"""Distances between US ZIP codes, offline: the `zipcodes` package ships the US ZIP centroids; no service is called.

Pure Python (no Django), so an analyst can use it on its own:

    >>> round(distance_miles(zip_point("90064"), zip_point("91101")), 1)
    18.1
"""

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import zipcodes

# Mean Earth radius (IUGG); the haversine formula treats the Earth as a sphere, which is within 0.5 % here.
EARTH_RADIUS_MILES = 3958.8
ZIP_PATTERN = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")


class ZipError(ValueError):
    """A ZIP code that is malformed or not in the data set; the message names the field."""


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


def haversine_miles(a: Point, b: Point) -> float:
    """Great-circle distance between two points, in miles."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


distance_miles = haversine_miles


def normalize_zip(text: str) -> str:
    """'90064', '90064-1234' or ' 90064 ' -> '90064'; anything else raises ZipError."""
    match = ZIP_PATTERN.match(text or "")
    if not match:
        raise ZipError("zip: enter a 5-digit US ZIP code, for example 90064.")
    return match.group(1)


@lru_cache(maxsize=4096)
def zip_point(text: str) -> Point:
    """The centroid of a US ZIP code. Raises ZipError when it is malformed or unknown."""
    code = normalize_zip(text)
    try:
        rows = zipcodes.matching(code)
    except (TypeError, ValueError):
        rows = []
    if not rows or not rows[0].get("lat") or not rows[0].get("long"):
        raise ZipError(f"zip: {code} is not a US ZIP code we know.")
    return Point(float(rows[0]["lat"]), float(rows[0]["long"]))


def zip_point_or_none(text: str) -> Point | None:
    try:
        return zip_point(text)
    except ZipError:
        return None
