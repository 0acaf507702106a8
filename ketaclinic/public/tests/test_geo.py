import ast
from pathlib import Path

import pytest

from ketaclinic.public import geo
from ketaclinic.public.geo import Point, ZipError, haversine_miles, normalize_zip, zip_point


def test_it_measures_a_quarter_of_the_equator():
    # (0, 0) to (0, 90): a quarter of the circumference, π/2 × 3958.8 = 6218.4 miles.
    assert haversine_miles(Point(0, 0), Point(0, 90)) == pytest.approx(6218.4, abs=0.1)


def test_it_measures_one_degree_of_latitude():
    # 1° = π/180 × 3958.8 = 69.09 miles, whatever the longitude.
    assert haversine_miles(Point(34, -118), Point(35, -118)) == pytest.approx(69.09, abs=0.01)


def test_it_is_zero_for_the_same_point_and_symmetric():
    a, b = Point(34.0353, -118.4259), Point(34.1478, -118.1445)
    assert haversine_miles(a, a) == 0
    assert haversine_miles(a, b) == haversine_miles(b, a)


def test_it_finds_zip_centroids_offline():
    assert zip_point("90064") == Point(34.0353, -118.4259)
    # West Los Angeles to Pasadena, about 18 miles as the crow flies.
    assert haversine_miles(zip_point("90064"), zip_point("91101")) == pytest.approx(18.1, abs=0.1)


@pytest.mark.parametrize("text", ["90064", " 90064 ", "90064-1234"])
def test_it_accepts_zip_and_zip_plus_four(text):
    assert normalize_zip(text) == "90064"


@pytest.mark.parametrize("text", ["", "9006", "900641", "abcde", "90064-12"])
def test_it_refuses_a_malformed_zip_naming_the_field(text):
    with pytest.raises(ZipError, match="^zip: enter a 5-digit US ZIP code"):
        normalize_zip(text)


def test_it_refuses_an_unknown_zip():
    with pytest.raises(ZipError, match="^zip: 00000 is not a US ZIP code we know"):
        zip_point("00000")


def test_the_geography_module_imports_no_django():
    tree = ast.parse(Path(geo.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(name.split(".")[0] == "django" for name in imported)
