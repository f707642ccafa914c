"""The overview's address, included by `state.urls` into its namespace (`state:overview`)."""

from django.urls import path

from state import overview_views

urlpatterns = [
    path("overview/", overview_views.overview, name="overview"),
]
