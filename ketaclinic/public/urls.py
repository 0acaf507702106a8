from django.urls import path

from ketaclinic.public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.language, name="language"),
    path("clinics/", views.directory, name="directory"),
    path("clinics/compare/", views.compare, name="compare"),
    path("clinics/<int:clinic_id>/", views.clinic_detail, name="clinic"),
    path("review/", views.write_review, name="write_review"),
    path("review/<int:review_id>/withdraw/", views.withdraw_review, name="withdraw_review"),
    path("staff/reviews/", views.moderation_queue, name="moderation_queue"),
    path("staff/reviews/<int:review_id>/", views.moderate_review, name="moderate"),
    path("staff/listing/", views.listing_edit, name="listing_edit"),
    path("<slug:slug>/", views.topic, name="topic"),
]
