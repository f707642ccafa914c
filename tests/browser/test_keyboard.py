"""The main journeys with the keyboard alone (WCAG 2.1 AA: 2.1.1 Keyboard, 2.1.2 No keyboard trap,
2.4.3 Focus order, 2.4.7 Focus visible).

The user moves with Tab and operates controls with Enter, Space, the arrow keys and typing. Locators are
only used to find the target of the next Tab stop and to assert what the user sees. On every Tab stop
on the way, the focused element must show a visible focus indicator. The only step that is not keyboard
is the operating system's file dialog, which Playwright answers.
"""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actionplans.models import ActionProgramme, Draft, Review, ReviewComment
from meetings.models import Feedback
from tests.browser.conftest import GATHERING, MEASURE, PASSWORD
from tests.files import make_pdf

# The focused element of a document (inside shadow roots too), and whether it shows a focus indicator:
# an outline (not "none", wider than 0, not transparent) or a box shadow; it must take up space on the screen.
_FOCUS_STATE = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
    && style.outlineColor !== "transparent" && !/rgba\\(.*,\\s*0\\)$/.test(style.outlineColor);
  const shadow = style.boxShadow && style.boxShadow !== "none";
  const text = (el.getAttribute("aria-label") || el.title || el.innerText || el.value || "")
    .trim().replace(/\\s+/g, " ");
  return {
    tag: el.tagName.toLowerCase(),
    description: el.tagName.toLowerCase()
      + (el.id ? "#" + el.id : "")
      + (el.name ? "[name=" + el.name + "]" : "")
      + (el.type && el.tagName !== "BUTTON" ? "[type=" + el.type + "]" : "")
      + (text ? " “" + text.slice(0, 60) + "”" : ""),
    visible: Boolean(outline || shadow),
    onScreen: rect.width > 0 && rect.height > 0,
    outline: style.outlineStyle + " " + style.outlineWidth + " " + style.outlineColor,
  };
}"""

# Chromium shows a PDF in an iframe with its own viewer, an extension page: its controls and their focus
# rings are the browser's, not the portal's (WCAG leaves user-agent interface out of scope).
_BROWSER_UI = "chrome-extension://"


def _focused_child(frame):
    for child in frame.child_frames:
        try:
            if child.evaluate("() => document.hasFocus()"):
                return child
        except Exception:  # noqa: S112 (a frame that is going away)
            continue
    return None


def _shows_a_pdf(frame):
    """Whether the focused iframe of ``frame`` shows a PDF: Chromium's viewer then has the focus (its
    own frames come and go while it loads, so the document's type is what tells)."""
    element = frame.evaluate_handle("() => document.activeElement").as_element()
    content = element.content_frame() if element else None
    if content is None:
        return False
    try:
        content.wait_for_load_state("load", timeout=5_000)  # a frame still loading shows nothing yet
        return content.evaluate("() => document.contentType") == "application/pdf"
    except Exception:  # noqa: BLE001 (a frame that is going away shows nothing)
        return False


def focus_state(page):
    """Describe the focused element. While the focus is inside an iframe, the page's focused element is
    the iframe, which CSS cannot style for it: the state is that of the element focused inside it."""
    state = page.evaluate(_FOCUS_STATE)
    frame, outer = page.main_frame, ""
    while state is not None and state["tag"] in ("iframe", "embed"):
        outer += state["description"] + " → "
        if _shows_a_pdf(frame):
            return {**state, "description": outer + "the browser's PDF viewer", "visible": True, "onScreen": True}
        frame = _focused_child(frame)
        if frame is None:
            return {**state, "description": outer + "nothing", "visible": False, "outline": "–"}
        if frame.url.startswith(_BROWSER_UI):
            return {**state, "description": outer + "the browser's PDF viewer", "visible": True, "onScreen": True}
        # An embedded document whose body has the focus: look further in, at its own frames.
        state = frame.evaluate(_FOCUS_STATE) or {"tag": "iframe", "description": "document"}
    if state is not None and outer:
        state = {**state, "description": outer + state["description"]}
    return state


def _check_visible(state):
    assert state is not None, "Nothing has the focus"
    assert state["onScreen"], f"The focused element {state['description']} is not on the screen"
    assert state["visible"], (
        f"The focused element {state['description']} has no visible focus indicator "
        f"(outline: {state['outline']}, no box-shadow)"
    )
    return state


def assert_focus_visible(page):
    return _check_visible(focus_state(page))


def is_focused(locator):
    return locator.evaluate("el => el === document.activeElement")


# Tab stops an embedded document (the browser's PDF viewer in an iframe) may hold before Tab leaves it.
MAX_STOPS_INSIDE_A_FRAME = 30


def tab_to(page, locator, max_presses=80):
    """Press Tab until ``locator`` has the focus, checking on every stop that the focus is visible.

    Fails if the target is not reached (within ``max_presses``, or once Tab has gone round the whole page),
    or if Tab does not move the focus on (a keyboard trap). While the focus is inside an iframe, the
    iframe is the page's focused element: the element focused inside it is checked instead, and Tab must
    leave the iframe after at most MAX_STOPS_INSIDE_A_FRAME presses.
    """
    expect(locator).to_have_count(1)
    if is_focused(locator):  # e.g. a field with autofocus
        assert_focus_visible(page)
        return
    path = []
    previous, stays, wraps, presses = None, 0, 0, 0
    while presses < max_presses:
        page.keyboard.press("Tab")
        presses += 1
        state = focus_state(page)
        if state is None:  # past the last Tab stop the focus leaves the page, then starts again at the top
            path.append("(out of the page)")
            wraps += 1
            if wraps == 2:
                break
            previous = None
            continue
        _check_visible(state)
        if is_focused(locator):
            return
        handle = page.evaluate_handle("() => document.activeElement")
        same = previous is not None and page.evaluate("([a, b]) => a === b", [handle, previous])
        stays = stays + 1 if same else 0
        limit = MAX_STOPS_INSIDE_A_FRAME if state["description"].startswith("iframe") else 0
        if stays > limit:
            pytest.fail(
                f"Keyboard trap: {stays + 1} presses of Tab did not move the focus away from {state['description']}"
            )
        path.append(state["description"])
        previous = handle
    pytest.fail(
        f"{locator} was not reached in {presses} presses of Tab. The focus went through:\n  " + "\n  ".join(path)
    )


def press(page, key):
    """Press ``key`` on the focused element, which must show its focus."""
    assert_focus_visible(page)
    page.keyboard.press(key)


def type_into(page, locator, text):
    tab_to(page, locator)
    page.keyboard.type(text)
    expect(locator).to_have_value(text)


def choose(page, select, label):
    """With ``select`` focused, move to the option ``label`` with the arrow keys (a closed select
    changes its value with them)."""
    assert is_focused(select), f"{select} does not have the focus"
    labels = select.evaluate("el => Array.from(el.options, o => o.label)")
    assert label in labels, f"{select} has no option {label!r}: {labels}"
    target = labels.index(label)
    for _ in range(len(labels)):
        current = select.evaluate("el => el.selectedIndex")
        if current == target:
            break
        press(page, "ArrowDown" if current < target else "ArrowUp")
    assert select.evaluate("el => el.selectedOptions[0].label") == label, f"{label!r} could not be chosen in {select}"


def keyboard_login(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form")
    type_into(page, form.locator("input[name=username]"), username)
    tab_to(page, form.locator("input[name=password]"))
    page.keyboard.type(password)
    activate(page, form.get_by_role("button", name="Log in"))
    expect(page, f"login as {username!r} failed").not_to_have_url(re.compile(r"/accounts/login/"))


def activate(page, target, key="Enter"):
    """Tab to a link or a submit button and press ``key`` on it; wait for the page it leads to."""
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press(key)


def check_skip_link(page):
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_have_count(1)
    page.keyboard.press("Tab")
    assert is_focused(skip), f"The first Tab stop on {page.url} is {focus_state(page)}, not the skip link"
    assert_focus_visible(page)
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab stop is inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)"), (
        f"After the skip link, Tab went to {focus_state(page)}, outside <main>"
    )


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_server, contact_oslo, oslo_programme):
    # (The login page puts the focus on its username field at once, so its first Tab stop is the password.)
    keyboard_login(page, live_server, contact_oslo.username)
    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()
    check_skip_link(page)
    for path, heading in (
        (f"/programmes/{oslo_programme.pk}/", "Action programme of Oslo"),
        (f"/programmes/{oslo_programme.pk}/measures/new/", "Add a measure"),
        ("/meetings/", "Meetings"),
    ):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        check_skip_link(page)


def test_city_contact_uploads_adds_a_measure_and_submits_with_the_keyboard(
    page, live_server, contact_oslo, oslo_programme, atp, energy
):
    detail_url = f"{live_server.url}/programmes/{oslo_programme.pk}/"
    main = page.locator("main")

    keyboard_login(page, live_server, contact_oslo.username)
    expect(page).to_have_url(f"{live_server.url}/")
    card = main.locator(".card").filter(has=page.get_by_role("heading", name="Oslo", exact=True))
    expect(card).to_contain_text("Not started")

    # Open the programme.
    activate(page, card.get_by_role("link", name="Work on the programme"))
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("heading", name="Action programme of Oslo", level=1)).to_be_visible()

    # Upload version 1: the file input opens the file chooser on Space.
    activate(page, main.get_by_role("link", name="Upload a new version").first)
    expect(page).to_have_url(f"{detail_url}drafts/new/")
    form = main.locator("form")
    tab_to(page, form.locator("input[name=file]"))
    with page.expect_file_chooser() as chooser:
        press(page, "Space")
    chooser.value.set_files({"name": "utkast.pdf", "mimeType": "application/pdf", "buffer": make_pdf("Utkast")})
    assert form.locator("input[name=file]").evaluate("el => el.files.length && el.files[0].name") == "utkast.pdf"
    type_into(page, form.locator("textarea[name=note]"), "Første utkast til politisk behandling")
    activate(page, form.get_by_role("button", name="Upload"))
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("status")).to_contain_text("Version 1 was uploaded.")
    versions = main.locator("section[aria-labelledby=versions-heading] tbody tr")
    expect(versions).to_have_count(1)
    expect(versions.get_by_role("link", name="utkast.pdf")).to_be_visible()
    expect(main.locator(".status-badge")).to_have_text("Draft")

    # Add a measure, choosing from the selects with the arrow keys.
    activate(page, main.get_by_role("link", name="Add a measure", exact=True))
    expect(page).to_have_url(f"{detail_url}measures/new/")
    form = main.locator("form")
    theme = form.locator("select[name=theme_area]")
    tab_to(page, theme)
    choose(page, theme, "Land use and transport")
    type_into(page, form.locator("input[name=title]"), "Parkeringsnorm for nye boliger")
    type_into(page, form.locator("input[name=expected_effect]"), "1234.5")
    type_into(page, form.locator("input[name=cost_estimate]"), "2500000")
    status = form.locator("select[name=status]")
    tab_to(page, status)
    choose(page, status, "Ongoing")
    activate(page, form.get_by_role("button", name="Save measure"))
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("status")).to_contain_text("The measure was added.")
    row = main.get_by_role("table", name="Measures in Land use and transport").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("rowheader")).to_have_text("Parkeringsnorm for nye boliger")
    expect(row.locator("td")).to_have_text(["–", "Ongoing", "1,234.5", "2,500,000", "No", re.compile("Edit")])

    # Submit.
    activate(page, main.get_by_role("link", name="Submit…"))
    expect(page).to_have_url(f"{detail_url}submit/")
    expect(main).to_contain_text("Version 1 (utkast.pdf) will be submitted.")
    activate(page, main.get_by_role("button", name="Submit the programme"))
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("status")).to_contain_text("The action programme was submitted. Thank you!")
    expect(main.locator(".status-badge")).to_have_text("Submitted on time")
    expect(main.locator("section[aria-labelledby=submission-heading]")).to_contain_text("Version 1, on time.")

    programme = ActionProgramme.objects.get(pk=oslo_programme.pk)
    draft = Draft.objects.get(programme=programme)
    assert programme.status == ActionProgramme.Status.SUBMITTED
    assert programme.submitted_draft == draft
    assert (draft.number, draft.original_name, draft.note) == (1, "utkast.pdf", "Første utkast til politisk behandling")
    assert programme.submitted_by == contact_oslo
    measure = programme.measures.get()
    assert (measure.theme_area, measure.title, measure.status) == (atp, "Parkeringsnorm for nye boliger", "ongoing")
    assert (measure.expected_effect, measure.cost_estimate) == (1234.5, 2500000)


COMMENT = "Vurder en lavere parkeringsnorm i sentrum."
ASSESSMENT = "Et godt grep om arealbruken."


def test_coordinator_comments_and_saves_a_review_with_the_keyboard(
    page, live_server, coordinator, contact_bergen, submitted
):
    programme, measure = submitted
    review_path = f"/programmes/{programme.pk}/review/atp/"
    main = page.locator("main")

    keyboard_login(page, live_server, coordinator.username)
    activate(page, page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Reviews"))
    expect(page.get_by_role("heading", name=re.compile(r"^Reviews: cities × themes"), level=1)).to_be_visible()
    activate(
        page, main.get_by_role("navigation", name="Review pages").get_by_role("link", name="Land use and transport")
    )
    expect(page.get_by_role("heading", name="Review queue: Land use and transport", level=1)).to_be_visible()
    rows = main.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Not reviewed yet")
    activate(page, rows.get_by_role("link", name="Bergen"))
    expect(page).to_have_url(f"{live_server.url}{review_path}")
    expect(page.get_by_role("heading", name="Review: Bergen, Land use and transport", level=1)).to_be_visible()
    card = main.get_by_role("article", name=MEASURE)
    expect(card).to_contain_text("No comments yet.")

    # The measure is a candidate for a pilot project.
    select = card.get_by_label("Agreement candidate")
    tab_to(page, select)
    choose(page, select, "Pilot project")
    activate(page, card.get_by_role("button", name=f"Save – {MEASURE}"))
    expect(page.get_by_role("status")).to_contain_text(f"The measure “{MEASURE}” was updated.")
    expect(card).to_contain_text("Pilot project")

    # A comment on the measure.
    # The form of its own at the end (each measure has a small one of its own too).
    comment_form = main.locator(f"form[action='{review_path}comments/']").filter(
        has=page.locator("select[name=measure]")
    )
    select = comment_form.get_by_label("Measure")
    tab_to(page, select)
    choose(page, select, MEASURE)
    type_into(page, comment_form.get_by_label("Comment"), COMMENT)
    activate(page, comment_form.get_by_role("button", name="Add comment"))
    expect(page.get_by_role("status")).to_contain_text("The comment was added.")
    expect(card).to_contain_text(COMMENT)
    expect(main.locator("h1 + p + p .badge")).to_have_text("Review in progress")

    # The assessment and the status.
    review_form = main.locator(f"form[action='{review_path}save/']")
    type_into(page, review_form.get_by_label("General assessment"), ASSESSMENT)
    select = review_form.get_by_label("Status")
    tab_to(page, select)
    choose(page, select, "Comments sent")
    activate(page, review_form.get_by_role("button", name="Save review"), key="Space")  # a button takes Space too
    expect(page.get_by_role("status")).to_contain_text("The review was saved.")
    expect(main.locator("h1 + p + p .badge")).to_have_text("Comments sent")
    expect(main).to_contain_text(f"Review in progress → Comments sent ({coordinator.username})")

    review = Review.objects.get()
    assert (review.programme_id, review.theme_area.code, review.status, review.assessment) == (
        programme.pk,
        "atp",
        Review.Status.COMMENTS_SENT,
        ASSESSMENT,
    )
    stored = ReviewComment.objects.get()
    assert (stored.measure, stored.text, stored.author) == (measure, COMMENT, coordinator)
    measure.refresh_from_db()
    assert measure.candidate_kind == "pilot_project"


def test_management_downloads_the_status_report_with_the_keyboard(
    page, live_server, manager, oslo_programme, bergen_submitted
):
    keyboard_login(page, live_server, manager.username)
    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Where the cities stand")).to_be_visible()

    link = page.get_by_role("link", name="Download the status report (PDF)")
    tab_to(page, link)
    with page.expect_download() as download_info:
        press(page, "Enter")
    download = download_info.value
    assert download.suggested_filename.startswith("status-report-handlingsprogram-2030-")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")


def test_management_changes_an_agreements_status_with_the_keyboard(page, live_server, manager, negotiating):
    agreement = negotiating
    main = page.locator("main")

    keyboard_login(page, live_server, manager.username)
    activate(page, page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Agreements"))
    negotiating = main.locator("section", has=page.get_by_role("heading", name=re.compile("Negotiating")))
    activate(page, negotiating.get_by_role("link", name=agreement.title))
    expect(page.get_by_role("heading", name=agreement.title, level=1)).to_be_visible()

    status_form = main.locator("section[aria-labelledby=status-heading] form")
    select = status_form.get_by_label("New status")
    tab_to(page, select)
    # Only the moves the pipeline allows are offered, none chosen until the user chooses.
    expect(select.locator("option")).to_have_text(
        ["Choose the new status", "Identified", "In preparation", "Signed", "Dropped"]
    )
    expect(select).to_have_value("")
    choose(page, select, "Signed")
    type_into(page, status_form.get_by_label("Comment"), "Signert på det politiske møtet")
    activate(page, status_form.get_by_role("button", name="Change status"))
    expect(page.get_by_role("status")).to_contain_text("The status was changed.")
    timeline = main.locator("section[aria-labelledby=timeline-heading]")
    expect(timeline).to_contain_text("Negotiating → Signed")
    expect(timeline).to_contain_text("Signert på det politiske møtet")

    agreement.refresh_from_db()
    assert agreement.status == "signed"
    assert agreement.signed_date == timezone.localdate()
    change = agreement.status_changes.order_by("pk").last()
    assert (change.from_status, change.to_status, change.comment, change.changed_by) == (
        "negotiating",
        "signed",
        "Signert på det politiske møtet",
        manager,
    )


FEEDBACK_COMMENT = "Programmet var for tett; vi trenger mer tid til diskusjon mellom byene."


def choose_radio(page, group, label):
    """Tab into the radio ``group`` (Tab stops once in a group: on its checked radio, or on the first),
    check the focused radio with Space if none is, then move to ``label`` with the arrow keys."""
    radios = group.get_by_role("radio")
    checked = group.locator("input[type=radio]:checked")
    tab_to(page, checked if checked.count() else radios.first)
    labels = [radios.nth(i).evaluate("el => el.labels[0].innerText.trim()") for i in range(radios.count())]
    assert label in labels, f"{group} has no radio button {label!r}: {labels}"
    if not checked.count():
        press(page, "Space")
        expect(radios.first).to_be_checked()
    target = labels.index(label)
    for _ in range(len(labels)):
        current = next(i for i in range(len(labels)) if radios.nth(i).is_checked())
        if current == target:
            break
        press(page, "ArrowDown" if current < target else "ArrowUp")
    expect(radios.nth(target)).to_be_checked()
    expect(radios.nth(target)).to_be_focused()


def test_participant_gives_feedback_with_the_keyboard(page, live_server, contact_bergen, gathering):
    main = page.locator("main")
    meeting_url = f"{live_server.url}/meetings/{gathering.pk}/"

    keyboard_login(page, live_server, contact_bergen.username)
    activate(page, page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Meetings"))
    expect(page.get_by_role("heading", name="Meetings", level=1)).to_be_visible()
    activate(page, main.get_by_role("link", name="Past"))
    activate(page, main.get_by_role("link", name=GATHERING))
    expect(page).to_have_url(meeting_url)
    expect(page.get_by_role("heading", name=GATHERING, level=1)).to_be_visible()

    activate(page, main.get_by_role("link", name="Give feedback"))
    expect(page.get_by_role("heading", name=f"Feedback on {GATHERING}", level=1)).to_be_visible()
    overall = main.get_by_role("group", name=re.compile(r"^Overall, how was the gathering"))
    choose_radio(page, overall, "4")
    choose_radio(page, main.get_by_role("group", name=re.compile(r"^The programme was")), "Too tight")
    choose_radio(page, main.get_by_role("group", name=re.compile(r"^Enough time for discussion")), "Partly")
    choose_radio(page, main.get_by_role("group", name=re.compile(r"^How useful were the host city")), "5")
    type_into(page, main.get_by_label("Anything else?"), FEEDBACK_COMMENT)
    activate(page, main.get_by_role("button", name="Send feedback"))
    expect(page.get_by_role("status")).to_contain_text("Thank you for your feedback.")
    expect(page).to_have_url(meeting_url)

    # The answer is changed: Tab lands on the checked rating, and the arrow keys move it.
    activate(page, main.get_by_role("link", name="Change your feedback"))
    overall = main.get_by_role("group", name=re.compile(r"^Overall, how was"))
    expect(overall.get_by_label("4")).to_be_checked()
    choose_radio(page, overall, "3")
    activate(page, main.get_by_role("button", name="Send feedback"))
    expect(page.get_by_role("status")).to_contain_text("Thank you for your feedback.")

    feedback = Feedback.objects.get()
    assert (feedback.user, feedback.rating, feedback.pace, feedback.enough_discussion) == (
        contact_bergen,
        3,
        Feedback.Pace.TOO_TIGHT,
        Feedback.Enough.PARTLY,
    )
    assert (feedback.host_usefulness, feedback.comment) == (5, FEEDBACK_COMMENT)
