"""Every URL pattern of the project, and what each persona gets there.

A URL pattern added without its row here fails `test_every_url_pattern_has_a_row`.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actionplans.models import Measure
from api.models import ApiToken
from api.services import create_token
from cities.models import Membership
from lib.files import inspect_upload
from meetings.models import AgendaItem, ChecklistTemplateItem, Invitation, Minutes
from meetings.services import create_meeting, upload_attachment
from opendata.models import Publication
from outbox.models import OutgoingMail
from people.models import BulkMessage
from reporting import tasks as reporting_tasks
from reporting.models import ExportJob, ReportJob
from state import services as state_services
from state.models import Instrument, StateRequest
from tests.files import make_pdf
from tests.results.matrix import bergen_report, pending_extension, round_slug

PERSONAS = ["anonymous", "contact_oslo", "contact_bergen", "coordinator", "manager", "partner", "outsider", "superuser"]
LOGIN = "login"  # a redirect to the login page
OK, FORBIDDEN, NOT_FOUND, REDIRECT, NOT_ALLOWED = 200, 403, 404, 302, 405
UNAUTHORIZED = 401  # the API's answer to a request with no credentials (and how to give them)


def everyone(result, anonymous=LOGIN, **overrides):
    """`result` for every persona; superusers pass every permission check, as in Django."""
    row = {persona: result for persona in PERSONAS}
    row["anonymous"] = anonymous
    row["superuser"] = OK if result in (FORBIDDEN, NOT_FOUND) else result
    row.update(overrides)
    return row


# Own-city pages of Oslo's programme while it is a draft.
OSLO_EDIT = everyone(NOT_FOUND, contact_oslo=OK, manager=FORBIDDEN)
OSLO_FILES = everyone(NOT_FOUND, contact_oslo=OK, manager=OK)

REVIEWERS = everyone(FORBIDDEN, coordinator=OK, manager=OK)
# Bergen's submitted programme: hidden from Oslo and outsiders, readable but not reviewable by Bergen and KS.
BERGEN_REVIEW = everyone(FORBIDDEN, coordinator=OK, manager=OK, contact_oslo=NOT_FOUND, outsider=NOT_FOUND)
POST_ONLY = everyone(NOT_ALLOWED)
AGREEMENT_READ = everyone(NOT_FOUND, coordinator=OK, manager=OK, contact_bergen=OK, partner=OK)
AGREEMENT_EDIT = everyone(NOT_FOUND, coordinator=OK, manager=OK, contact_bergen=FORBIDDEN, partner=FORBIDDEN)


def sent_message(w):
    """A message to all city contacts, written by the management."""
    manager = Membership.objects.filter(role=Membership.Role.PROGRAMME_MANAGEMENT).first().user
    return BulkMessage.objects.get_or_create(
        subject_nb="Til alle", defaults={"author": manager, "audience": "city_contacts", "body_nb": "Hei"}
    )[0].pk


def refused_mail(w):
    """A mail of the outbox the mail server refused, to Bergen's contact."""
    mail, _created = OutgoingMail.objects.get_or_create(
        key="matrix:refused",
        defaults={
            "address": "kontakt-bergen@example.org",
            "language": "nb",
            "subject": "Påminnelse",
            "text": "Hei",
            "kind": "reminder",
            "status": OutgoingMail.Status.REFUSED,
        },
    )
    return mail.pk


def ics_meeting(w):
    """A meeting of the calendar rows' own: made by the management, Oslo's contact invited, hosted by Bergen."""
    users = get_user_model().objects.in_bulk(["departementet", "kontakt-oslo"], field_name="username")
    start = datetime.datetime(2030, 3, 4, 10, tzinfo=datetime.UTC)
    meeting = create_meeting(
        by=users["departementet"],
        kind="coordination_group",
        title="Møte",
        host_city=w["bergen"].city,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    Invitation.objects.create(meeting=meeting, user=users["kontakt-oslo"])
    return meeting


def gathering(w):
    """A network gathering of the meetings rows' own, held and ended yesterday (its survey is open):
    planned by the management, hosted by Oslo; Bergen's contact attended, KS declined."""
    if "gathering" not in w:
        users = get_user_model().objects.in_bulk(["departementet", "kontakt-bergen", "ks"], field_name="username")
        ChecklistTemplateItem.objects.create(text="Lokale")
        start = timezone.now() - datetime.timedelta(days=2)
        meeting = create_meeting(
            by=users["departementet"],
            theme_areas=[w["measure"].theme_area],
            kind="network_gathering",
            title="Samling",
            host_city=w["oslo"].city,
            starts_at=start,
            ends_at=start + datetime.timedelta(days=1),
            status="held",
        )
        Invitation.objects.create(meeting=meeting, user=users["kontakt-bergen"], response="attending")
        Invitation.objects.create(meeting=meeting, user=users["ks"], response="not_attending")
        pdf = ContentFile(make_pdf(), name="presentasjon.pdf")
        attachment = upload_attachment(
            meeting, file=pdf, inspected=inspect_upload(pdf, max_size=10**6), title="Presentasjon", by=users["ks"]
        )
        item = AgendaItem.objects.create(meeting=meeting, starts_at=start, kind="plenary", title="Plenum")
        w["gathering"] = {"meeting": meeting, "item": item, "attachment": attachment, "task": meeting.checklist.get()}
    return w["gathering"]


def published_minutes(w):
    """Published minutes of the gathering (the world's draft ones, published): read by whoever sees the meeting."""
    minutes, _created = Minutes.objects.update_or_create(
        meeting=gathering(w)["meeting"],
        defaults={"main_points": "Hovedpunkter", "status": "published", "published_at": timezone.now()},
    )
    return minutes


def report_job(w):
    """A status report the management had built in the background, ready to download."""
    manager = get_user_model().objects.get(username="departementet")
    job = ReportJob.objects.create(user=manager, round=w["oslo"].round, language="nb", status=ReportJob.Status.DONE)
    job.file.save("report.pdf", ContentFile(make_pdf()))
    return job


def export_job(w):
    """A spreadsheet of the reviews the management had built in the background (by the task), ready to download."""
    manager = get_user_model().objects.get(username="departementet")
    job = ExportJob.objects.create(user=manager, table="reviews", params=f"round={w['oslo'].round.slug}", language="nb")
    reporting_tasks.build_export(str(job.pk))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    return job


def state_world(w):
    """KS's instrument (in land use), and Bergen's request to KS for it, on Bergen's measure, still asked.
    Found again by what no test rewrites (the test of escaping rewrites their texts), else made."""
    ks = w["users"]["partner"].memberships.get().organisation
    instrument = Instrument.objects.filter(body=ks).order_by("pk").first()
    if instrument is None:
        instrument = Instrument.objects.create(
            body=ks, name_nb="Belønningsordningen", kind="grant", offers_nb="Tilskudd"
        )
        instrument.theme_areas.set([w["atp"]])
    request = StateRequest.objects.filter(programme=w["bergen"], body=ks).order_by("pk").first()
    if request is None:
        request = state_services.ask(
            programme=w["bergen"],
            measure=w["bergen_measure"],
            body=ks,
            instrument=instrument,
            need="Bybane",
            needed_by=None,
            by=w["users"]["contact_bergen"],
        )
    return {"body": ks, "instrument": instrument, "request": request}


def offered_request(w):
    """A second request of Bergen's to KS, raised by the land-use coordinator on Bergen's behalf and answered with
    an offer: the management and the coordinator make an agreement of it; Bergen and KS read it."""
    world = state_world(w)  # first, so that the world's own request stays the first of Bergen's to KS
    coordinator = w["users"]["coordinator"]
    request = StateRequest.objects.filter(programme=w["bergen"], raised_by=coordinator, status="offered").first()
    if request is None:
        request = state_services.ask(
            programme=w["bergen"],
            measure=w["bergen_measure"],
            body=world["body"],
            instrument=world["instrument"],
            need="Belønningsmidler",
            needed_by=None,
            by=coordinator,
        )
        state_services.answer(request, to_status="offered", by=w["users"]["partner"], offer="Tilskudd")
    return request


# What the state offers: everyone in the programme reads the register; KS's partner and the management keep
# KS's instruments and answer the requests to KS; Bergen reads its own request; no one else sees it.
STATE_KEEPERS = everyone(FORBIDDEN, manager=OK, partner=OK, outsider=NOT_FOUND)
STATE_REQUEST = everyone(NOT_FOUND, contact_bergen=OK, partner=OK, manager=OK)

# The gathering: organisers (the management) edit; invitees and the host city read;
# the host city's contacts also upload and tick; participants answer the survey.
GATHERING = everyone(NOT_FOUND, contact_oslo=OK, contact_bergen=OK, partner=OK, manager=OK)
ORGANISERS = everyone(NOT_FOUND, contact_oslo=FORBIDDEN, contact_bergen=FORBIDDEN, partner=FORBIDDEN, manager=OK)


def api_token(w):
    """The management's personal API token (the matrix's personas read the API with their session)."""
    manager = w["users"]["manager"]
    token = ApiToken.objects.filter(user=manager, name="Matrise").first()
    return token or create_token(manager, name="Matrise", scope="all")[0]


def api(result, **overrides):
    """An endpoint of the API, read with the session: 401 without one, 403 for a person with no role."""
    return everyone(result, anonymous=UNAUTHORIZED, outsider=FORBIDDEN, **overrides)


# The API (tests/api/ has the tokens, scopes and the rows of each list): lists are scoped, objects as their pages.
API_READ = api(OK)
API_OSLO = api(NOT_FOUND, contact_oslo=OK, manager=OK)
API_GATHERING = api(NOT_FOUND, contact_oslo=OK, contact_bergen=OK, partner=OK, manager=OK)


def published_round(w):
    """The world's round, published by the management (once): the slug of its public pages."""
    round_ = w["oslo"].round
    Publication.objects.get_or_create(
        round=round_, defaults={"published_at": timezone.now(), "published_by": w["users"]["manager"]}
    )
    return round_.slug


# The open data of a published round: anyone reads it, logged in or not (tests/opendata/).
PUBLIC = everyone(OK, anonymous=OK)


# url name -> (how to build its arguments from the world, expected result per persona)
MATRIX = {
    # Open data: the public pages of the published round (Bergen has submitted; Oslo's draft is not public),
    # its downloads and the catalog; publishing and withdrawing are the management's.
    "opendata:index": (lambda w: [] if published_round(w) else [], PUBLIC),
    "opendata:catalog_jsonld": (lambda w: [] if published_round(w) else [], PUBLIC),
    "opendata:catalog_turtle": (lambda w: [] if published_round(w) else [], PUBLIC),
    "opendata:round": (lambda w: [published_round(w)], PUBLIC),
    "opendata:city": (lambda w: [published_round(w), "bergen"], PUBLIC),
    "opendata:document": (lambda w: [published_round(w), "bergen"], PUBLIC),
    "opendata:download": (lambda w: [published_round(w), "measures", "csv"], PUBLIC),
    "opendata:publication": (lambda w: [w["oslo"].round_id], everyone(FORBIDDEN, manager=OK)),
    "opendata:publish": (lambda w: [w["oslo"].round_id], POST_ONLY),
    "opendata:withdraw": (lambda w: [w["oslo"].round_id], POST_ONLY),
    "home": (lambda w: [], everyone(OK)),
    # The search: everyone logged in, each finding what they may read (tests/search/). POST is refused (405).
    "search:search": (lambda w: [], everyone(OK)),
    "health": (lambda w: [], everyone(OK, anonymous=OK)),
    # The dashboard's charts: for those who may see the dashboard (readers of every city's submitted programme).
    "dashboard_chart": (lambda w: ["effect-by-theme"], everyone(FORBIDDEN, coordinator=OK, manager=OK, partner=OK)),
    # The reviews table stands for the exports; each table's filters and permissions are in tests/portal/test_exports.py.
    "export": (lambda w: ["reviews", "xlsx"], REVIEWERS),
    # Reports: the status report (of two cities: sent at once) is the management's; a background job is
    # started by a POST (as the management) and its page and file are the one's who asked for it (the manager);
    # a city's report is also its own contacts'. Their cases are in tests/portal/test_reports.py.
    "status_report": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    "city_report": (lambda w: ["oslo"], everyone(FORBIDDEN, contact_oslo=OK, manager=OK)),
    "report_job_start": (lambda w: [], POST_ONLY),
    "report_job": (lambda w: [report_job(w).pk], everyone(NOT_FOUND, manager=OK)),
    "report_job_download": (lambda w: [report_job(w).pk], everyone(NOT_FOUND, manager=OK)),
    # A large XLSX export is built in the background: started by a POST (tests/security/test_post_matrix.py);
    # its page and file are the one's who asked for it only, superusers included, while they may still
    # export the list. Their cases are in tests/reporting/test_export_jobs.py.
    "export_job_start": (lambda w: [], POST_ONLY),
    "export_job": (lambda w: [export_job(w).pk], everyone(NOT_FOUND, manager=OK, superuser=NOT_FOUND)),
    "export_job_download": (lambda w: [export_job(w).pk], everyone(NOT_FOUND, manager=OK, superuser=NOT_FOUND)),
    "calendar_settings": (lambda w: [], everyone(OK)),
    # The address is the key (calendar clients do not log in); a real key is tested in tests/meetings/test_calendar_feed.py.
    "calendar_feed": (lambda w: ["no-such-key"], everyone(NOT_FOUND, anonymous=NOT_FOUND, superuser=NOT_FOUND)),
    "meetings:meeting_ics": (
        lambda w: [ics_meeting(w).pk],
        everyone(NOT_FOUND, contact_oslo=OK, contact_bergen=OK, manager=OK),
    ),
    "city_detail": (lambda w: ["bergen"], everyone(OK, outsider=FORBIDDEN)),
    "login": (lambda w: [], everyone(REDIRECT, anonymous=OK)),
    "logout": (lambda w: [], everyone(NOT_ALLOWED, anonymous=NOT_ALLOWED)),
    "set_language": (lambda w: [], everyone(REDIRECT, anonymous=REDIRECT)),
    "favicon": (lambda w: [], everyone(REDIRECT, anonymous=REDIRECT)),
    "admin:index": (lambda w: [], everyone("admin_login", anonymous="admin_login", superuser=OK)),
    "actionplans:programme_list": (lambda w: [], everyone(OK)),
    "actionplans:programme_detail": (lambda w: [w["oslo"].pk], OSLO_FILES),
    "actionplans:draft_upload": (lambda w: [w["oslo"].pk], OSLO_EDIT),
    "actionplans:measure_create": (lambda w: [w["oslo"].pk], OSLO_EDIT),
    "actionplans:programme_submit": (lambda w: [w["oslo"].pk], OSLO_EDIT),
    "actionplans:programme_share": (lambda w: [w["oslo"].pk], POST_ONLY),
    "actionplans:draft_note_add": (lambda w: [w["oslo"].pk], POST_ONLY),
    "actionplans:draft_download": (lambda w: [w["draft"].pk], OSLO_FILES),
    "actionplans:measure_update": (lambda w: [w["measure"].pk], OSLO_EDIT),
    # A measure of Bergen's submitted programme: read by who reads the programme (not Oslo: the round is not
    # open to the cities yet); its effect assessed by the theme's reviewers and the management.
    "actionplans:measure_detail": (
        lambda w: [w["bergen_measure"].pk],
        everyone(OK, contact_oslo=NOT_FOUND, outsider=NOT_FOUND),
    ),
    "actionplans:measure_assess": (lambda w: [w["bergen_measure"].pk], BERGEN_REVIEW),
    # Carrying measures over from an earlier round is the city's, while its programme is a draft.
    "actionplans:carry_over": (lambda w: [w["oslo"].pk], OSLO_EDIT),
    "actionplans:measure_delete": (lambda w: [w["measure"].pk], OSLO_EDIT),
    "actionplans:extension_request": (lambda w: [w["oslo"].pk], OSLO_EDIT),
    "actionplans:round_detail": (lambda w: [w["oslo"].round_id], everyone(OK, outsider=FORBIDDEN)),
    "actionplans:round_extend": (lambda w: [w["oslo"].round_id], everyone(FORBIDDEN, manager=OK)),
    "actionplans:round_steps": (lambda w: [w["oslo"].round_id], everyone(FORBIDDEN, manager=OK)),
    "actionplans:extension_list": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    "actionplans:extension_decide": (lambda w: [w["extension"].pk], everyone(FORBIDDEN, manager=OK)),
    "actionplans:reminder_log": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    # Reviews: the reviewers (coordinators, network leaders, the management) only.
    "actionplans:review_grid": (lambda w: [], REVIEWERS),
    "actionplans:effect_totals": (lambda w: [], REVIEWERS),
    "actionplans:similar_measures": (lambda w: [], REVIEWERS),
    "actionplans:review_queue": (lambda w: ["atp"], REVIEWERS),
    "actionplans:theme_compare": (lambda w: ["atp"], REVIEWERS),
    "actionplans:review_detail": (lambda w: [w["bergen"].pk, "atp"], BERGEN_REVIEW),
    "actionplans:cross_review": (lambda w: [w["bergen"].pk], BERGEN_REVIEW),
    "actionplans:draft_inline": (
        lambda w: [w["bergen"].submitted_draft_id],
        everyone(OK, contact_oslo=NOT_FOUND, outsider=NOT_FOUND),
    ),
    # Actions that only take POST; their permissions are tested in tests/actionplans/test_reviews.py.
    "actionplans:review_save": (lambda w: [w["bergen"].pk, "atp"], POST_ONLY),
    "actionplans:comment_add": (lambda w: [w["bergen"].pk, "atp"], POST_ONLY),
    "actionplans:measure_link": (lambda w: [w["bergen"].pk], POST_ONLY),
    "actionplans:measure_candidate": (lambda w: [w["measure"].pk], POST_ONLY),
    "actionplans:comment_reply": (lambda w: [w["comment"].pk], POST_ONLY),
    "actionplans:comment_resolve": (lambda w: [w["comment"].pk], POST_ONLY),
    # Agreements: the management and the theme's reviewers edit; parties (Bergen, KS) read.
    "agreements:pipeline": (lambda w: [], everyone(OK, outsider=FORBIDDEN)),
    "agreements:agreement_create": (lambda w: [], everyone(FORBIDDEN, coordinator=OK, manager=OK)),
    "agreements:agreement_detail": (lambda w: [w["agreement"].pk], AGREEMENT_READ),
    "agreements:agreement_update": (lambda w: [w["agreement"].pk], AGREEMENT_EDIT),
    # The page that asks first (or says why not: the world's agreement has a document).
    "agreements:agreement_delete": (lambda w: [w["agreement"].pk], AGREEMENT_EDIT),
    "agreements:agreement_status": (lambda w: [w["agreement"].pk], POST_ONLY),
    "agreements:document_upload": (lambda w: [w["agreement"].pk], AGREEMENT_EDIT),
    "agreements:document_download": (lambda w: [w["agreement_document"].pk], AGREEMENT_READ),
    # What the state offers (tests/state/ has each rule's cases).
    "state:register": (lambda w: [], everyone(OK, outsider=FORBIDDEN)),
    "state:instrument_create": (lambda w: [], everyone(FORBIDDEN, manager=OK, partner=OK)),
    "state:instrument_detail": (lambda w: [state_world(w)["instrument"].pk], everyone(OK, outsider=NOT_FOUND)),
    "state:instrument_update": (lambda w: [state_world(w)["instrument"].pk], STATE_KEEPERS),
    # Bergen asks for its submitted programme, its coordinator and the management on its behalf; KS only reads it.
    "state:request_create": (
        lambda w: [w["bergen"].pk],
        everyone(FORBIDDEN, contact_bergen=OK, coordinator=OK, manager=OK, contact_oslo=NOT_FOUND, outsider=NOT_FOUND),
    ),
    "state:request_detail": (lambda w: [state_world(w)["request"].pk], STATE_REQUEST),
    "state:request_acknowledge": (lambda w: [state_world(w)["request"].pk], POST_ONLY),
    "state:request_offer": (lambda w: [state_world(w)["request"].pk], POST_ONLY),
    "state:request_refer": (lambda w: [state_world(w)["request"].pk], POST_ONLY),
    "state:request_refuse": (lambda w: [state_world(w)["request"].pk], POST_ONLY),
    "state:request_withdraw": (lambda w: [state_world(w)["request"].pk], POST_ONLY),
    "state:request_publish": (lambda w: [offered_request(w).pk], POST_ONLY),
    # An offer becomes an agreement by the management and by the coordinator who raised the request.
    "state:request_agreement": (
        lambda w: [offered_request(w).pk],
        everyone(NOT_FOUND, contact_bergen=FORBIDDEN, partner=FORBIDDEN, coordinator=OK, manager=OK),
    ),
    "state:reminder_steps": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    "state:body_requests": (lambda w: [state_world(w)["body"].pk], everyone(FORBIDDEN, partner=OK, manager=OK)),
    "state:city_requests": (lambda w: ["bergen"], everyone(FORBIDDEN, contact_bergen=OK, manager=OK)),
    "state:overview": (lambda w: [], everyone(FORBIDDEN, manager=OK, partner=OK)),
    # Meetings; POST-only actions are tested in tests/meetings/.
    "meetings:meeting_list": (lambda w: [], everyone(OK, outsider=FORBIDDEN)),
    "meetings:meeting_create": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    "meetings:recipe": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    "meetings:meeting_detail": (lambda w: [gathering(w)["meeting"].pk], GATHERING),
    "meetings:meeting_update": (lambda w: [gathering(w)["meeting"].pk], ORGANISERS),
    "meetings:agenda_create": (lambda w: [gathering(w)["meeting"].pk], ORGANISERS),
    "meetings:agenda_update": (lambda w: [gathering(w)["item"].pk], ORGANISERS),
    "meetings:agenda_delete": (lambda w: [gathering(w)["item"].pk], ORGANISERS),
    "meetings:invitation_list": (lambda w: [gathering(w)["meeting"].pk], ORGANISERS),
    "meetings:minutes_edit": (lambda w: [gathering(w)["meeting"].pk], ORGANISERS),
    "meetings:minutes_pdf": (lambda w: [published_minutes(w).meeting_id], GATHERING),
    "meetings:feedback_summary": (lambda w: [gathering(w)["meeting"].pk], ORGANISERS),
    "meetings:attachment_upload": (
        lambda w: [gathering(w)["meeting"].pk],
        everyone(NOT_FOUND, contact_oslo=OK, contact_bergen=FORBIDDEN, partner=FORBIDDEN, manager=OK),
    ),
    "meetings:attachment_download": (lambda w: [gathering(w)["attachment"].pk], GATHERING),
    "meetings:feedback": (
        lambda w: [gathering(w)["meeting"].pk],
        everyone(NOT_FOUND, contact_oslo=FORBIDDEN, contact_bergen=OK, partner=FORBIDDEN, manager=FORBIDDEN),
    ),
    "meetings:register": (lambda w: [gathering(w)["meeting"].pk], POST_ONLY),
    "meetings:attendance": (lambda w: [gathering(w)["meeting"].pk], POST_ONLY),
    "meetings:attachment_delete": (lambda w: [gathering(w)["attachment"].pk], POST_ONLY),
    "meetings:minutes_approve": (lambda w: [gathering(w)["meeting"].pk], POST_ONLY),
    "meetings:minutes_publish": (lambda w: [gathering(w)["meeting"].pk], POST_ONLY),
    "meetings:checklist_tick": (lambda w: [gathering(w)["task"].pk], POST_ONLY),
    # The person's own profile and password: every logged-in person, always their own.
    "accounts:profile": (lambda w: [], everyone(OK)),
    "accounts:password_change": (lambda w: [], everyone(OK)),
    "accounts:password_change_done": (lambda w: [], everyone(OK)),
    # Two-factor: set-up for anyone; the code page with nothing pending goes on (home); recovery codes and
    # removal without a device go back to the profile. Their cases are in tests/accounts/test_two_factor.py.
    "accounts:two_factor_setup": (lambda w: [], everyone(OK)),
    "accounts:two_factor_verify": (lambda w: [], everyone(REDIRECT)),
    "accounts:two_factor_recovery_codes": (lambda w: [], everyone(REDIRECT)),
    "accounts:two_factor_remove": (lambda w: [], everyone(REDIRECT)),
    # The security log and unlocking are the management's (tests/accounts/).
    "accounts:security_log": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    "accounts:security_log_csv": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    "accounts:unlock": (lambda w: [], POST_ONLY),
    # Password reset: for anyone, logged in or not; a link with a bad token says so (tests/accounts/).
    "accounts:password_reset": (lambda w: [], everyone(OK, anonymous=OK)),
    "accounts:password_reset_done": (lambda w: [], everyone(OK, anonymous=OK)),
    "accounts:password_reset_complete": (lambda w: [], everyone(OK, anonymous=OK)),
    "accounts:password_reset_confirm": (lambda w: ["MQ", "x-y"], everyone(OK, anonymous=OK)),
    # People: the list, a person's page and their export are the management's; who else may invite
    # (city contacts their own city's colleagues, network leaders their network's) is in tests/people/.
    "people:list": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    "people:export": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    "people:detail": (lambda w: [w["bergen"].city.memberships.get().user_id], everyone(FORBIDDEN, manager=OK)),
    "people:invite": (lambda w: [], everyone(FORBIDDEN, contact_oslo=OK, contact_bergen=OK, manager=OK)),
    "people:role_add": (lambda w: [1], POST_ONLY),
    "people:role_end": (lambda w: [1], POST_ONLY),
    "people:set_active": (lambda w: [1], POST_ONLY),
    "people:two_factor_reset": (lambda w: [1], POST_ONLY),
    "people:invitation_resend": (lambda w: [1], POST_ONLY),
    "people:invitation_withdraw": (lambda w: [1], POST_ONLY),
    # The invitation's link is its key (the person has no login yet); real links are in tests/people/.
    "people:accept": (lambda w: ["no-such-key"], everyone(NOT_FOUND, anonymous=NOT_FOUND, superuser=NOT_FOUND)),
    # Messages to many: the management and network leaders (tests/people/test_messages.py).
    "people:message_list": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    "people:message_compose": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    "people:message_detail": (lambda w: [sent_message(w)], everyone(FORBIDDEN, manager=OK)),
    # The outbox is the management's.
    "outbox:list": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    "outbox:detail": (lambda w: [refused_mail(w)], everyone(FORBIDDEN, manager=OK)),
    "outbox:resend": (lambda w: [1], POST_ONLY),
    # The emission statistics are imported by the management (tests/emissions/test_page.py).
    "emissions:imports": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    # Results: everyone in the programme lists the reporting rounds; the management opens them and sets their
    # reminders; Bergen's draft report is Bergen's to write (the management reads it); more time is the
    # management's to decide (tests/results/ has each rule's cases).
    "results:round_list": (lambda w: [], everyone(OK, outsider=FORBIDDEN)),
    "results:round_create": (lambda w: [], everyone(FORBIDDEN, manager=OK)),
    "results:round_detail": (round_slug, everyone(OK, outsider=FORBIDDEN)),
    "results:round_steps": (round_slug, everyone(FORBIDDEN, manager=OK)),
    "results:report_detail": (bergen_report, everyone(NOT_FOUND, contact_bergen=OK, manager=OK)),
    "results:report_reopen": (bergen_report, POST_ONLY),
    "results:extension_request": (bergen_report, everyone(NOT_FOUND, contact_bergen=OK, manager=FORBIDDEN)),
    "results:extension_decide": (pending_extension, everyone(FORBIDDEN, manager=OK)),
    # The read-only API: its schema, docs and each endpoint (every other method is 405: tests/api/).
    "api:schema": (lambda w: [], everyone(OK, anonymous=UNAUTHORIZED)),
    "api:docs": (lambda w: [], everyone(OK)),
    # Personal API tokens: one's own only, superusers included.
    "api:tokens": (lambda w: [], everyone(OK)),
    "api:token_revoke": (lambda w: [api_token(w).pk], everyone(NOT_FOUND, manager=OK, superuser=NOT_FOUND)),
    "api:city-list": (lambda w: [], API_READ),
    "api:city-detail": (lambda w: [w["bergen"].city_id], API_READ),
    "api:theme-list": (lambda w: [], API_READ),
    "api:theme-detail": (lambda w: [w["atp"].pk], API_READ),
    "api:round-list": (lambda w: [], API_READ),
    "api:round-detail": (lambda w: [w["oslo"].round_id], API_READ),
    "api:programme-list": (lambda w: [], API_READ),
    "api:programme-detail": (lambda w: [w["oslo"].pk], API_OSLO),
    "api:programme-document-list": (lambda w: [w["oslo"].pk], API_OSLO),
    "api:programme-document-detail": (lambda w: [w["oslo"].pk, w["draft"].pk], API_OSLO),
    "api:programme-document-download": (lambda w: [w["oslo"].pk, w["draft"].pk], API_OSLO),
    "api:measure-list": (lambda w: [], API_READ),
    "api:measure-detail": (lambda w: [w["measure"].pk], API_OSLO),
    "api:review-list": (lambda w: [], API_READ),
    # Bergen's land-use review in progress: its reviewers read it; the city once the comments are sent.
    "api:review-detail": (lambda w: [w["comment"].review_id], api(NOT_FOUND, coordinator=OK, manager=OK)),
    "api:agreement-list": (lambda w: [], API_READ),
    "api:agreement-detail": (
        lambda w: [w["agreement"].pk],
        api(NOT_FOUND, coordinator=OK, manager=OK, contact_bergen=OK, partner=OK),
    ),
    "api:meeting-list": (lambda w: [], API_READ),
    "api:meeting-detail": (lambda w: [gathering(w)["meeting"].pk], API_GATHERING),
    "api:minutes-list": (lambda w: [], API_READ),
    "api:minutes-detail": (lambda w: [published_minutes(w).pk], API_GATHERING),
    "api:instrument-list": (lambda w: [], API_READ),
    "api:instrument-detail": (lambda w: [state_world(w)["instrument"].pk], API_READ),
    # Bergen's submitted programme: readable by readers, reopened only by the management.
    "actionplans:programme_reopen": (
        lambda w: [w["bergen"].pk],
        everyone(FORBIDDEN, contact_oslo=NOT_FOUND, outsider=NOT_FOUND, manager=OK),
    ),
}

# The admin site checks staff status itself; its index row stands for all of it.
DELEGATED_NAMESPACES = {"admin"}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"


def test_every_url_pattern_has_a_row():
    names = {n for n in url_names() if n.split(":")[0] not in DELEGATED_NAMESPACES}
    assert names == set(MATRIX) - {"admin:index"}


CASES = [(name, persona) for name in MATRIX for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_authorization(client, world, users, name, persona):
    """The world (tests/security/conftest.py) is built once for the module; each case runs in a
    savepoint inside it, so every persona exists in every case ("another user's object" is real)."""
    build_args, expected_by_persona = MATRIX[name]
    expected = expected_by_persona[persona]
    if persona != "anonymous":
        client.force_login(users[persona])
    url = reverse(name, args=build_args(world))

    response = client.get(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
    elif expected == "admin_login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected


def test_forbidden_posts_change_nothing(client, world, users):
    atp = world["atp"]
    before = (world["oslo"].drafts.count(), Measure.objects.count())
    for user in [users["contact_bergen"], users["partner"], users["coordinator"]]:
        client.force_login(user)
        for name, key in [
            ("actionplans:programme_submit", "oslo"),
            ("actionplans:measure_delete", "measure"),
            ("actionplans:measure_create", "oslo"),
        ]:
            response = client.post(reverse(name, args=[world[key].pk]), {"theme_area": atp.pk, "title": "x"})
            # Oslo's programme is a draft: none of them may see it, so it is not found.
            assert (user.username, name, response.status_code) == (user.username, name, 404)
    world["oslo"].refresh_from_db()
    assert (world["oslo"].drafts.count(), Measure.objects.count()) == before
    assert world["oslo"].status == "draft"
