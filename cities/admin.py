from django.contrib import admin

from cities.models import City, County, Membership, Network, Organisation, ThemeArea


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "number"]
    search_fields = ["name"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality_number", "county", "population"]
    list_filter = ["county"]
    search_fields = ["name", "municipality_number"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["county"]


@admin.register(ThemeArea)
class ThemeAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nb", "name_en", "order"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "theme_area"]
    list_select_related = ["theme_area"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "county"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "city", "theme_area", "organisation"]
    list_filter = ["role", "theme_area", "city"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user", "city", "theme_area", "organisation"]
    autocomplete_fields = ["user"]
