"""One PDF from the HTML on standard input to standard output, in a process of its own
(`lib.pdf.render_pdfs`): `python -m lib.pdfworker [--untagged]`, with the Django settings of
the process that started it (DJANGO_SETTINGS_MODULE), for the static files the fetcher reads."""

import os
import sys


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from lib.pdf import render_pdf

    html = sys.stdin.buffer.read().decode()
    sys.stdout.buffer.write(render_pdf(html, tagged="--untagged" not in argv))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
