from django.urls import path, re_path

from opendata import views

app_name = "opendata"

# The management's pages come first: a round's slug could be "publication".
urlpatterns = [
    path("publication/<int:pk>/", views.publication, name="publication"),
    path("publication/<int:pk>/publish/", views.publish, name="publish"),
    path("publication/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("", views.index, name="index"),
    path("catalog.jsonld", views.catalog_jsonld, name="catalog_jsonld"),
    path("catalog.ttl", views.catalog_turtle, name="catalog_turtle"),
    path("<slug:round_slug>/", views.round_page, name="round"),
    re_path(
        r"^(?P<round_slug>[-a-zA-Z0-9_]+)/(?P<table>programmes|measures|agreements)\.(?P<fmt>csv|json)$",
        views.download,
        name="download",
    ),
    path("<slug:round_slug>/<slug:city_slug>/", views.city_page, name="city"),
    path("<slug:round_slug>/<slug:city_slug>/document/", views.document, name="document"),
]
