import pytest

from ketaclinic.clinical.instruments import INSTRUMENTS
from ketaclinic.clinical.instruments.loinc import loinc_check_digit, loinc_is_valid

# Every code the issue and clinical.md §5 name as correct.
SPEC_CODES = (
    "44249-1",  # PHQ-9 panel
    "44261-6",  # PHQ-9 total
    "69722-7",  # PHQ-9 difficulty item
    "69737-5",  # GAD-7 panel
    "70274-6",  # GAD-7 total
    "72109-2",  # AUDIT-C panel
    "75626-2",  # AUDIT-C total
    "82666-9",  # DAST-10 panel
    "82667-7",  # DAST-10 total
    "93373-9",  # C-SSRS screener
    "93245-9",  # full C-SSRS
)


def test_it_computes_the_check_digit_by_hand():
    # 44261 from the right: 1×2=2, 6, 2×2=4, 4, 4×2=8 → 2+6+4+4+8 = 24 → 30 − 24 = 6
    assert loinc_check_digit("44261") == 6
    # 93373: 3×2=6, 7, 3×2=6, 3, 9×2=18 → 1+8=9 → 6+7+6+3+9 = 31 → 40 − 31 = 9
    assert loinc_check_digit("93373") == 9


def test_it_gives_check_digit_zero_when_the_sum_is_a_multiple_of_ten():
    # 2160 (creatinine): 0×2=0, 6, 1×2=2, 2 → 10 → (10 − 0) mod 10 = 0
    assert loinc_check_digit("2160") == 0
    assert loinc_is_valid("2160-0")


def test_it_sums_the_digits_of_a_doubled_digit_above_nine():
    # 5: 5×2=10 → 1+0 = 1 → 10 − 1 = 9 (a plain sum would give 10 → 0)
    assert loinc_check_digit("5") == 9
    assert loinc_is_valid("5-9")


@pytest.mark.parametrize("code", SPEC_CODES)
def test_it_accepts_every_code_the_spec_names(code):
    assert loinc_is_valid(code)


@pytest.mark.parametrize(
    "code",
    ["93373-7", "77040-1", "77041-9", "77060-9", "91006-2"],  # clinical.md §5.0: seen in repos, all fail
)
def test_it_rejects_the_bad_codes_seen_in_public_repos(code):
    assert not loinc_is_valid(code)


@pytest.mark.parametrize(
    "code",
    ["44261", "44261-", "-6", "44261-66", " 44261-6", "44261-6 ", "44261_6", "LA6568-5", "12345678-5", ""],
)
def test_it_rejects_malformed_codes(code):
    assert not loinc_is_valid(code)


@pytest.mark.parametrize("code", [None, 44261, 44261.6, b"44261-6"])
def test_it_rejects_non_strings(code):
    assert not loinc_is_valid(code)


def test_it_refuses_a_base_that_is_not_digits():
    with pytest.raises(ValueError, match="base"):
        loinc_check_digit("44a61")


def _stored_codes():
    for definition in INSTRUMENTS.values():
        yield definition.code, "loinc_panel", definition.loinc_panel
        yield definition.code, "loinc_total", definition.loinc_total
        for item in definition.items:
            yield definition.code, f"item {item.number}", item.loinc


def test_every_stored_instrument_code_passes_the_check_digit():
    stored = [(code, field, value) for code, field, value in _stored_codes() if value is not None]
    assert len(stored) >= 25  # 9 PHQ-9 items + 7 GAD-7 items + 7 C-SSRS items + panels and totals
    assert [entry for entry in stored if not loinc_is_valid(entry[2])] == []
