"""Reviews that follow the versions: a programme reopened and submitted again outdates the
reviews completed on the earlier version (kept, flagged, shown with what changed), and the
reviewers hear that it is a new version."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from actionplans import services
from actionplans.models import ActionProgramme, Review
from tests import factories
from tests.conftest import upload
from tests.files import make_docx, make_pdf
from tests.outbox.helpers import delivering

RS = Review.Status


@pytest.fixture
def reviewed(bergen_programme, contact_bergen, coordinator, atp, energy):
    """Bergen's programme submitted with two measures in land use and transport, that review
    completed on version 1 with a comment, and the energy review with comments sent."""
    programme = bergen_programme
    keep = factories.MeasureFactory(programme=programme, theme_area=atp, title="Bybane", expected_effect=Decimal("-5"))
    factories.MeasureFactory(programme=programme, theme_area=atp, title="Innfartsparkering")
    upload(programme, contact_bergen, content=make_pdf("Bybane til Fyllingsdalen i 2010"))
    with delivering():
        programme = services.submit_programme(programme, by=contact_bergen)
    review = services.review_for(programme, atp)
    services.add_comment(review, measure=keep, text="Hva koster den?", by=coordinator)
    services.update_review(review, assessment="Godt gjennomarbeidet", status=RS.COMPLETED, by=coordinator)
    energy_review = services.review_for(programme, energy)
    services.update_review(energy_review, assessment="", status=RS.COMMENTS_SENT, by=coordinator)
    review.refresh_from_db()
    return {"programme": programme, "review": review, "energy": energy_review, "kept": keep}


def resubmit(programme, manager, contact):
    """Give the programme back, change its measures and submit version 2."""
    services.reopen_programme(programme, by=manager, comment="Kostnader mangler")
    programme = ActionProgramme.objects.get(pk=programme.pk)
    kept = programme.measures.get(title="Bybane")
    kept.expected_effect = Decimal("-7.5")
    kept.cost_estimate = 2_000_000
    kept.save()
    programme.measures.get(title="Innfartsparkering").delete()
    factories.MeasureFactory(programme=programme, theme_area=kept.theme_area, title="Sykkelparkering")
    upload(programme, contact, content=make_pdf("Bybane til Fyllingsdalen i 2012"))
    with delivering():
        return services.submit_programme(programme, by=contact)


def test_a_new_version_outdates_the_completed_review_and_keeps_it(reviewed, manager, contact_bergen, atp):
    review = reviewed["review"]
    assert review.reviewed_draft.number == 1

    programme = resubmit(reviewed["programme"], manager, contact_bergen)

    review.refresh_from_db()
    assert (review.status, review.assessment, review.reviewed_draft.number) == (
        RS.OUTDATED,
        "Godt gjennomarbeidet",
        1,
    )
    assert review.comments.get().text == "Hva koster den?"
    with translation.override("en"):
        assert review.status_changes.last().get_to_status_display() == "New version since the review"
    # A review that was not completed is still going on: it is not outdated.
    reviewed["energy"].refresh_from_db()
    assert reviewed["energy"].status == RS.COMMENTS_SENT
    assert programme.submitted_draft.number == 2


def test_the_reviewers_hear_it_is_a_new_version(reviewed, manager, contact_bergen, coordinator):
    mail.outbox.clear()

    resubmit(reviewed["programme"], manager, contact_bergen)

    (message,) = [m for m in mail.outbox if m.to == [coordinator.email] and "har sendt inn" in m.subject]
    assert "har sendt inn en ny versjon av handlingsprogrammet" in message.subject
    assert "Gjennomganger som ble fullført på den forrige versjonen" in message.body


def test_the_first_submission_is_not_called_a_new_version(bergen_programme, contact_bergen, coordinator):
    upload(bergen_programme, contact_bergen)
    with delivering():
        services.submit_programme(bergen_programme, by=contact_bergen)

    (message,) = [m for m in mail.outbox if m.to == [coordinator.email] and "har sendt inn" in m.subject]
    assert "ny versjon" not in message.subject
    assert "forrige versjonen" not in message.body


def test_queue_and_grid_say_there_is_a_new_version(client, reviewed, manager, contact_bergen, coordinator, atp):
    resubmit(reviewed["programme"], manager, contact_bergen)
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"

    queue = client.get(reverse("actionplans:review_queue", args=["atp"])).content.decode()
    grid = client.get(reverse("actionplans:review_grid")).content.decode()
    outdated = client.get(reverse("actionplans:review_queue", args=["atp"]), {"status": "outdated"})

    assert "New version since the review" in queue
    assert "New version since the review" in grid
    assert [p.city.name for p in outdated.context["programmes"]] == ["Bergen"]


def test_the_review_page_shows_what_changed_since_the_reviewed_version(
    client, reviewed, manager, contact_bergen, coordinator, atp
):
    programme = resubmit(reviewed["programme"], manager, contact_bergen)
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("actionplans:review_detail", args=[programme.pk, atp.code]))

    changes = response.context["changes"]
    assert [m.title for m in changes.added] == ["Sykkelparkering"]
    assert [m.title for m in changes.removed] == ["Innfartsparkering"]
    ((measure, diff),) = changes.changed
    assert measure.title == "Bybane"
    assert [(c.before, c.after) for c in diff] == [("-5.0", "-7.5"), ("1,000,000", "2,000,000")]
    assert diff[0].field == "expected effect (t CO₂e per year)"
    html = response.content.decode()
    assert "what changed from version 1 to version 2" in html
    assert "<del>-5.0</del>" in html and "<ins>-7.5</ins>" in html
    # The documents' text, read at upload, compared line by line.
    assert response.context["text_changes"]["lines"] == [
        "@@ -1 +1 @@",
        "-Bybane til Fyllingsdalen i 2010",
        "+Bybane til Fyllingsdalen i 2012",
    ]
    assert '<span class="added">+Bybane til Fyllingsdalen i 2012</span>' in html


def test_taking_the_review_up_again_and_completing_it_follows_the_new_version(
    client, reviewed, manager, contact_bergen, coordinator, atp
):
    programme = resubmit(reviewed["programme"], manager, contact_bergen)
    review = reviewed["review"]

    services.add_comment(review, measure=None, text="Takk for oppdateringen", by=coordinator)
    review.refresh_from_db()
    assert review.status == RS.IN_PROGRESS
    services.update_review(review, assessment="Oppdatert", status=RS.COMPLETED, by=coordinator)

    review.refresh_from_db()
    assert (review.status, review.reviewed_draft_id) == (RS.COMPLETED, programme.submitted_draft_id)
    client.force_login(coordinator)
    response = client.get(reverse("actionplans:review_detail", args=[programme.pk, atp.code]))
    assert response.context["changes"] is None


def test_the_city_still_reads_the_comments_of_an_outdated_review(
    client, reviewed, manager, contact_bergen, coordinator
):
    programme = resubmit(reviewed["programme"], manager, contact_bergen)
    client.force_login(contact_bergen)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("actionplans:programme_detail", args=[programme.pk])).content.decode()

    assert "Hva koster den?" in html
    assert "New version since the review" in html


def test_a_reviewer_cannot_mark_a_review_outdated_by_hand(client, reviewed, coordinator, atp):
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    save = reverse("actionplans:review_save", args=[reviewed["programme"].pk, atp.code])

    response = client.post(save, {"assessment": "x", "status": RS.OUTDATED}, follow=True)

    assert "only when the city submits a new version" in response.content.decode()
    reviewed["review"].refresh_from_db()
    assert reviewed["review"].status == RS.COMPLETED


# Completing with comments still open


@pytest.fixture
def open_comment(bergen_submitted, coordinator, atp):
    review = services.review_for(bergen_submitted, atp)
    services.add_comment(review, measure=None, text="Mangler kostnader", by=coordinator)
    return review


def test_completing_with_unresolved_comments_asks_first_and_saves_nothing(client, open_comment, coordinator, atp):
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    save = reverse("actionplans:review_save", args=[open_comment.programme_id, atp.code])

    response = client.post(save, {"assessment": "Ferdig\nmed to linjer", "status": RS.COMPLETED})

    assert response.status_code == 200
    html = response.content.decode()
    assert "has 1 comment that is not resolved" in html
    assert 'name="confirm" value="yes"' in html
    assert "Ferdig\nmed to linjer" in html
    open_comment.refresh_from_db()
    assert (open_comment.status, open_comment.assessment) == (RS.IN_PROGRESS, "")

    client.post(save, {"assessment": "Ferdig\nmed to linjer", "status": RS.COMPLETED, "confirm": "yes"})

    open_comment.refresh_from_db()
    assert (open_comment.status, open_comment.assessment) == (RS.COMPLETED, "Ferdig\nmed to linjer")


def test_completing_with_every_comment_resolved_asks_nothing(client, open_comment, coordinator, atp):
    services.resolve_comment(open_comment.comments.get(), by=coordinator, version=None)
    client.force_login(coordinator)
    save = reverse("actionplans:review_save", args=[open_comment.programme_id, atp.code])

    response = client.post(save, {"assessment": "", "status": RS.COMPLETED})

    assert response.status_code == 302
    open_comment.refresh_from_db()
    assert open_comment.status == RS.COMPLETED


def test_a_docx_version_is_read_in_the_browser_as_html(client, bergen_programme, contact_bergen, coordinator, atp):
    with delivering():  # the commit, after which the text is read
        draft = upload(bergen_programme, contact_bergen, content=make_docx("Parkeringsnorm for Bergen"), name="hp.docx")
    services.submit_programme(bergen_programme, by=contact_bergen)
    draft.refresh_from_db()
    assert (draft.text, draft.html, draft.read_at is not None) == (
        "Parkeringsnorm for Bergen",
        "<p>Parkeringsnorm for Bergen</p>",
        True,
    )
    client.force_login(coordinator)

    html = client.get(reverse("actionplans:review_detail", args=[bergen_programme.pk, atp.code])).content.decode()

    assert "<p>Parkeringsnorm for Bergen</p>" in html
    assert 'class="document-html' in html


def test_a_version_whose_reading_was_lost_is_read_by_the_sweep(bergen_programme, contact_bergen):
    from actionplans import documents
    from actionplans.models import Draft

    draft = upload(bergen_programme, contact_bergen, content=make_pdf("Mål for 2020"))
    Draft.objects.filter(pk=draft.pk).update(text="", read_at=None)

    documents.read_unread()

    draft.refresh_from_db()
    assert (draft.text, draft.html) == ("Mål for 2020", "")


def test_a_comment_is_written_from_the_measure_it_is_about(client, reviewed, coordinator, atp):
    programme, measure = reviewed["programme"], reviewed["kept"]
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    url = reverse("actionplans:review_detail", args=[programme.pk, atp.code])

    html = client.get(url).content.decode()
    form = html[html.index(f'id="measure-{measure.pk}"') :]
    form = form[form.index("Comment on this measure") :]
    assert f'<input type="hidden" name="measure" value="{measure.pk}">' in form[: form.index("</form>")]

    response = client.post(
        reverse("actionplans:comment_add", args=[programme.pk, atp.code]),
        {"measure": measure.pk, "text": "Og driften?"},
    )

    assert response["Location"] == f"{url}#measure-{measure.pk}"
    assert measure.review_comments.filter(text="Og driften?").exists()
