"""Rendering HTML to PDF with WeasyPrint, fetching nothing but our own static files.

WeasyPrint's default fetcher opens any URL it meets, `file:` included: an
`<a rel="attachment" href="file:///etc/passwd">` that reached the HTML would
embed that file in the PDF. So every PDF of the portal is rendered here, with
a fetcher that answers only `/static/…` paths, from the static files finders
(or the collected files), and refuses everything else.

It lives in `actionplans`, the app the others that print (portal, meetings)
may already import. WeasyPrint is imported only when a PDF is made: it is
slow to import and loads Pango.
"""

import functools
import mimetypes
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils.safestring import mark_safe

# The origin relative URLs in our templates resolve against. It is never
# contacted: the fetcher reads the files from disk, and ".invalid" resolves nowhere.
BASE_URL = "https://portal.invalid/"
# Where the stylesheet's page counters go in "Page X of Y" (constant markup, no user text).
PAGE = mark_safe('<span class="page"></span>')  # noqa: S308 -- constant markup
PAGES = mark_safe('<span class="pages"></span>')  # noqa: S308 -- constant markup


class RefusedURL(ValueError):
    """A URL the PDF renderer may not fetch."""


def static_file(url, *, locations=None):
    """The bytes and content type of the static file that `url` names.

    Only URLs under STATIC_URL (resolved against BASE_URL) are answered; a
    path that climbs out of the static folders, or any other URL, raises
    RefusedURL. The file is looked for by the static files finders, then in
    the collected files; or, in a process without Django (`lib.pdfworker`),
    in `locations` (`static_locations()` of the process that started it).
    """
    static_url = locations["url"] if locations else settings.STATIC_URL
    prefix = urljoin(BASE_URL, static_url)
    if not url.startswith(prefix):
        raise RefusedURL(f"Not one of our static files: {url[:200]}")
    relative = unquote(urlsplit(url[len(prefix) :]).path)
    segments = relative.split("/")
    if not relative or "\\" in relative or "\x00" in relative or any(s in ("", ".", "..") for s in segments):
        raise RefusedURL(f"Not a plain static path: {url[:200]}")
    if locations:
        found = _find_in(locations["roots"], relative)
        if not found:
            raise RefusedURL(f"No such static file: {relative[:200]}")
        with open(found, "rb") as file:
            body = file.read()
        return body, mimetypes.guess_type(relative)[0] or "application/octet-stream"
    found = finders.find(relative)
    if found:
        with open(found, "rb") as file:
            body = file.read()
    elif staticfiles_storage.exists(relative):
        # Collected (and hashed) names in production; the storage joins the path safely.
        with staticfiles_storage.open(relative) as file:
            body = file.read()
    else:
        raise RefusedURL(f"No such static file: {relative[:200]}")
    return body, mimetypes.guess_type(relative)[0] or "application/octet-stream"


def static_locations():
    """Where the static files are, as plain folders: {"url": STATIC_URL, "roots": [(prefix, folder)]}, from
    the finders and the collected files; None when one of them is not a folder on this disk."""
    roots = []
    for finder in finders.get_finders():
        if hasattr(finder, "locations"):  # FileSystemFinder: STATICFILES_DIRS, some under a prefix
            roots += [(prefix, str(root)) for prefix, root in finder.locations]
        elif hasattr(finder, "storages"):  # AppDirectoriesFinder: each app's static folder
            roots += [("", storage.location) for storage in finder.storages.values()]
        else:
            return None
    location = getattr(staticfiles_storage, "location", None)
    if settings.STATIC_ROOT:
        if not location:
            return None
        roots.append(("", str(location)))
    return {"url": settings.STATIC_URL, "roots": roots}


def _find_in(roots, relative):
    import os

    for prefix, root in roots:
        path = relative
        if prefix:
            if not relative.startswith(prefix + "/"):
                continue
            path = relative[len(prefix) + 1 :]
        candidate = os.path.join(root, *path.split("/"))
        if os.path.isfile(candidate):
            return candidate
    return None


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        locations = None

        def fetch(self, url, headers=None):
            body, content_type = static_file(url, locations=self.locations)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return StaticFilesOnly


def static_only_fetcher(locations=None):
    """A WeasyPrint URL fetcher that refuses everything but our static files (found in `locations`
    if given: see `static_file`)."""
    fetcher = _fetcher_class()()
    fetcher.locations = locations
    return fetcher


def render_pdf(html, *, base_url=BASE_URL, tagged=True, locations=None):
    """The PDF (bytes) of `html`, rendered with the static-files-only fetcher.

    The PDF is tagged (headings, tables, lists), so that screen readers can
    follow it: about a third slower and larger, well within the targets.
    `tagged=False` is for the parts of a very long document rendered one after
    another in one process: WeasyPrint 70's tagged rendering keeps about 30 MB
    (outside Python's heap) after each 15-page part, so that 20 parts would
    hold 800 MB; untagged, the process stays flat.
    """
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=static_only_fetcher(locations))
    return document.write_pdf(pdf_tags=tagged)


def render_pdfs(htmls, *, processes=1, tagged=True, timeout=None):
    """The PDFs (bytes) of `htmls`, in their order, up to `processes` at a time.

    Each is rendered by a Python process of its own (`lib.pdfworker`, without Django: the static
    folders are handed to it, and it costs 70 MB less): WeasyPrint holds the GIL while it lays
    out, so threads would take turns, and a fresh process gives back all the memory of a long
    document when it ends. Static files that are not in folders on this disk: rendered here. A pool of processes cannot be used, since a Celery
    worker's children may not have children of their own; threads that each wait on one
    subprocess can. With `processes` 1 they are rendered here, one by one."""
    htmls = list(htmls)
    locations = static_locations() if processes > 1 else None
    if locations is None:
        return [render_pdf(html, tagged=tagged) for html in htmls]
    from concurrent.futures import ThreadPoolExecutor

    def render(html):
        return _render_in_a_process(html, tagged=tagged, timeout=timeout, locations=locations)

    with ThreadPoolExecutor(max_workers=processes) as pool:
        return list(pool.map(render, htmls))


def _render_in_a_process(html, *, tagged, timeout, locations):
    import json
    import subprocess
    import sys

    command = [sys.executable, "-m", "lib.pdfworker"] + ([] if tagged else ["--untagged"])
    done = subprocess.run(  # noqa: S603 -- our own interpreter and module, no user input in the command
        command,
        # The static folders first, on a line of their own, then the HTML.
        input=json.dumps(locations).encode() + b"\n" + html.encode(),
        capture_output=True,
        cwd=settings.BASE_DIR,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"The PDF process failed ({done.returncode}): {done.stderr.decode(errors='replace')[-2000:]}"
        )
    return done.stdout
