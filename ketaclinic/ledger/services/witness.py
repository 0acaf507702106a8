"""A second licensed person signs with their OWN user name and password on the same screen.

``sign`` checks the credentials with Django's ``authenticate`` (so django-axes counts failures and locks out a
guessed password) and returns a ``WitnessSignature``; the ledger services take that signature and check it again
inside their transaction (``check_witness``). Call ``sign`` *outside* the service's transaction: a failed attempt must
be remembered by the lockout even though the movement is refused.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils import timezone

from ketaclinic.accounts.models import Clinic, Membership, User
from ketaclinic.accounts.roles import Role

# A waste or count is witnessed by a physician, RN or CRNA (clinical.md §8: the witness is state, institutional
# or best practice, [UNVERIFIED as federal]; we require it for every waste and every count).
LICENSED_WITNESS_ROLES = (Role.PHYSICIAN, Role.NURSE_RN, Role.NURSE_CRNA)
# A signature is used at once; an old one (a form left open) must be signed again.
SIGNATURE_MAX_AGE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class WitnessSignature:
    user: User
    clinic_id: int
    signed_at: dt.datetime

    @property
    def label(self) -> str:
        return person_label(self.user)


def person_label(user: User) -> str:
    return f"{user} ({user.credentials})" if user.credentials else str(user)


def sign(request, *, clinic: Clinic, acting_user: User, username: str, password: str) -> WitnessSignature:
    username = (username or "").strip()
    errors = {}
    if not username:
        errors["witness_username"] = "The witness types their own user name."
    if not password:
        errors["witness_password"] = "The witness types their own password."
    if errors:
        raise ValidationError(errors)
    if username.casefold() == acting_user.username.casefold():
        raise ValidationError({"witness_username": "The witness must be a second person, not you."})
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise ValidationError({"witness_password": "That user name and password do not match an account. Nothing was saved."})
    signature = WitnessSignature(user=user, clinic_id=clinic.pk, signed_at=timezone.now())
    check_witness(signature, clinic=clinic, acting_user=acting_user)
    return signature


def check_witness(signature: WitnessSignature | None, *, clinic: Clinic, acting_user: User) -> User:
    """The witness's user, or a ValidationError keyed ``witness_username``. Call inside the service's transaction."""
    if signature is None:
        raise ValidationError({"witness_username": "A second licensed person must witness and sign with their own password."})
    user = signature.user
    if user.pk == acting_user.pk:
        raise ValidationError({"witness_username": "The witness must be a second person, not you."})
    if signature.clinic_id != clinic.pk or timezone.now() - signature.signed_at > SIGNATURE_MAX_AGE:
        raise ValidationError({"witness_username": "The witness's signature has expired; ask them to sign again."})
    licensed = Membership.objects.filter(user_id=user.pk, user__is_active=True, clinic=clinic, role__in=LICENSED_WITNESS_ROLES)
    if not licensed.exists():
        raise ValidationError({"witness_username": f"The witness must be a physician, RN or CRNA at {clinic.name}."})
    return user
