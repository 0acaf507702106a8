import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.billing.services import insurance, prices
from ketaclinic.billing.tests.factories import PRICES


def test_the_version_in_force_is_the_latest_that_has_started(westside, admin, price_list):
    later = prices.create_price_list(westside, data={**PRICES, "iv_infusion_cents": 65_000,
                                                     "effective_from": dt.date(2026, 4, 1)}, acting_user=admin)
    assert prices.current_price_list(westside) == price_list  # 16 March: April's has not started
    assert prices.current_price_list(westside, on=dt.date(2026, 4, 1)) == later
    assert prices.current_price_list(westside, on=dt.date(2025, 12, 31)) is None


def test_a_new_version_is_audited(westside, admin, price_list):
    row = AuditEvent.objects.get(object_type="price_list", object_id=str(price_list.pk))
    assert row.action == "create" and row.changes["iv_infusion_cents"] == [None, 60_000]


@pytest.mark.parametrize("change, field", [
    ({"induction_package_price_cents": 300_000}, "induction_package_discount_pct"),  # both kinds of package
    ({"iv_infusion_cents": None}, "iv_infusion_cents"),  # a discount needs the infusion price
    ({"iv_drug_charge_cents": 70_000}, "iv_drug_charge_cents"),  # drug part above the infusion price
])
def test_bad_price_lists_name_the_field_and_save_nothing(westside, admin, change, field):
    with pytest.raises(ValidationError) as error:
        prices.create_price_list(westside, data={**PRICES, **change, "effective_from": dt.date(2026, 2, 1)},
                                 acting_user=admin)
    assert field in error.value.message_dict
    assert not westside.price_lists.exists()


def test_two_versions_cannot_start_on_the_same_day(westside, admin, price_list):
    with pytest.raises(ValidationError, match="already starts on that day"):
        prices.create_price_list(westside, data={**PRICES, "effective_from": dt.date(2026, 1, 1)}, acting_user=admin)


def test_an_empty_price_list_is_refused(westside, admin):
    with pytest.raises(ValidationError, match="at least one price"):
        prices.create_price_list(westside, data={"effective_from": dt.date(2026, 1, 1)}, acting_user=admin)


def test_published_prices_are_none_until_the_clinic_publishes(westside, admin, price_list):
    assert prices.published_prices(westside) is None
    prices.update_billing_profile(westside, data={"publish_prices": True}, acting_user=admin)
    published = prices.published_prices(westside)
    assert published["prices_cents"]["iv-infusion"] == 60_000
    assert published["induction_package_cents"] == 324_000  # 6 × 60_000 less 10%
    assert published["effective_from"] == dt.date(2026, 1, 1)
    assert published["labels"]["booster"] == "booster infusion"


def test_a_publishing_clinic_without_prices_publishes_nothing(westside, admin):
    prices.update_billing_profile(westside, data={"publish_prices": True}, acting_user=admin)
    assert prices.published_prices(westside) is None


def test_accepted_esketamine_payers_are_the_active_in_network_ones(westside, pasadena, biller):
    insurance.create_payer(westside, data={"name": "Zeta Health", "esketamine_in_network": True}, acting_user=biller)
    insurance.create_payer(westside, data={"name": "Alpha Care", "esketamine_in_network": True}, acting_user=biller)
    insurance.create_payer(westside, data={"name": "Out Of Network"}, acting_user=biller)
    old = insurance.create_payer(westside, data={"name": "Gone Co", "esketamine_in_network": True}, acting_user=biller)
    insurance.update_payer(old, data={"active": False}, acting_user=biller)
    assert prices.accepted_esketamine_payers(westside) == ["Alpha Care", "Zeta Health"]
    assert prices.accepted_esketamine_payers(pasadena) == []


def test_the_estimator_price_list_leaves_out_what_is_not_offered(westside, admin):
    price_list = prices.create_price_list(westside, data={"iv_infusion_cents": 50_000, "effective_from": dt.date(2026, 1, 1),
                                                          "induction_package_discount_pct": Decimal("5")}, acting_user=admin)
    assert dict(prices.to_pricing(price_list).prices_cents) == {"iv-infusion": 50_000}
