from django.urls import path

from emissions import views

app_name = "emissions"

urlpatterns = [
    path("", views.imports, name="imports"),
]
