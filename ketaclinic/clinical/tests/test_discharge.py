from datetime import datetime, timezone

import pytest

from ketaclinic.clinical.discharge import (
    ALDRETE_ITEMS,
    PADSS_ITEMS,
    DischargeReadiness,
    aldrete,
    discharge_readiness,
    padss,
)

ALDRETE_NAMES = ("activity", "respiration", "circulation", "consciousness", "oxygen_saturation")
PADSS_NAMES = ("vital_signs", "ambulation", "nausea_vomiting", "pain", "surgical_bleeding")


def aldrete_with(**changes):
    return aldrete(**{**dict.fromkeys(ALDRETE_NAMES, 2), **changes})


def padss_with(**changes):
    return padss(**{**dict.fromkeys(PADSS_NAMES, 2), **changes})


def test_aldrete_full_marks_is_ready():
    result = aldrete_with()
    assert (result.total, result.ready) == (10, True)  # 5 items × 2
    assert result.scores == tuple((name, 2) for name in ALDRETE_NAMES)


def test_aldrete_9_is_ready_and_8_is_not():
    assert (aldrete_with(consciousness=1).total, aldrete_with(consciousness=1).ready) == (9, True)  # 2+2+2+1+2
    eight = aldrete_with(consciousness=1, oxygen_saturation=1)  # 2+2+2+1+1
    assert (eight.total, eight.ready) == (8, False)


def test_aldrete_takes_positional_items_in_the_documented_order():
    result = aldrete(2, 1, 0, 2, 1)
    assert result.scores == (("activity", 2), ("respiration", 1), ("circulation", 0),
                             ("consciousness", 2), ("oxygen_saturation", 1))
    assert result.total == 6


def test_aldrete_takes_a_clinic_threshold():
    result = aldrete_with(consciousness=1, ready_min_total=10)
    assert (result.total, result.ready, result.ready_min_total) == (9, False, 10)


@pytest.mark.parametrize("item", ALDRETE_NAMES)
@pytest.mark.parametrize("bad", [-1, 3])
def test_aldrete_rejects_out_of_range_items_naming_them(item, bad):
    with pytest.raises(ValueError, match=f"^{item}: {bad} is outside 0–2"):
        aldrete_with(**{item: bad})


@pytest.mark.parametrize("bad", [True, 1.0, "2", None])
def test_aldrete_rejects_non_integers_naming_the_item(bad):
    with pytest.raises(ValueError, match="^respiration: expected a whole number"):
        aldrete_with(respiration=bad)


def test_aldrete_rejects_an_impossible_clinic_threshold():
    with pytest.raises(ValueError, match="^ready_min_total: 11 is outside 0–10"):
        aldrete_with(ready_min_total=11)


def test_padss_9_is_fit_and_8_is_not():
    assert padss_with().total == 10
    assert (padss_with(pain=1).total, padss_with(pain=1).ready) == (9, True)  # 2+2+2+1+2
    eight = padss_with(pain=1, nausea_vomiting=1)  # 2+2+1+1+2
    assert (eight.total, eight.ready) == (8, False)
    assert eight.scale == "modified PADSS"


@pytest.mark.parametrize("item", PADSS_NAMES)
def test_padss_rejects_out_of_range_items_naming_them(item):
    with pytest.raises(ValueError, match=f"^{item}: 3 is outside 0–2"):
        padss_with(**{item: 3})


@pytest.mark.parametrize("items, names", [(ALDRETE_ITEMS, ALDRETE_NAMES), (PADSS_ITEMS, PADSS_NAMES)])
def test_every_item_describes_each_score_for_the_form(items, names):
    assert tuple(item.name for item in items) == names
    assert all(len(item.levels) == 3 and all(item.levels) for item in items)


def test_item_descriptions_follow_the_reference_table():
    oxygen = ALDRETE_ITEMS[ALDRETE_NAMES.index("oxygen_saturation")]
    assert oxygen.levels[2] == "SpO2 >92 % on room air"
    assert oxygen.levels[0] == "SpO2 <90 % even with O2"
    pain = PADSS_ITEMS[PADSS_NAMES.index("pain")]
    assert pain.levels == ("Severe (VAS 7–10)", "Moderate (VAS 4–6)", "Minimal (VAS 0–3)")


FIRST_DEVICE = datetime(2026, 3, 14, 10, 0, tzinfo=timezone.utc)


def readiness(now, **changes):
    kwargs = dict(observed_since=FIRST_DEVICE, now=now, observation_min_required=120, aldrete_total=10,
                  vitals_near_baseline=True, ride_present=True)
    return discharge_readiness(**{**kwargs, **changes})


def at(hour, minute, second=0):
    return datetime(2026, 3, 14, hour, minute, second, tzinfo=timezone.utc)


def test_it_is_ready_when_everything_is_met():
    assert readiness(at(12, 0)) == DischargeReadiness(True, (), None)  # 10:00 + 120 min = 12:00, inclusive


def test_it_counts_down_the_observation_and_says_when_it_ends():
    # 10:00 + 120 min = 12:00; at 11:48, 12 min left
    assert readiness(at(11, 48)) == DischargeReadiness(False, ("observation: 12 min left",), at(12, 0))


def test_it_rounds_the_minutes_left_up():
    # 30 s left reads "1 min left", not "0 min left"
    assert readiness(at(11, 59, 30)).unmet == ("observation: 1 min left",)


def test_it_reports_a_low_aldrete():
    assert readiness(at(12, 0), aldrete_total=8).unmet == ("Aldrete 8 < 9",)
    assert readiness(at(12, 0), aldrete_total=9).ready is True


def test_it_takes_a_clinic_aldrete_threshold():
    assert readiness(at(12, 0), aldrete_total=9, aldrete_ready_min_total=10).unmet == ("Aldrete 9 < 10",)


def test_it_skips_aldrete_when_the_clinic_does_not_score_it():
    assert readiness(at(12, 0), aldrete_total=None).ready is True


def test_it_reports_vitals_and_ride():
    result = readiness(at(12, 0), vitals_near_baseline=False, ride_present=False)
    assert result.unmet == ("vitals not near baseline", "ride home not confirmed")


def test_it_gives_no_ready_at_when_more_than_time_is_missing():
    result = readiness(at(11, 0), ride_present=False)
    assert result == DischargeReadiness(False, ("observation: 60 min left", "ride home not confirmed"), None)


@pytest.mark.parametrize("changes, message", [
    ({"observation_min_required": -1}, "^observation_min_required: -1 is negative"),
    ({"observation_min_required": True}, "^observation_min_required: expected a whole number"),
    ({"aldrete_total": 11}, "^aldrete_total: 11 is outside 0–10"),
    ({"aldrete_ready_min_total": 12}, "^aldrete_ready_min_total: 12 is outside 0–10"),
    ({"ride_present": None}, "^ride_present: expected True or False"),
    ({"vitals_near_baseline": 1}, "^vitals_near_baseline: expected True or False"),
    ({"observed_since": at(12, 1)}, "^observed_since: .* is after now"),
    ({"observed_since": FIRST_DEVICE.date()}, "^observed_since: expected a datetime"),
])
def test_it_rejects_bad_input_naming_the_field(changes, message):
    with pytest.raises(ValueError, match=message):
        readiness(at(12, 0), **changes)


def test_iv_observation_runs_from_the_clinic_minutes():
    # infusion ended 10:00, clinic observes 30 min → 10:30; 10 min left at 10:20
    result = readiness(at(10, 20), observed_since=at(10, 0), observation_min_required=30)
    assert result == DischargeReadiness(False, ("observation: 10 min left",), at(10, 30))
