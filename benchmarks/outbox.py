"""The outbox against Django's own: 10,000 reminder mails through a local SMTP sink, and the sweep
when nothing is due at 10,000 cities.

`measure_outbox()` queues 10,000 rendered reminder mails (as the sweep leaves them) in the database
it is given, starts an SMTP server on loopback (aiosmtpd) that accepts everything, and times, in the
same run, Django's `send_messages` of the same 10,000 messages over one connection (what
`send_mass_mail` does) and the outbox's `drain()` (claim in batches, one connection a batch, record
each outcome). The target: the outbox sends at no less than half Django's rate.

`measure_idle_sweep()` times what beat runs every 15 minutes (the reminder, meetings and outbox
sweeps) when nothing is due; the target is under a second at 10,000 cities.
The targets are in benchmarks/run.py, which prints these figures beside the others.
"""

import socket
import statistics
import time

MAILS = 10_000


class _Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += len(envelope.rcpt_tos)
        return "250 OK"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _smtp_settings(port):
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def measure_outbox(mails=MAILS):
    """{'django_seconds', 'outbox_seconds', 'sent'} for `mails` mails through a loopback SMTP sink."""
    from aiosmtpd.controller import Controller
    from django.core.mail import get_connection

    from lib.mail import render_mail
    from outbox import sender
    from outbox.models import OutgoingMail

    subject, text, html = render_mail(
        "reminder_summary",
        {"late_cities": ["By 0001"], "url": "https://portal.example/", "days_late": 7},
        language="nb",
    )
    rows = [
        OutgoingMail(
            address=f"kontakt-{n:05d}@example.org",
            language="nb",
            subject=subject,
            text=text,
            html=html,
            kind="reminder",
            key=f"bench:reminder:{n}",
        )
        for n in range(mails)
    ]
    OutgoingMail.objects.bulk_create(rows, batch_size=2000)
    sink = _Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        _smtp_settings(controller.port)
        messages = [sender.message_for(row) for row in OutgoingMail.objects.filter(kind="reminder").iterator()]
        start = time.perf_counter()
        with get_connection() as connection:
            connection.send_messages(messages)
        django_seconds = time.perf_counter() - start
        start = time.perf_counter()
        sent = sender.drain()
        outbox_seconds = time.perf_counter() - start
    finally:
        controller.stop()
    return {"django_seconds": django_seconds, "outbox_seconds": outbox_seconds, "sent": sent, "received": sink.count}


def measure_idle_sweep(runs=3):
    """Median seconds of beat's three sweeps when nothing is due."""
    from actionplans import tasks as actionplan_tasks
    from meetings import tasks as meeting_tasks
    from outbox import tasks as outbox_tasks

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        actionplan_tasks.sweep_reminders()
        meeting_tasks.sweep()
        outbox_tasks.sweep()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
