"""Ledger arithmetic: amounts in mg and mL, running balances, reconciliation and count variances."""

from decimal import Decimal as D

import pytest

from ketaclinic.clinical import ledger
from ketaclinic.clinical.ledger import Kind, LedgerError, Movement, Quantity, WasteSource

K50 = ledger.vial("50", "10")  # ketamine 50 mg/mL, 10 mL vial: 500 mg
K100 = ledger.vial("100", "5")
SPRAVATO = ledger.device()


def q(mg, ml=None):
    return Quantity(D(mg), None if ml is None else D(ml))


def test_a_full_vial_holds_concentration_times_volume():
    assert K50.full_container() == q("500", "10")  # 50 mg/mL × 10 mL
    assert SPRAVATO.full_container() == q("28")  # one device, clinical.md §3.3


def test_millilitres_give_milligrams_exactly():
    assert ledger.quantity(K50, ml="0.70") == q("35", "0.70")  # 0.70 × 50 = 35 mg
    assert ledger.quantity(K100, ml="0.33") == q("33", "0.33")


def test_milligrams_alone_must_be_a_whole_hundredth_of_a_millilitre():
    assert ledger.quantity(K50, mg="35") == q("35", "0.70")
    with pytest.raises(LedgerError) as error:
        ledger.quantity(K100, mg="33.3")  # 0.333 mL: a syringe does not read it
    assert error.value.field == "amount_mg" and "enter the volume" in error.value.message


def test_mg_and_ml_given_together_must_agree():
    assert ledger.quantity(K50, ml="1", mg="50") == q("50", "1")
    with pytest.raises(LedgerError, match="amount_mg: 40 mg does not match"):
        ledger.quantity(K50, ml="1", mg="40")


@pytest.mark.parametrize(
    "kwargs, field",
    [({"ml": "0"}, "amount_ml"), ({"ml": "-1"}, "amount_ml"), ({"ml": "0.005"}, "amount_ml"), ({}, "amount_ml"),
     ({"ml": 0.5}, "amount_ml"), ({"ml": "abc"}, "amount_ml")],
)
def test_bad_amounts_name_their_field(kwargs, field):
    with pytest.raises(LedgerError) as error:
        ledger.quantity(K50, **kwargs)
    assert error.value.field == field


def test_devices_are_whole_units_of_28_mg():
    assert ledger.quantity(SPRAVATO, mg="56") == q("56")
    with pytest.raises(LedgerError, match="not a whole number of 28 mg devices"):
        ledger.quantity(SPRAVATO, mg="30")
    with pytest.raises(LedgerError, match="counted in devices"):
        ledger.quantity(SPRAVATO, ml="0.2")


def test_a_vial_definition_is_checked():
    with pytest.raises(LedgerError) as error:
        ledger.vial("0", "10")
    assert error.value.field == "concentration_mg_per_ml"
    with pytest.raises(LedgerError) as error:
        ledger.vial("50", "10.005")
    assert error.value.field == "container_volume_ml"


def test_running_balances_follow_a_vials_day():
    # 500 mg in; draw 35 mg (0.70 mL); waste the remaining 465 mg (9.30 mL) from the container at the end of the day.
    moves = [
        Movement(Kind.RECEIVE, q("500", "10")),
        Movement(Kind.OPEN, q("0", "0")),
        Movement(Kind.DRAW, q("35", "0.70")),
        Movement(Kind.ADMINISTER, q("35", "0.70")),
        Movement(Kind.WASTE, q("465", "9.30"), waste_source=WasteSource.CONTAINER),
    ]
    balances = ledger.running_balances(ledger.zero(), moves)
    assert balances == [q("500", "10"), q("500", "10"), q("465", "9.30"), q("465", "9.30"), q("0", "0")]


def test_a_container_never_goes_below_zero():
    with pytest.raises(LedgerError, match="only 10 mg \\(0.2 mL\\) is left"):
        ledger.next_container_balance(q("10", "0.20"), Movement(Kind.DRAW, q("15", "0.30")))


def test_administered_plus_wasted_never_exceeds_drawn():
    drawn = q("35", "0.70")
    after_dose = ledger.next_draw_balance(drawn, Movement(Kind.ADMINISTER, q("30", "0.60")))
    assert after_dose == q("5", "0.10")
    assert ledger.next_draw_balance(after_dose, Movement(Kind.WASTE, q("5", "0.10"), waste_source="syringe")).is_zero
    with pytest.raises(LedgerError, match="not yet administered or wasted"):
        ledger.next_draw_balance(after_dose, Movement(Kind.WASTE, q("6", "0.12"), waste_source="syringe"))


def test_a_reversing_entry_restores_the_balance():
    draw = Movement(Kind.DRAW, q("35", "0.70"))
    reversal = Movement(Kind.DRAW, q("35", "0.70"), sign=-1)
    assert ledger.running_balances(q("500", "10"), [draw, reversal]) == [q("465", "9.30"), q("500", "10")]


def test_waste_must_say_where_it_came_from():
    with pytest.raises(LedgerError) as error:
        Movement(Kind.WASTE, q("5", "0.1")).container_delta()
    assert error.value.field == "waste_source"


def test_a_period_reconciles_when_opening_plus_in_minus_out_is_the_closing():
    # Opening 500 mg; +1000 received; 70 administered; 5 wasted from a syringe and 425 from a vial; 500 lost.
    moves = [
        Movement(Kind.RECEIVE, q("1000", "20")),
        Movement(Kind.DRAW, q("75", "1.50")),
        Movement(Kind.ADMINISTER, q("70", "1.40")),
        Movement(Kind.WASTE, q("5", "0.10"), waste_source="syringe"),
        Movement(Kind.WASTE, q("425", "8.50"), waste_source="container"),
        Movement(Kind.LOSS, q("500", "10")),
        Movement(Kind.ADMINISTER, q("10", "0.2")),
        Movement(Kind.ADMINISTER, q("10", "0.2"), sign=-1),  # a mistaken entry and its reversal cancel
    ]
    result = ledger.reconcile(q("500", "10"), moves, recorded_closing=q("500", "10"))
    assert result.summary.administered == q("70", "1.40")
    assert result.summary.wasted == q("430", "8.60")
    assert result.summary.drawn == q("75", "1.50")
    assert result.expected_closing == q("500", "10")  # 500 + 1000 − 70 − 430 − 500
    assert result.balances
    assert not ledger.reconcile(q("500", "10"), moves, recorded_closing=q("490", "9.8")).balances


def test_a_count_adds_sealed_containers_and_estimated_open_ones():
    counted = ledger.counted_quantity(K50, sealed_containers=3, open_ml="4.50")
    assert counted == q("1725", "34.50")  # 3 × 500 + 4.5 × 50
    assert ledger.variance(q("1750", "35"), counted) == q("-25", "-0.50")
    assert ledger.counted_quantity(SPRAVATO, sealed_containers=4) == q("112")
    with pytest.raises(LedgerError) as error:
        ledger.counted_quantity(K50, sealed_containers=-1)
    assert error.value.field == "sealed_containers"


def test_amounts_read_plainly():
    assert ledger.describe(q("35.000", "0.70")) == "35 mg (0.7 mL)"
    assert ledger.describe(q("56")) == "56 mg (2 devices)"


def test_a_draws_chain_replays_to_what_the_syringe_holds():
    chain = [
        Movement(Kind.DRAW, q("40", "0.80")),
        Movement(Kind.ADMINISTER, q("35", "0.70")),
        Movement(Kind.ADMINISTER, q("35", "0.70"), sign=-1),
        Movement(Kind.ADMINISTER, q("30", "0.60")),
        Movement(Kind.WASTE, q("10", "0.20"), waste_source="syringe"),
    ]
    assert ledger.draw_balances(chain) == [q("40", "0.8"), q("5", "0.1"), q("40", "0.8"), q("10", "0.2"), q("0", "0")]
    with pytest.raises(LedgerError, match="reverse the administrations"):
        ledger.draw_balances(chain[:2] + [Movement(Kind.DRAW, q("40", "0.80"), sign=-1)])


def test_net_change_splits_the_cabinet_from_the_syringes():
    moves = [Movement(Kind.RECEIVE, q("500", "10")), Movement(Kind.DRAW, q("40", "0.8")), Movement(Kind.ADMINISTER, q("30", "0.6"))]
    assert ledger.net_change(moves) == (q("460", "9.2"), q("10", "0.2"))  # 10 mg still in the syringe
