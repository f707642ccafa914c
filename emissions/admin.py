from django.contrib import admin

from emissions.models import Emission, EmissionImport, MunicipalityNumber


@admin.register(MunicipalityNumber)
class MunicipalityNumberAdmin(admin.ModelAdmin):
    list_display = ["number", "city", "first_year", "last_year"]
    list_filter = ["city"]
    list_select_related = ["city"]
    search_fields = ["number", "city__name"]


@admin.register(Emission)
class EmissionAdmin(admin.ModelAdmin):
    list_display = ["city", "year", "sector", "tonnes", "source"]
    list_filter = ["sector", "year", "city"]
    list_select_related = ["city", "source"]
    search_fields = ["city__name"]
    raw_id_fields = ["source"]


@admin.register(EmissionImport)
class EmissionImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "imported_at", "imported_by", "years", "rows_read", "figures_stored", "rows_skipped"]
    list_select_related = ["imported_by"]
    date_hierarchy = "imported_at"
    # What an import did is its record: it is made by the import, never by hand.
    readonly_fields = [f.name for f in EmissionImport._meta.fields]

    def has_add_permission(self, request):
        return False
