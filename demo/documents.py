"""The demo's programme documents: a small PDF per version, listing the programme's measures, stored
through the same upload service and content check as a city's own upload."""

import functools
from html import escape

from django.core.files.base import ContentFile

from actionplans import services
from demo.clock import at
from lib.files import inspect_upload


def upload(programme, *, by, moment, note="", title=""):
    """Upload a new version of `programme` as `by` at `moment`; the document lists the measures the
    programme has at that point. Returns the draft."""
    measures = tuple(
        programme.measures.order_by("theme_area__order", "title").values_list("theme_area__name_nb", "title")
    )
    title = title or f"Handlingsprogram for {programme.city.name}"
    pdf = _pdf(title, programme.round.name, note, measures)
    file = ContentFile(pdf, name=f"{title}.pdf")
    with at(moment):
        return services.upload_draft(
            programme, file=file, inspected=inspect_upload(file, max_size=10**7), note=note, by=by
        )


@functools.cache
def _pdf(title, round_name, note, measures):
    """Rendered once per content in a process: the demo is loaded again and again in the tests."""
    import weasyprint

    rows, theme = [], None
    for measure_theme, measure in measures:
        if measure_theme != theme:
            rows.append(f"<h3>{escape(measure_theme)}</h3>")
            theme = measure_theme
        rows.append(f"<p>– {escape(measure)}</p>")
    html = (
        f"<h1>{escape(title)}</h1><h2>{escape(round_name)}</h2>"
        f"<p>{escape(note)}</p>{''.join(rows) or '<p>Tiltakene beskrives i neste versjon.</p>'}"
        "<p><small>Demodokument for Framtidens byer.</small></p>"
    )
    return weasyprint.HTML(string=html).write_pdf()
