from django.urls import include, path

from ketaclinic.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("ketaclinic.core.urls")),
    path("accounts/", include("ketaclinic.accounts.urls")),
    path("patients/", include("ketaclinic.patients.urls")),
    path("portal/", include("ketaclinic.portal.urls")),
    path("outcomes/", include("ketaclinic.outcomes.urls")),
    path("intake/", include("ketaclinic.intake.urls")),
    path("plans/", include("ketaclinic.plans.urls")),
    path("visits/", include("ketaclinic.visits.urls")),
    path("ledger/", include("ketaclinic.ledger.urls")),
    path("billing/", include("ketaclinic.billing.urls")),
    path("guide/", include("ketaclinic.public.urls")),
    path("api/v1/", api.urls),
]
