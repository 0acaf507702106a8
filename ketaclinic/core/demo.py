"""The demo network: two Los Angeles clinics, one login per role, 40 clearly synthetic patients.

Idempotent: every row is found by a natural key before it is made, so a second run changes nothing.
Later features add their own steps to ``STEPS``.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from ketaclinic.accounts.models import Clinic, Membership, Network, User
from ketaclinic.accounts.roles import Role
from ketaclinic.patients import services as patient_services
from ketaclinic.patients.models import Patient
from ketaclinic.portal.models import PortalAccount

DEMO_PASSWORD = "demo-ketaclinic-2026"
DEMO_PATIENTS_PER_CLINIC = 20
# Fixed so the demo is the same on every machine; today's date only moves ages.
SEED = 20261128

CLINICS = [
    dict(
        key="WS", name="Westside Ketamine Clinic", address_line1="11500 W Olympic Blvd, Suite 200", city="Los Angeles",
        postal_code="90064", phone="+1 310 555 0100", npi="1234567893", tax_id="95-1234567", dea_registration="FW1234563",
        rems_certification_number="SPR-DEMO-0001", rems_certified_on=dt.date(2025, 3, 1),
    ),
    dict(
        key="PA", name="Pasadena Ketamine Clinic", address_line1="300 E Colorado Blvd, Suite 410", city="Pasadena",
        postal_code="91101", phone="+1 626 555 0100", npi="1245319599", tax_id="95-7654321", dea_registration="FP7654321",
        rems_certification_number="", rems_certified_on=None,
    ),
]

# username, display name, credentials, role, clinic keys
STAFF = [
    ("dr.reyes", "Dr. Ana Reyes", "MD, psychiatrist", Role.PHYSICIAN, ["WS"]),
    ("dr.chen", "Dr. Michael Chen", "MD, anesthesiologist", Role.PHYSICIAN, ["WS", "PA"]),
    ("nurse.kim", "Jordan Kim", "RN", Role.NURSE_RN, ["WS"]),
    ("crna.okafor", "Chidi Okafor", "CRNA", Role.NURSE_CRNA, ["WS"]),
    ("therapist.lee", "Sam Lee", "LMFT", Role.THERAPIST, ["WS"]),
    ("frontdesk.ortiz", "Maria Ortiz", "", Role.FRONT_DESK, ["WS"]),
    ("billing.nguyen", "Linh Nguyen", "", Role.BILLING, ["WS"]),
    ("admin.westside", "Pat Morgan", "", Role.CLINIC_ADMIN, ["WS"]),
    ("admin.network", "Robin Hayes", "", Role.NETWORK_ADMIN, ["WS"]),
    ("dr.patel", "Dr. Priya Patel", "MD, psychiatrist", Role.PHYSICIAN, ["PA"]),
    ("nurse.garcia", "Elena Garcia", "RN", Role.NURSE_RN, ["PA"]),
]

FIRST_NAMES = [
    ("Avery", "female"), ("Mateo", "male"), ("Sofia", "female"), ("Jamal", "male"), ("Mei", "female"),
    ("Diego", "male"), ("Hannah", "female"), ("Kenji", "male"), ("Lucia", "female"), ("Omar", "male"),
    ("Grace", "female"), ("Tomas", "male"), ("Aisha", "female"), ("Ethan", "male"), ("Camila", "female"),
    ("Noah", "male"), ("Ximena", "female"), ("Wei", "male"), ("Valentina", "female"), ("Riley", "intersex"),
]
LAST_NAMES = [
    "Testwood", "Sampleton", "Demoski", "Placeholder", "Fictivo", "Ejemplo", "Mockley", "Synthetica",
    "Prueba", "Fakenham", "Dummond", "Examplar", "Specimen", "Trialson", "Modelo", "Stubbs",
]
SPANISH_SPEAKERS = {"Mateo", "Sofia", "Diego", "Lucia", "Tomas", "Camila", "Ximena", "Valentina"}
DEMO_PORTAL_USERNAME = "patient.demo"


def _network() -> Network:
    network, _ = Network.objects.get_or_create(name="KetaClinic Demo Network (Los Angeles)")
    return network


def _clinics(network: Network) -> dict[str, Clinic]:
    clinics = {}
    for spec in CLINICS:
        spec = dict(spec)
        key = spec.pop("key")
        clinic, created = Clinic.objects.get_or_create(network=network, name=spec["name"], defaults={**spec, "mrn_prefix": key})
        clinics[key] = clinic
    return clinics


def _staff(clinics: dict[str, Clinic]) -> dict[str, User]:
    users = {}
    for username, display, creds, role, keys in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, email=f"{username}@example.org", password=DEMO_PASSWORD,
                                            display_name=display, credentials=creds)
        for key in keys:
            Membership.objects.get_or_create(user=user, clinic=clinics[key], role=role)
        users[username] = user
    return users


def _patients(clinics: dict[str, Clinic]) -> list[Patient]:
    rng = random.Random(SEED)
    today = dt.date(2026, 11, 28)
    made = []
    for key, clinic in clinics.items():
        for n in range(1, DEMO_PATIENTS_PER_CLINIC + 1):
            first, sex = FIRST_NAMES[(n - 1) % len(FIRST_NAMES)]
            last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
            age = rng.randint(19, 78)
            born = today - dt.timedelta(days=age * 365 + rng.randrange(365))
            weight = Decimal(rng.randint(480, 1150)) / 10
            mrn = f"{key}{n:06d}"
            existing = Patient.objects.filter(clinic=clinic, mrn=mrn).first()
            if existing:
                made.append(existing)
                continue
            data = dict(
                mrn=mrn, legal_first_name=first, legal_last_name=last, date_of_birth=born, sex_at_birth=sex,
                phone=f"+1 213 555 01{n:02d}", email=f"{first.lower()}.{last.lower()}.{key.lower()}@example.com",
                address_line1=f"{100 + n} Demo Street", city=clinic.city, state="CA", postal_code=clinic.postal_code,
                emergency_contact_name=f"{LAST_NAMES[(n + 3) % len(LAST_NAMES)]} Contact", emergency_contact_phone="+1 213 555 0199",
                emergency_contact_relationship=rng.choice(["partner", "parent", "sibling", "friend"]),
                preferred_language="es" if first in SPANISH_SPEAKERS and n % 2 == 0 else "en",
                weight_kg=weight, height_cm=Decimal(rng.randint(152, 193)), measured_on=today - dt.timedelta(days=rng.randint(1, 60)),
                pronouns={"female": "she/her", "male": "he/him"}.get(sex, "they/them") if n % 3 == 0 else "",
            )
            made.append(patient_services.create_patient(clinic=clinic, data=data, acting_user=None))
        Clinic.objects.filter(pk=clinic.pk, mrn_next__lte=DEMO_PATIENTS_PER_CLINIC).update(mrn_next=DEMO_PATIENTS_PER_CLINIC + 1)
    return made


def _portal(patients: list[Patient]) -> None:
    patient = patients[0]
    if PortalAccount.objects.filter(patient=patient).exists():
        return
    user = User.objects.filter(username=DEMO_PORTAL_USERNAME).first() or User.objects.create_user(
        DEMO_PORTAL_USERNAME, email=patient.email, password=DEMO_PASSWORD, display_name=patient.display_name
    )
    PortalAccount.objects.create(user=user, patient=patient)


@transaction.atomic
def seed() -> dict:
    network = _network()
    clinics = _clinics(network)
    users = _staff(clinics)
    patients = _patients(clinics)
    _portal(patients)
    context = {"network": network, "clinics": clinics, "users": users, "patients": patients}
    for step in STEPS:
        step(context)
    return context


# Later features add steps from their AppConfig.ready(): register(step, order=N). A step takes the context
# dict above (and may add to it for later steps); it must be idempotent like everything here.
STEPS: list = []
_ORDERED: list[tuple[int, str, object]] = []


def register(step, *, order: int) -> None:
    name = f"{step.__module__}.{step.__qualname__}"
    if any(n == name for _, n, _ in _ORDERED):
        return
    _ORDERED.append((order, name, step))
    _ORDERED.sort(key=lambda row: (row[0], row[1]))
    STEPS[:] = [s for _, _, s in _ORDERED]


def logins() -> list[tuple[str, str, str]]:
    rows = [(u, role.label, ", ".join(keys)) for u, _, _, role, keys in STAFF]
    rows.append((DEMO_PORTAL_USERNAME, "Patient (portal)", "WS"))
    return rows
