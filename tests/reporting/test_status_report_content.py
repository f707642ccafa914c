"""What the status report says: its cover names the report and when it was made once, its
footnotes only when a mark in it refers to them, and it quotes the decisions of the round's
own meetings (held while it was the current round, or changing its deadline), not older ones."""

import datetime

import pytest
from django.urls import reverse

from actionplans.models import OSLO, DeadlineExtension, ExtensionRequest
from meetings.models import Decision, Invitation, Minutes
from meetings.services import create_meeting
from reporting import reports
from tests import factories
from tests import pdf as read_pdf

STAR = "* The city's own deadline, after an extension was granted."
DAGGER = "† The city has asked for more time; not decided yet."


def html(user, round_):
    return reports.status_report_html(user, round_, language="en")


def cities_table(page):
    return page[page.index('id="cities"') : page.index('id="reviews"')]


def meeting_with_minutes(by, title, when, *decisions, status=Minutes.Status.PUBLISHED):
    """A held meeting starting `when` with minutes of `status` recording `decisions` (texts or (text, extension))."""
    meeting = create_meeting(by=by, kind="coordination_group", title=title, starts_at=when, ends_at=when, status="held")
    minutes = Minutes.objects.create(meeting=meeting, status=status, main_points="–", published_at=when)
    for order, decision in enumerate(decisions, start=1):
        text, extension = decision if isinstance(decision, tuple) else (decision, None)
        Decision.objects.create(minutes=minutes, order=order, text=text, deadline_extension=extension)
    return minutes


def at(year, month, day):
    return datetime.datetime(year, month, day, 10, tzinfo=OSLO)


# The cover


def test_the_cover_names_the_report_and_when_it_was_made_once(client, manager, round_, oslo_programme):
    client.cookies["django_language"] = "en"
    client.force_login(manager)
    response = client.get(reverse("status_report"))
    pages = [page.extract_text() for page in read_pdf.reader(b"".join(response.streaming_content)).pages]

    cover = pages[0]
    assert cover.count("Status report") == 1
    assert cover.count("Handlingsprogram 2030") == 1
    assert cover.count("Generated") == 1
    assert "Date:" not in cover
    assert "Deadline: 15/01/2030" in cover
    # Each following page: the report in its header once, when it was made in its footer once.
    for page in pages[1:]:
        assert page.count("Status report – Handlingsprogram 2030") == 1
        assert page.count("Generated") == 1


# Footnotes


def test_no_footnotes_when_no_city_has_a_mark(manager, round_, oslo_programme, bergen_programme):
    page = html(manager, round_)

    assert STAR not in page
    assert DAGGER not in page
    assert "†" not in cities_table(page)
    assert "Effect: the measures of submitted programmes." in page


def test_the_dagger_and_its_footnote_for_an_extension_not_decided(
    manager, round_, oslo_programme, bergen_programme, contact_oslo
):
    ExtensionRequest.objects.create(
        programme=oslo_programme, requested_date=datetime.date(2030, 2, 1), reason="Valg", requested_by=contact_oslo
    )

    page = html(manager, round_)

    assert "15/01/2030†" in cities_table(page)
    assert DAGGER in page
    assert STAR not in page


def test_the_star_and_its_footnote_for_a_citys_own_deadline(manager, round_, oslo_programme, bergen_programme):
    oslo_programme.extended_due_date = datetime.date(2030, 2, 1)
    oslo_programme.save(update_fields=["extended_due_date"])

    page = html(manager, round_)

    assert "01/02/2030*" in cities_table(page)
    assert STAR in page
    assert DAGGER not in page


# The decisions of the round's meetings


@pytest.fixture
def rounds(round_):
    """The round due 15.01.2030 (`round_`) after one due 15.01.2009 and before one due 15.01.2031."""
    old = factories.RoundFactory(name="Handlingsprogram 2009", slug="handlingsprogram-2009", deadline=None)
    factories.DeadlineFactory(round=old, due_date=datetime.date(2009, 1, 15))
    new = factories.RoundFactory(name="Handlingsprogram 2031", slug="handlingsprogram-2031", deadline=None)
    factories.DeadlineFactory(round=new, due_date=datetime.date(2031, 1, 15))
    return {"old": old, "this": round_, "new": new}


def test_round_period_runs_from_the_previous_deadline_to_its_own(rounds):
    day_after = datetime.timedelta(days=1)

    old, this, new = (reports.round_period(rounds[name]) for name in ("old", "this", "new"))

    assert old == (None, datetime.datetime.combine(datetime.date(2009, 1, 15) + day_after, datetime.time(), OSLO))
    assert this == (old[1], datetime.datetime.combine(datetime.date(2030, 1, 15) + day_after, datetime.time(), OSLO))
    assert new == (this[1], None)  # the last round stays current after its deadline
    assert reports.round_period(factories.RoundFactory(slug="uten-frist", deadline=None)) is None


def test_the_report_quotes_the_decisions_of_the_rounds_meetings_not_older_ones(manager, rounds):
    meeting_with_minutes(manager, "Koordineringsgruppen 2008", at(2008, 12, 16), "Fristen flyttes til 15.01.2009")
    meeting_with_minutes(manager, "Koordineringsgruppen mars 2009", at(2009, 3, 9), "Ny runde forberedes")
    meeting_with_minutes(manager, "Koordineringsgruppen 2029", at(2029, 11, 1), "Tidlig innsending oppfordres")
    meeting_with_minutes(manager, "Utkast 2029", at(2029, 12, 1), "Ikke publisert", status=Minutes.Status.DRAFT)
    meeting_with_minutes(manager, "Koordineringsgruppen 2030", at(2030, 3, 1), "Neste runde")

    this, old, new = (html(manager, rounds[name]) for name in ("this", "old", "new"))

    assert "Tidlig innsending oppfordres" in this
    assert this.index("Tidlig innsending oppfordres") < this.index("Ny runde forberedes")  # newest first
    assert "Fristen flyttes til 15.01.2009" not in this
    assert "Ikke publisert" not in this
    assert "Neste runde" not in this
    assert "Fristen flyttes til 15.01.2009" in old
    assert "Tidlig innsending oppfordres" not in old
    assert "Neste runde" in new
    assert "Tidlig innsending oppfordres" not in new


def test_a_meeting_that_moved_the_rounds_deadline_is_quoted_whenever_it_was(manager, rounds):
    deadline = rounds["this"].deadline
    extension = DeadlineExtension.objects.create(
        deadline=deadline, old_date=datetime.date(2029, 12, 31), new_date=deadline.due_date, reason="Valg"
    )
    meeting_with_minutes(manager, "Koordineringsgruppen 2008", at(2008, 12, 16), ("Fristen flyttes", extension))

    page = html(manager, rounds["this"])

    assert "Fristen flyttes" in page
    assert "moved the deadline of Handlingsprogram 2030 from 31/12/2029 to 15/01/2030" in page


def test_no_minutes_of_the_round_says_so(manager, rounds):
    meeting_with_minutes(manager, "Koordineringsgruppen 2008", at(2008, 12, 16), "Fristen flyttes")

    page = html(manager, rounds["this"])

    assert "No minutes of the meetings of Handlingsprogram 2030 have been published yet." in page
    assert "Fristen flyttes" not in page


def test_the_latest_minutes_of_the_round_and_how_many_there_are(manager, rounds):
    for month in range(1, 8):
        meeting_with_minutes(manager, f"Møte {month}", at(2029, month, 2), f"Vedtak i måned {month}")

    page = html(manager, rounds["this"])

    shown = [month for month in range(1, 8) if f"Vedtak i måned {month}" in page]
    assert shown == [3, 4, 5, 6, 7]
    assert "The round has the minutes of 7 meetings; the latest are shown." in page


def test_the_minutes_of_meetings_the_reader_may_not_see_are_left_out(manager, coordinator, rounds):
    """The coordinator is not invited to the meeting (and leads no network): its decisions are not theirs to read."""
    meeting_with_minutes(manager, "Lukket møte", at(2029, 6, 1), "Hemmelig vedtak")
    seen = meeting_with_minutes(manager, "Åpent møte", at(2029, 7, 1), "Kjent vedtak")
    Invitation.objects.create(meeting=seen.meeting, user=coordinator)

    quoted = reports.round_minutes(coordinator, rounds["this"])

    assert [m.meeting.title for m in quoted["shown"]] == ["Åpent møte"]
    assert quoted["count"] == 1
    assert "Hemmelig vedtak" in html(manager, rounds["this"])
