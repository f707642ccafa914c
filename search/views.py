from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from search import queries
from search.forms import SearchForm
from search.models import Kind

PAGE = 50


class _Paginator(Paginator):
    """Counts the matches without ranking them or making their excerpts (the page's slice does that)."""

    def __init__(self, ranked, count):
        super().__init__(ranked, PAGE)
        self._count = count

    @cached_property
    def count(self):
        return self._count


@login_required
@require_safe
def search(request):
    """What the user may read that matches `q`: the best of each kind, or (`kind`) every match of one, by pages."""
    form = SearchForm(request.GET or None)
    context = {"form": form, "search_query": request.GET.get("q", "")}
    if form.is_valid():
        text, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
        context["searched"] = True
        if kind:
            count = queries.count(request.user, text, kind)
            page = _Paginator(queries.ranked(request.user, text, kind), count).get_page(request.GET.get("page"))
            context.update(kind=Kind(kind), page=page, hits=queries.hits(page.object_list), count=count)
        else:
            context["groups"] = queries.search(request.user, text)
    return render(request, "search/search.html", context)
