"""Journey 2: a coordinator reviews Bergen's submitted programme, sends a comment and completes the review;
the city reads it, answers it and marks it resolved."""

import re

from playwright.sync_api import expect

from actionplans.models import CommentReply, Review, ReviewComment
from tests.browser.conftest import MEASURE

COMMENT = "Vurder en lavere parkeringsnorm i sentrum."
ASSESSMENT = "Et godt grep om arealbruken."
ANSWER = "Vi senker normen i neste versjon."


def test_coordinator_sends_a_comment_and_the_city_answers_it(
    page, live_server, log_in, coordinator, contact_bergen, submitted
):
    programme, measure = submitted
    review_path = f"/programmes/{programme.pk}/review/atp/"
    detail_url = f"{live_server.url}/programmes/{programme.pk}/"
    main = page.locator("main")

    # The coordinator finds Bergen in the queue of land use and transport.
    log_in(coordinator)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Reviews: cities × themes"), level=1)).to_be_visible()
    main.get_by_role("navigation", name="Review pages").get_by_role("link", name="Land use and transport").click()
    expect(page.get_by_role("heading", name="Review queue: Land use and transport", level=1)).to_be_visible()
    rows = main.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("rowheader")).to_have_text("Bergen")
    expect(rows).to_contain_text("Not reviewed yet")

    # Bergen's review: the submitted PDF inline, the measure, no comments yet.
    rows.get_by_role("link", name="Bergen").click()
    expect(page).to_have_url(f"{live_server.url}{review_path}")
    expect(page.get_by_role("heading", name="Review: Bergen, Land use and transport", level=1)).to_be_visible()
    expect(main.locator("iframe")).to_have_attribute(
        "src", f"/drafts/{programme.submitted_draft_id}/view/#view=FitH"
    )  # at page width
    card = main.get_by_role("article", name=MEASURE)
    expect(card).to_contain_text("42.5 t CO₂e per year")
    expect(card).to_contain_text("No comments yet.")

    # A comment on the measure starts the review.
    # The form of its own at the end (each measure has a small one of its own too).
    comment_form = main.locator(f"form[action='{review_path}comments/']").filter(
        has=page.locator("select[name=measure]")
    )
    comment_form.get_by_label("Measure").select_option(label=MEASURE)
    comment_form.get_by_label("Comment").fill(COMMENT)
    comment_form.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("status")).to_contain_text("The comment was added.")
    expect(card).to_contain_text(COMMENT)
    expect(card).to_contain_text(coordinator.username)
    expect(main.locator("h1 + p + p .badge")).to_have_text("Review in progress")

    # The assessment, and the comments are sent to the city.
    review_form = main.locator(f"form[action='{review_path}save/']")
    review_form.get_by_label("General assessment").fill(ASSESSMENT)
    review_form.get_by_label("Status").select_option(label="Comments sent")
    review_form.get_by_role("button", name="Save review").click()
    expect(page.get_by_role("status")).to_contain_text("The review was saved.")
    expect(main.locator("h1 + p + p .badge")).to_have_text("Comments sent")
    expect(main).to_contain_text(f"Review in progress → Comments sent ({coordinator.username})")

    # Log out through the header.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    # The city opens its programme and finds the comment under the measure.
    log_in(contact_bergen)
    main.get_by_role("link", name="View programme").click()
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("heading", name="Action programme of Bergen", level=1)).to_be_visible()
    reviews = main.locator("section[aria-labelledby=reviews-heading]")
    expect(reviews).to_contain_text(f"Land use and transport: Comments sent – {ASSESSMENT}")
    comment = main.locator(f"#comment-{ReviewComment.objects.get().pk}")
    expect(main).to_contain_text(f"Comments on “{MEASURE}”")
    expect(comment).to_contain_text(COMMENT)
    expect(comment).to_contain_text(coordinator.username)

    # It answers…
    comment.get_by_label("Answer").fill(ANSWER)
    comment.get_by_role("button", name="Send answer").click()
    expect(page.get_by_role("status")).to_contain_text("Your answer was saved.")
    expect(page).to_have_url(re.compile(rf"^{re.escape(detail_url)}#comment-\d+$"))
    expect(comment).to_contain_text(ANSWER)
    expect(comment).to_contain_text(contact_bergen.username)

    # …and marks the comment resolved, naming version 1.
    comment.get_by_label("Resolved in").select_option(label="Version 1 (submitted)")
    comment.get_by_role("button", name="Mark resolved").click()
    expect(page.get_by_role("status")).to_contain_text("The comment was marked resolved.")
    expect(comment).to_contain_text("Resolved in version 1")
    expect(comment.get_by_role("button", name="Mark resolved")).to_have_count(0)

    review = Review.objects.get()
    assert (review.programme_id, review.theme_area.code, review.status, review.assessment) == (
        programme.pk,
        "atp",
        Review.Status.COMMENTS_SENT,
        ASSESSMENT,
    )
    stored = ReviewComment.objects.get()
    assert (stored.measure, stored.text, stored.author) == (measure, COMMENT, coordinator)
    assert (stored.resolved_by, stored.resolved_in) == (contact_bergen, programme.submitted_draft)
    reply = CommentReply.objects.get()
    assert (reply.comment, reply.text, reply.author) == (stored, ANSWER, contact_bergen)


GENERAL_COMMENT = "Beskriv hvordan tiltakene følges opp i økonomiplanen."
FINAL_ASSESSMENT = "Gjennomgangen er ferdig: et solid program for areal og transport."


def test_coordinator_completes_the_review_and_the_city_sees_it(
    page, live_server, log_in, coordinator, contact_bergen, submitted, mailoutbox
):
    programme, measure = submitted
    review_path = f"/programmes/{programme.pk}/review/atp/"
    detail_url = f"{live_server.url}/programmes/{programme.pk}/"
    main = page.locator("main")
    status_badge = main.locator("h1 + p + p .badge")

    # The coordinator opens Bergen's review from the queue of land use and transport.
    log_in(coordinator)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Reviews").click()
    main.get_by_role("navigation", name="Review pages").get_by_role("link", name="Land use and transport").click()
    main.locator("table tbody tr").get_by_role("link", name="Bergen").click()
    expect(page).to_have_url(f"{live_server.url}{review_path}")
    expect(status_badge).to_have_text("Not reviewed yet")

    # A comment on the theme in general, not on one measure.
    # The form of its own at the end (each measure has a small one of its own too).
    comment_form = main.locator(f"form[action='{review_path}comments/']").filter(
        has=page.locator("select[name=measure]")
    )
    comment_form.get_by_label("Measure").select_option(label="The theme in general")
    comment_form.get_by_label("Comment").fill(GENERAL_COMMENT)
    comment_form.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("status")).to_contain_text("The comment was added.")
    expect(main).to_contain_text("Comments on the theme in general")
    expect(main).to_contain_text(GENERAL_COMMENT)
    expect(status_badge).to_have_text("Review in progress")

    # The final assessment, and the review is completed.
    review_form = main.locator(f"form[action='{review_path}save/']")
    review_form.get_by_label("General assessment").fill(FINAL_ASSESSMENT)
    review_form.get_by_label("Status").select_option(label="Review completed")
    review_form.get_by_role("button", name="Save review").click()
    # The general comment is still open: asked first, nothing saved yet.
    expect(page.get_by_role("heading", name="Complete the review?", level=1)).to_be_visible()
    expect(main).to_contain_text("has 1 comment that is not resolved")
    main.get_by_role("button", name="Complete the review anyway").click()
    expect(page.get_by_role("status")).to_contain_text("The review was saved.")
    expect(status_badge).to_have_text("Review completed")
    expect(main).to_contain_text(f"Review in progress → Review completed ({coordinator.username})")
    expect(review_form.get_by_label("General assessment")).to_have_value(FINAL_ASSESSMENT)

    # The queue shows Bergen's review as completed.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Land use and transport").click()
    expect(page.get_by_role("heading", name="Review queue: Land use and transport", level=1)).to_be_visible()
    row = main.locator("table tbody tr")
    expect(row.get_by_role("rowheader")).to_have_text("Bergen")
    expect(row.locator("td").last).to_have_text("Review completed")
    page.get_by_role("button", name="Log out").click()

    # The city reads the completed review and the general comment on its programme page.
    log_in(contact_bergen)
    main.get_by_role("link", name="View programme").click()
    expect(page).to_have_url(detail_url)
    reviews = main.locator("section[aria-labelledby=reviews-heading]")
    expect(reviews.get_by_role("listitem").first).to_have_text(
        f"Land use and transport: Review completed – {FINAL_ASSESSMENT}"
    )
    expect(reviews.get_by_role("heading", name="General comments")).to_be_visible()
    comment = reviews.locator(f"#comment-{ReviewComment.objects.get().pk}")
    expect(comment).to_contain_text(GENERAL_COMMENT)
    expect(comment).to_contain_text(coordinator.username)

    review = Review.objects.get()
    assert (review.programme_id, review.theme_area.code, review.status, review.assessment) == (
        programme.pk,
        "atp",
        Review.Status.COMPLETED,
        FINAL_ASSESSMENT,
    )
    assert review.completed_at is not None
    assert [(c.from_status, c.to_status) for c in review.status_changes.all()] == [
        (Review.Status.NOT_STARTED, Review.Status.IN_PROGRESS),
        (Review.Status.IN_PROGRESS, Review.Status.COMPLETED),
    ]
    stored = ReviewComment.objects.get()
    assert (stored.measure, stored.text, stored.author) == (None, GENERAL_COMMENT, coordinator)
    # Completing the review told the city's contact by e-mail, once (beside the receipt of its submission).
    to_bergen = [
        m for m in mailoutbox if m.to == [contact_bergen.email] and not m.subject.startswith(("Receipt", "Kvittering"))
    ]
    assert len(to_bergen) == 1
    assert FINAL_ASSESSMENT in to_bergen[0].body
