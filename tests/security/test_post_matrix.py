"""The authorization matrix for POST: every URL that accepts POST, and what each persona gets there.

Beside the matrix's personas, a network leader of another theme (energy) and a partner that is party to no
agreement (Enova). A refused POST must answer exactly as the view's rule says and change nothing stored
(every table but the sessions is compared); an allowed one does what it is for. A URL that accepts POST
without its row here fails `test_every_post_url_has_a_row`.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actionplans import services
from actionplans.models import ActionProgramme, ExtensionRequest, Measure
from agreements import services as agreement_services
from agreements.models import Agreement
from meetings.models import ChecklistTemplateItem, Minutes
from people.models import AccountInvitation, new_token, token_digest
from tests import factories
from tests.conftest import upload
from tests.files import make_pdf
from tests.portal.test_authorization_matrix import (
    DELEGATED_NAMESPACES,
    MATRIX,
    PERSONAS,
    api_token,
    offered_request,
    published_round,
    refused_mail,
    state_world,
    url_names,
)
from tests.results.matrix import (
    bergen_report,
    pending_extension,
    report_data,
    round_data,
    round_slug,
    submitted_report_data,
)
from tests.security.conftest import ALL_PERSONAS, fingerprint

LOGIN = "login"  # a redirect to the login page, nothing stored
DONE = "done"  # a redirect after the change was stored
KEPT = "kept"  # a redirect, nothing stored (a choice the view refuses with a message, or nothing to do)
SHOWN = "shown"  # the page again (200), nothing stored
FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 403, 404, 405


def everyone(result, anonymous=LOGIN, **overrides):
    """`result` for every persona; the superuser passes every permission check."""
    row = {persona: result for persona in ALL_PERSONAS}
    row["anonymous"] = anonymous
    row["superuser"] = DONE if result in (FORBIDDEN, NOT_FOUND) else result
    row.update(overrides)
    return row


def pdf_file(name="dokument.pdf"):
    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


def statistics_file():
    """A CSV of the municipal emission statistics, one row of Oslo's."""
    text = "Kommunenummer;År;Sektor;Utslippskilde;Klimagass;Utslipp (tonn CO2-ekvivalenter)\r\n"
    text += "0301;2021;Veitrafikk;Personbiler;Karbondioksid (CO2);100,5\r\n"
    return SimpleUploadedFile("utslipp.csv", text.encode(), content_type="text/csv")


def pk(w, key):
    return w[key].pk


# Oslo's draft programme: its contact edits it; the management and the other readers may not, others do not see it.
OSLO_EDIT = everyone(NOT_FOUND, contact_oslo=DONE, manager=FORBIDDEN)
MANAGEMENT = everyone(FORBIDDEN, manager=DONE)
# Bergen's submitted programme in the land-use theme: the theme's coordinator and the management review it;
# its contacts and the partners read it; Oslo and the outsider do not see it.
BERGEN_REVIEW = everyone(FORBIDDEN, coordinator=DONE, manager=DONE, contact_oslo=NOT_FOUND, outsider=NOT_FOUND)
# The programme's cross-theme review and the links between its measures are the management's.
BERGEN_CROSS = everyone(FORBIDDEN, contact_oslo=NOT_FOUND, outsider=NOT_FOUND, manager=DONE)
# The agreement: the management and the land-use reviewers edit; parties (Bergen, KS) read; others do not see it.
AGREEMENT_EDIT = everyone(NOT_FOUND, coordinator=DONE, manager=DONE, contact_bergen=FORBIDDEN, partner=FORBIDDEN)
# The gathering (hosted by Oslo, Bergen and KS invited): organised by the management.
ORGANISERS = everyone(NOT_FOUND, contact_oslo=FORBIDDEN, contact_bergen=FORBIDDEN, partner=FORBIDDEN, manager=DONE)


def gathering(w):
    return w["gathering"]["meeting"].pk


def fresh_agreement(w):
    """An agreement started by mistake, in the land-use theme, Bergen and KS its parties: nothing but its creation."""
    agreement, created = Agreement.objects.get_or_create(
        title="Startet ved en feil", defaults={"kind": "pilot_project", "created_by": w["users"]["manager"]}
    )
    if created:
        agreement.theme_areas.set([w["atp"]])
        partner = w["users"]["partner"].memberships.get().organisation
        agreement_services.set_parties(agreement, cities=[w["bergen"].city], organisations=[partner])
    return agreement.pk


def minutes_data(w):
    return {
        "main_points": "Nye hovedpunkter",
        "decisions-TOTAL_FORMS": "0",
        "decisions-INITIAL_FORMS": "0",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }


def meeting_data(w):
    return {
        "kind": "coordination_group",
        "title": "Koordineringsgruppe",
        "starts_at": "2030-05-02T10:00",
        "ends_at": "2030-05-02T12:00",
        "status": "planned",
        "feedback_days": "14",
    }


def recipe_data(w):
    item = ChecklistTemplateItem.objects.get()
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(item.pk),
        "form-0-order": "1",
        "form-0-text": "Lokale og servering",
        "form-0-active": "on",
    }


def shared_oslo_note(w):
    """Oslo's draft, shared with the coordinators; a note on it."""
    ActionProgramme.objects.filter(pk=w["oslo"].pk).update(sharing=True, shared_at=timezone.now())
    return {"text": "Et innspill"}


def carry_over_data(w):
    """Oslo's submitted programme of an earlier round, with one measure (made in the test's own transaction, once)."""
    measure = Measure.objects.filter(programme__round__slug="handlingsprogram-2026", programme__city=w["oslo"].city)
    if not measure.exists():
        round_ = factories.RoundFactory(
            name="Handlingsprogram 2026", slug="handlingsprogram-2026", deadline__due_date=datetime.date(2026, 1, 15)
        )
        earlier = factories.ProgrammeFactory(round=round_, city=w["oslo"].city)
        factories.MeasureFactory(programme=earlier, theme_area=w["atp"], title="Sykkelveier")
        upload(earlier, w["users"]["contact_oslo"])
        services.submit_programme(earlier, by=w["users"]["contact_oslo"])
    return {f"m{measure.get().pk}-choice": "keep"}


def extension_data(w):
    # A city has one request waiting at a time: the world's is decided first.
    ExtensionRequest.objects.filter(pk=w["extension"].pk).update(status="declined")
    return {"new_date": "2030-02-10", "reason": "Kommunevalg"}


def agenda_data(w, **values):
    at = timezone.localtime(w["gathering"]["meeting"].starts_at) + datetime.timedelta(hours=1)
    return {"starts_at": at.strftime("%Y-%m-%dT%H:%M"), "kind": "discussion", "title": "Diskusjon", **values}


def invite_data(w):
    """A second contact for Oslo: Oslo's contact and the management may invite them."""
    return {
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": "kari@oslo.kommune.no",
        "language": "nb",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-0-role": "city_contact",
        "roles-0-city": str(w["oslo"].city_id),
    }


def bergen_contact(w):
    return w["users"]["contact_bergen"]


def open_invitation(w):
    """An invitation the management sent (made in the test's own transaction, once for all personas)."""
    person, _created = get_user_model().objects.get_or_create(
        username="invitert@example.org", defaults={"email": "invitert@example.org"}
    )
    invitation = AccountInvitation.objects.filter(user=person).first() or AccountInvitation.objects.create(
        user=person,
        invited_by=w["users"]["manager"],
        sent_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    return [invitation.pk]


def invitation_link(w):
    """The secret of an open invitation's link (the invitation made in the test's own transaction)."""
    invitation = AccountInvitation.objects.get(pk=open_invitation(w)[0])
    token = new_token()
    AccountInvitation.objects.filter(pk=invitation.pk).update(token_digest=token_digest(token))
    return [token]


def instrument_data(w):
    return {
        "body": state_world(w)["body"].pk,
        "name_nb": "Veiledning om overvann",
        "kind": "guidance",
        "offers_nb": "Rådgivning",
        "link": "https://www.nve.no",
        "active": "on",
    }


def state_request(w):
    return [state_world(w)["request"].pk]


def enova(w):
    return w["users"]["partner_other"].memberships.get().organisation


# Bergen's request to KS, still asked: KS's partner and the management answer it; Bergen reads it, and withdraws it.
STATE_ANSWER = everyone(NOT_FOUND, partner=DONE, manager=DONE, contact_bergen=FORBIDDEN)


# url name -> (its arguments from the world, the POST data from the world, the outcome per persona)
POST_MATRIX = {
    "people:invite": (
        lambda w: [],
        invite_data,
        everyone(FORBIDDEN, contact_oslo=DONE, manager=DONE, contact_bergen=SHOWN, leader_energy=SHOWN),
    ),
    "people:role_add": (
        lambda w: [bergen_contact(w).pk],
        lambda w: {"role": "coordinator", "theme_area": str(w["atp"].pk)},
        MANAGEMENT,
    ),
    "people:role_end": (lambda w: [bergen_contact(w).memberships.get().pk], lambda w: {}, MANAGEMENT),
    "people:set_active": (lambda w: [bergen_contact(w).pk], lambda w: {"active": "0"}, MANAGEMENT),
    "people:invitation_resend": (open_invitation, lambda w: {}, everyone(NOT_FOUND, manager=DONE)),
    "people:invitation_withdraw": (open_invitation, lambda w: {}, everyone(NOT_FOUND, manager=DONE)),
    "people:two_factor_reset": (
        lambda w: [bergen_contact(w).pk],
        lambda w: {},
        everyone(FORBIDDEN, manager=KEPT, superuser=KEPT),
    ),
    "accounts:profile": (
        lambda w: [],
        lambda w: {
            "first_name": "Kari",
            "last_name": "Nordmann",
            "email": "kari.nordmann@example.org",
            "language": "en",
        },
        everyone(DONE),
    ),
    "accounts:password_change": (
        lambda w: [],
        lambda w: {"old_password": "pw", "new_password1": "Gr0nn-by-2030!", "new_password2": "Gr0nn-by-2030!"},
        everyone(DONE),
    ),
    # A code for a key never shown, with nothing pending, or without a device: nothing to do.
    "accounts:two_factor_setup": (lambda w: [], lambda w: {"code": "123456"}, everyone(KEPT)),
    "accounts:two_factor_verify": (lambda w: [], lambda w: {"code": "123456"}, everyone(KEPT)),
    "accounts:two_factor_recovery_codes": (lambda w: [], lambda w: {}, everyone(KEPT)),
    "accounts:two_factor_remove": (lambda w: [], lambda w: {"code": "123456"}, everyone(KEPT)),
    # Unlocking forgets failed logins (not compared: the lockout's own table) and logs who did it.
    "accounts:unlock": (
        lambda w: [],
        lambda w: {"username": "kontakt-bergen"},
        everyone(FORBIDDEN, manager=KEPT, superuser=KEPT),
    ),
    # The page says the same to everyone; the reset mail for the address's account is queued in the outbox.
    "accounts:password_reset": (
        lambda w: [],
        lambda w: {"email": "kontakt-oslo@example.org"},
        everyone(DONE, anonymous=DONE),
    ),
    # Sending a refused mail again is the management's.
    "outbox:resend": (lambda w: [refused_mail(w)], lambda w: {}, MANAGEMENT),
    # Importing the emission statistics is the management's.
    "emissions:imports": (lambda w: [], lambda w: {"file": statistics_file()}, MANAGEMENT),
    # A network leader may write only to their own network: to all city contacts, the form says no.
    "people:message_compose": (
        lambda w: [],
        lambda w: {"audience": "city_contacts", "subject_nb": "Til alle", "body_nb": "Hei", "action": "send"},
        everyone(FORBIDDEN, manager=DONE, leader_energy=SHOWN),
    ),
    "accounts:password_reset_confirm": (
        lambda w: ["MQ", "x-y"],
        lambda w: {"new_password1": "Gr0nn-by-2030!", "new_password2": "Gr0nn-by-2030!"},
        everyone(SHOWN, anonymous=SHOWN),
    ),
    # The invitation's link is its key: whoever holds it sets the invited person's password.
    "people:accept": (
        invitation_link,
        lambda w: {"new_password1": "Gr0nn-by-2030!", "new_password2": "Gr0nn-by-2030!"},
        everyone(DONE, anonymous=DONE),
    ),
    "login": (
        lambda w: [],
        lambda w: {"username": "kontakt-oslo", "password": "wrong"},
        everyone(KEPT, anonymous=SHOWN),
    ),
    "logout": (lambda w: [], lambda w: {}, everyone(KEPT, anonymous=KEPT)),
    "set_language": (lambda w: [], lambda w: {"language": "en"}, everyone(DONE, anonymous=KEPT)),
    "calendar_settings": (lambda w: [], lambda w: {}, everyone(DONE)),
    "actionplans:draft_upload": (
        lambda w: [pk(w, "oslo")],
        lambda w: {"file": pdf_file(), "note": "Ny versjon"},
        OSLO_EDIT,
    ),
    "actionplans:measure_create": (
        lambda w: [pk(w, "oslo")],
        lambda w: {"theme_area": w["atp"].pk, "title": "Nytt tiltak", "status": "planned"},
        OSLO_EDIT,
    ),
    "actionplans:measure_update": (
        lambda w: [pk(w, "measure")],
        lambda w: {"theme_area": w["atp"].pk, "title": "Endret tiltak", "status": "ongoing"},
        OSLO_EDIT,
    ),
    "actionplans:measure_delete": (lambda w: [pk(w, "measure")], lambda w: {}, OSLO_EDIT),
    # Oslo's contact keeps a measure of Oslo's earlier programme in the draft one.
    "actionplans:carry_over": (lambda w: [pk(w, "oslo")], carry_over_data, OSLO_EDIT),
    # The land-use reviewers and the management assess the effect of Bergen's land-use measure; the energy leader not.
    "actionplans:measure_assess": (
        lambda w: [pk(w, "bergen_measure")],
        lambda w: {"assessed_effect": "12,5", "assessed_reason": "Beregnet på nytt"},
        BERGEN_REVIEW,
    ),
    "actionplans:programme_submit": (lambda w: [pk(w, "oslo")], lambda w: {}, OSLO_EDIT),
    "actionplans:programme_share": (lambda w: [pk(w, "oslo")], lambda w: {"share": "yes"}, OSLO_EDIT),
    # Oslo shares its draft: the theme staff and the management note on it, the city reads.
    "actionplans:draft_note_add": (
        lambda w: [pk(w, "oslo")],
        shared_oslo_note,
        everyone(NOT_FOUND, contact_oslo=FORBIDDEN, coordinator=DONE, leader_energy=DONE, manager=DONE),
    ),
    "actionplans:programme_reopen": (
        lambda w: [pk(w, "bergen")],
        lambda w: {"comment": "Mangler tiltak"},
        everyone(FORBIDDEN, contact_oslo=NOT_FOUND, outsider=NOT_FOUND, manager=DONE),
    ),
    "actionplans:extension_request": (
        lambda w: [pk(w, "oslo")],
        extension_data,
        OSLO_EDIT,
    ),
    "actionplans:round_extend": (
        lambda w: [w["oslo"].round_id],
        lambda w: {"new_date": "2030-02-15", "reason": "For alle"},
        MANAGEMENT,
    ),
    "actionplans:round_steps": (lambda w: [w["oslo"].round_id], lambda w: {"offsets": "-7, 0, 1"}, MANAGEMENT),
    "actionplans:extension_decide": (
        lambda w: [pk(w, "extension")],
        lambda w: {"decision": "approve", "comment": ""},
        MANAGEMENT,
    ),
    "actionplans:review_save": (
        lambda w: [pk(w, "bergen"), "atp"],
        lambda w: {"assessment": "Godt gjennomarbeidet", "status": "in_progress"},
        BERGEN_REVIEW,
    ),
    "actionplans:comment_add": (
        lambda w: [pk(w, "bergen"), "atp"],
        lambda w: {"measure": "", "text": "Kommentar"},
        BERGEN_REVIEW,
    ),
    "actionplans:cross_review": (
        lambda w: [pk(w, "bergen")],
        lambda w: {"assessment": "Samlet vurdering", "status": "in_progress"},
        BERGEN_CROSS,
    ),
    "actionplans:measure_link": (
        lambda w: [pk(w, "bergen")],
        lambda w: {"source": w["bergen_measure"].pk, "target": w["bergen_measure_energy"].pk, "note": "Henger sammen"},
        BERGEN_CROSS,
    ),
    "actionplans:measure_candidate": (
        lambda w: [pk(w, "bergen_measure")],
        lambda w: {"kind": "pilot_project"},
        BERGEN_REVIEW,
    ),
    "actionplans:comment_reply": (lambda w: [pk(w, "comment")], lambda w: {"text": "Svar"}, BERGEN_REVIEW),
    "actionplans:comment_resolve": (lambda w: [pk(w, "comment")], lambda w: {"version": "none"}, BERGEN_REVIEW),
    "agreements:agreement_create": (
        lambda w: [],
        lambda w: {"title": "Pilot", "kind": "pilot_project", "theme_areas": [w["atp"].pk]},
        # A network leader may start one in its own theme only: land use is not a choice it has.
        everyone(FORBIDDEN, coordinator=DONE, manager=DONE, leader_energy=SHOWN),
    ),
    "agreements:agreement_update": (
        lambda w: [pk(w, "agreement")],
        lambda w: {"title": "Ny tittel", "kind": "long_term_economic", "theme_areas": [w["atp"].pk]},
        AGREEMENT_EDIT,
    ),
    # Deleting one started by mistake, which has nothing but its creation, is its editors'.
    "agreements:agreement_delete": (lambda w: [fresh_agreement(w)], lambda w: {}, AGREEMENT_EDIT),
    "agreements:agreement_status": (
        lambda w: [pk(w, "agreement")],
        lambda w: {"to_status": "in_preparation", "comment": ""},
        # Moving an agreement along its pipeline is the management's.
        {**AGREEMENT_EDIT, "coordinator": FORBIDDEN},
    ),
    "agreements:document_upload": (
        lambda w: [pk(w, "agreement")],
        lambda w: {"file": pdf_file("avtale.pdf"), "kind": "signed", "note": ""},
        AGREEMENT_EDIT,
    ),
    # KS's partner keeps KS's instruments; Enova's may not choose KS as the body (the form says so).
    "state:instrument_create": (
        lambda w: [],
        instrument_data,
        everyone(FORBIDDEN, manager=DONE, partner=DONE, partner_other=SHOWN),
    ),
    "state:instrument_update": (
        lambda w: [state_world(w)["instrument"].pk],
        instrument_data,
        everyone(FORBIDDEN, manager=DONE, partner=DONE, outsider=NOT_FOUND),
    ),
    # Bergen asks for its submitted programme; the reviewers may on its behalf (the energy leader for the whole).
    "state:request_create": (
        lambda w: [pk(w, "bergen")],
        lambda w: {"body": state_world(w)["body"].pk, "need": "Veiledning om innfartsparkering"},
        everyone(
            FORBIDDEN,
            contact_bergen=DONE,
            coordinator=DONE,
            manager=DONE,
            leader_energy=DONE,
            contact_oslo=NOT_FOUND,
            outsider=NOT_FOUND,
        ),
    ),
    "state:request_acknowledge": (state_request, lambda w: {"acknowledge-comment": "Vi ser på det"}, STATE_ANSWER),
    "state:request_offer": (
        state_request,
        lambda w: {"offer-offer": "Tilskudd", "offer-offer_amount": "2 000 000"},
        STATE_ANSWER,
    ),
    "state:request_refer": (state_request, lambda w: {"refer-referred_body": enova(w).pk}, STATE_ANSWER),
    "state:request_refuse": (state_request, lambda w: {"refuse-refusal_reason": "Utenfor ordningen"}, STATE_ANSWER),
    "state:request_withdraw": (
        state_request,
        lambda w: {},
        everyone(NOT_FOUND, contact_bergen=DONE, partner=FORBIDDEN, manager=FORBIDDEN),
    ),
    # The offer made an agreement of: by the management, and by the coordinator who raised the request (in its theme).
    "state:request_agreement": (
        lambda w: [offered_request(w).pk],
        lambda w: {"title": "Avtale om bybanen", "kind": "long_term_economic", "theme_areas": [w["atp"].pk]},
        everyone(NOT_FOUND, contact_bergen=FORBIDDEN, partner=FORBIDDEN, coordinator=DONE, manager=DONE),
    ),
    # An offer published for every city by its body's partners and the management; the city and the coordinator who
    # raised it read the request, and may not.
    "state:request_publish": (
        lambda w: [offered_request(w).pk],
        lambda w: {"publish": "publish"},
        everyone(NOT_FOUND, partner=DONE, manager=DONE, contact_bergen=FORBIDDEN, coordinator=FORBIDDEN),
    ),
    "state:reminder_steps": (lambda w: [], lambda w: {"days": "10, 20"}, MANAGEMENT),
    # Results: the management opens rounds, sets their reminders, gives a submitted report back and decides
    # on more time; Bergen writes its draft report and asks for more time (the management reads it only).
    "results:round_create": (lambda w: [], round_data, MANAGEMENT),
    "results:round_steps": (round_slug, lambda w: {"offsets": "-10, 0"}, MANAGEMENT),
    "results:report_detail": (
        bergen_report,
        report_data,
        everyone(NOT_FOUND, contact_bergen=DONE, manager=FORBIDDEN),
    ),
    "results:report_reopen": (
        bergen_report,
        submitted_report_data,
        everyone(NOT_FOUND, manager=DONE, contact_bergen=FORBIDDEN, coordinator=FORBIDDEN, leader_energy=FORBIDDEN),
    ),
    "results:extension_request": (
        bergen_report,
        lambda w: {"new_date": "2030-06-01", "reason": "Valg"},
        everyone(NOT_FOUND, contact_bergen=DONE, manager=FORBIDDEN),
    ),
    "results:extension_decide": (pending_extension, lambda w: {"decision": "approve"}, MANAGEMENT),
    # A network leader plans its own network's gatherings, not a coordination group meeting.
    # The status report of a large round is built in the background when the management asks for it.
    "report_job_start": (lambda w: [], lambda w: {"round": w["oslo"].round.slug}, MANAGEMENT),
    # A large XLSX export is built in the background for whoever may export the list: the reviews, for the reviewers.
    "export_job_start": (
        lambda w: [],
        lambda w: {"table": "reviews", "round": w["oslo"].round.slug},
        everyone(FORBIDDEN, coordinator=DONE, manager=DONE, leader_energy=DONE),
    ),
    "meetings:meeting_create": (lambda w: [], meeting_data, {**MANAGEMENT, "leader_energy": SHOWN}),
    "meetings:recipe": (lambda w: [], recipe_data, MANAGEMENT),
    "meetings:meeting_update": (
        lambda w: [gathering(w)],
        lambda w: {**meeting_data(w), "kind": "network_gathering", "status": "held"},
        ORGANISERS,
    ),
    "meetings:agenda_create": (
        lambda w: [gathering(w)],
        agenda_data,
        ORGANISERS,
    ),
    "meetings:agenda_update": (
        lambda w: [w["gathering"]["item"].pk],
        lambda w: agenda_data(w, kind="plenary", title="Plenum og lunsj"),
        ORGANISERS,
    ),
    "meetings:agenda_delete": (lambda w: [w["gathering"]["item"].pk], lambda w: {}, ORGANISERS),
    "meetings:invitation_list": (
        lambda w: [gathering(w)],
        lambda w: {"users": [w["users"]["coordinator"].pk]},
        ORGANISERS,
    ),
    "meetings:attendance": (
        lambda w: [gathering(w)],
        lambda w: {"attended": [i.pk for i in w["gathering"]["meeting"].invitations.all()]},
        ORGANISERS,
    ),
    "meetings:minutes_edit": (lambda w: [gathering(w)], minutes_data, ORGANISERS),
    "meetings:minutes_approve": (lambda w: [gathering(w)], lambda w: {}, ORGANISERS),
    # The world's minutes are a draft: publishing waits for their approval, with a message.
    "meetings:minutes_publish": (
        lambda w: [gathering(w)],
        lambda w: {},
        {**ORGANISERS, "manager": KEPT, "superuser": KEPT},
    ),
    "meetings:register": (
        lambda w: [pk(w, "planned")],
        lambda w: {"response": "attending"},
        # Only the invited answer: Bergen hosts nothing here, the management and the superuser were not invited.
        everyone(NOT_FOUND, contact_oslo=DONE, contact_bergen=FORBIDDEN, manager=FORBIDDEN, superuser=FORBIDDEN),
    ),
    "meetings:attachment_upload": (
        lambda w: [gathering(w)],
        lambda w: {"title": "Presentasjon", "file": pdf_file("presentasjon.pdf")},
        everyone(NOT_FOUND, contact_oslo=DONE, contact_bergen=FORBIDDEN, partner=FORBIDDEN, manager=DONE),
    ),
    "meetings:attachment_delete": (
        lambda w: [w["gathering"]["attachment"].pk],
        lambda w: {},
        ORGANISERS,
    ),
    "meetings:checklist_tick": (
        lambda w: [w["gathering"]["task"].pk],
        lambda w: {"done": "1"},
        everyone(NOT_FOUND, contact_oslo=DONE, contact_bergen=FORBIDDEN, partner=FORBIDDEN, manager=DONE),
    ),
    "meetings:feedback": (
        lambda w: [gathering(w)],
        lambda w: {
            "rating": "4",
            "pace": "right",
            "enough_discussion": "yes",
            "host_usefulness": "4",
            "comment": "Bra",
        },
        # Only participants answer the survey; the superuser, who was not there, is shown the page.
        everyone(
            NOT_FOUND,
            contact_oslo=FORBIDDEN,
            contact_bergen=DONE,
            partner=FORBIDDEN,
            manager=FORBIDDEN,
            superuser=SHOWN,
        ),
    ),
    # Personal API tokens: anyone logged in makes their own; one's own token only is revoked (the API itself
    # answers every POST with 405, for everyone: tests/api/test_authentication.py).
    "api:tokens": (lambda w: [], lambda w: {"name": "Skript", "scope": "programmes", "expires": "90"}, everyone(DONE)),
    "api:token_revoke": (
        lambda w: [api_token(w).pk],
        lambda w: {},
        everyone(NOT_FOUND, manager=DONE, superuser=NOT_FOUND),
    ),
    # Publishing the world's round as open data, and withdrawing it once published: the management's.
    "opendata:publish": (
        lambda w: [w["oslo"].round_id],
        lambda w: {"licence": "NLOD-2.0", "confirm": "on"},
        MANAGEMENT,
    ),
    "opendata:withdraw": (
        lambda w: [w["oslo"].round_id],
        lambda w: {"confirm": "on"} if published_round(w) else {},
        MANAGEMENT,
    ),
}

# Pages that only read: a POST there is answered as a GET is, and changes nothing stored for anyone.
READ_ONLY = {
    "home",
    "dashboard_chart",
    "export",
    "city_detail",
    "calendar_feed",
    "meetings:meeting_ics",
    "city_report",
    "report_job",
    "report_job_download",
    "export_job",
    "export_job_download",
    "favicon",
    "actionplans:programme_list",
    "actionplans:programme_detail",
    "actionplans:measure_detail",
    "actionplans:draft_download",
    "actionplans:round_detail",
    "actionplans:extension_list",
    "actionplans:reminder_log",
    "actionplans:review_grid",
    "actionplans:effect_totals",
    "actionplans:similar_measures",
    "actionplans:review_queue",
    "actionplans:theme_compare",
    "actionplans:review_detail",
    "actionplans:draft_inline",
    "agreements:pipeline",
    "agreements:agreement_detail",
    "agreements:document_download",
    "state:register",
    "state:instrument_detail",
    "state:request_detail",
    "state:body_requests",
    "state:city_requests",
    "state:overview",
    "results:round_list",
    "results:round_detail",
    "meetings:meeting_list",
    "meetings:meeting_detail",
    "meetings:minutes_pdf",
    "meetings:feedback_summary",
    "meetings:attachment_download",
    "outbox:list",
    "outbox:detail",
}


def published(w):
    """The matrix makes published minutes for its row; the world's gathering has its (draft) minutes already."""
    Minutes.objects.filter(pk=w["minutes"].pk).update(status="published", published_at=timezone.now())
    return [gathering(w)]


READ_ONLY_ARGS = {"meetings:minutes_pdf": published}


def _client(users, persona, **kwargs):
    client = Client(**kwargs)
    if persona != "anonymous":
        client.force_login(users[persona])
    return client


def _post(client, url, data):
    """POST in a savepoint that is rolled back: (status code, Location, whether anything stored changed)."""
    with transaction.atomic():
        before = fingerprint()
        response = client.post(url, data)
        changed = fingerprint() != before
        transaction.set_rollback(True)
    return response.status_code, response.get("Location", ""), changed


def _outcome(url, status, location, changed):
    if status == 302 and not changed:
        return LOGIN if location == f"{reverse('login')}?next={url}" else KEPT
    if status == 302:
        return DONE
    if status == 200:
        return "200, and something changed" if changed else SHOWN
    return f"{status}, and something changed" if changed else status


def test_every_post_url_has_a_row(world, users):
    """Every URL pattern refuses POST (405), or has its row in POST_MATRIX, or is a page that only reads."""
    accepting = set()
    for name in MATRIX:
        if name.split(":")[0] in DELEGATED_NAMESPACES:
            continue
        # A client of its own: a POST that rotates the session key (rolled back) must not log out the next.
        client = _client(users, "superuser")
        build_args = POST_MATRIX.get(name, (READ_ONLY_ARGS.get(name, MATRIX[name][0]),))[0]
        if _post(client, reverse(name, args=build_args(world)), {})[0] != NOT_ALLOWED:
            accepting.add(name)
    names = {n for n in url_names() if n.split(":")[0] not in DELEGATED_NAMESPACES}

    assert set(POST_MATRIX) | READ_ONLY <= names
    assert accepting == set(POST_MATRIX) | READ_ONLY


@pytest.mark.parametrize("name", POST_MATRIX)
def test_post(world, users, name):
    """Each persona's POST, with data the allowed ones may send, answers and stores as the row says."""
    build_args, build_data, expected = POST_MATRIX[name]
    url = reverse(name, args=build_args(world))
    outcomes = {}
    for persona in ALL_PERSONAS:
        with transaction.atomic():
            data = build_data(world)  # may prepare the world (rolled back with the POST)
            outcomes[persona] = _outcome(url, *_post(_client(users, persona), url, data))
            transaction.set_rollback(True)

    assert outcomes == expected


# What the GET matrix says a persona gets, as an outcome of a POST that stores nothing.
_AS_OUTCOME = {LOGIN: LOGIN, 200: SHOWN, 302: KEPT}


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_post_to_a_page_that_only_reads(world, users, name):
    """A POST to a page that only reads is answered as its GET (its row in the GET matrix) and stores nothing."""
    url = reverse(name, args=READ_ONLY_ARGS.get(name, MATRIX[name][0])(world))
    outcomes = {persona: _outcome(url, *_post(_client(users, persona), url, {"title": "x"})) for persona in PERSONAS}

    assert outcomes == {persona: _AS_OUTCOME.get(get, get) for persona, get in MATRIX[name][1].items()}
