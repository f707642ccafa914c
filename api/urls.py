from django.urls import path
from rest_framework.routers import SimpleRouter

from api import pages, views

app_name = "api"

router = SimpleRouter()
router.register("cities", views.CityViewSet, basename="city")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register(
    rf"programmes/(?P<programme_pk>{views.ID})/documents", views.DocumentViewSet, basename="programme-document"
)
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("reviews", views.ReviewViewSet, basename="review")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("minutes", views.MinutesViewSet, basename="minutes")
router.register("instruments", views.InstrumentViewSet, basename="instrument")

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
    path("tokens/", pages.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    *router.urls,
]
