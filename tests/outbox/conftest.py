"""Mails to queue, and the mail server of tests/mailserver.py."""

from outbox.models import OutgoingMail


def make_mail(address, key=None, **fields):
    values = {
        "language": "en",
        "subject": f"To {address}",
        "text": "Hello",
        "html": "<p>Hello</p>",
        "kind": "test",
        **fields,
    }
    return OutgoingMail.objects.create(address=address, key=key or f"test:{address}", **values)
