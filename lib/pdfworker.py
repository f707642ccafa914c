"""One PDF from standard input to standard output, in a process of its own (`lib.pdf.render_pdfs`):
`python -m lib.pdfworker [--untagged]`. Its input is a line of JSON, the static folders the fetcher may
read (`lib.pdf.static_locations`), then the HTML. Django is not set up: the process needs only
WeasyPrint and the folders, and is 70 MB smaller without the rest."""

import json
import sys


def main(argv):
    from lib.pdf import render_pdf

    locations = json.loads(sys.stdin.buffer.readline())
    html = sys.stdin.buffer.read().decode()
    sys.stdout.buffer.write(render_pdf(html, tagged="--untagged" not in argv, locations=locations))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
