from django.urls import path

from ketaclinic.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.PortalSignInView.as_view(), name="sign_in"),
    path("contact/", views.edit_contact, name="edit_contact"),
]
