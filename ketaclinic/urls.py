from django.urls import include, path

from ketaclinic.api.api import api

urlpatterns = [
    path("", include("ketaclinic.core.urls")),
    path("accounts/", include("ketaclinic.accounts.urls")),
    path("patients/", include("ketaclinic.patients.urls")),
    path("portal/", include("ketaclinic.portal.urls")),
    path("api/v1/", api.urls),
]
