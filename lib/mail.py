"""E-mail to the people of the programme, in each person's own language.

Every mail is a template triplet under templates/emails/: <name>_subject.txt,
<name>.txt and <name>.html, rendered by this one helper; the outbox app queues
and sends what it renders.
"""

from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def render_mail(name, context, *, language):
    """Subject, text and HTML of mail `name` in `language`."""
    text_engine = engines["text"]
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL, "LANGUAGE_CODE": language}
        subject = " ".join(text_engine.get_template(f"emails/{name}_subject.txt").render(context).split())
        text = text_engine.get_template(f"emails/{name}.txt").render(context)
        html = render_to_string(f"emails/{name}.html", context)
    return subject, text, html
