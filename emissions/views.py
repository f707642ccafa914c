"""The programme management's page of the emission statistics: import a file, see the imports and
which years have figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cities.models import City
from emissions.forms import ImportForm
from emissions.importer import ImportRefused
from emissions.models import Emission, EmissionImport
from emissions.storage import import_statistics, summary
from lib.uploads import display_name, uploaded_files

IMPORTS_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def imports(request):
    if not request.user.has_perm("emissions.import_emissions"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, uploaded_files(request) or None)
    reading = checked = None
    if request.method == "POST" and form.is_valid():
        file, dry_run = form.cleaned_data["file"], form.cleaned_data["dry_run"]
        try:
            reading, record = import_statistics(
                file, display_name(file.name), by=request.user, dry_run=dry_run, kind=form.kind
            )
        except ImportRefused as refused:
            reading = refused.reading
        else:
            if record is not None:
                messages.success(request, " ".join(summary(reading, stored=True)))
                return redirect("emissions:imports")
            checked = summary(reading, stored=False)
    records = EmissionImport.objects.select_related("imported_by")
    page = Paginator(records, IMPORTS_PER_PAGE).get_page(request.GET.get("page"))
    years = Emission.objects.values("year").annotate(cities=Count("city", distinct=True)).order_by("-year")
    return render(
        request,
        "emissions/imports.html",
        {
            "form": form,
            "reading": reading if reading is not None and not reading.ok else None,
            "checked": checked,
            "page": page,
            "imports": page.object_list,
            "years": years,
            "city_count": City.objects.count(),
        },
    )
