"""Forged choices: every field that names a stored object (a foreign key, a model choice) accepts only
what the form offers the user, whatever id a hand-made POST puts in it.

Each case posts a valid form with one id replaced by one outside the offered set (an object the user may
not see or choose, or none at all) and asserts the form's own "Select a valid choice" error on that field
and that nothing was stored.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from actionplans.forms import CommentForm, LinkForm
from actionplans.models import Measure, MeasureLink, ReviewComment
from agreements.forms import AgreementForm
from agreements.models import Agreement
from cities.models import Membership
from meetings.forms import InviteForm
from meetings.models import ActionItem, AgendaItem, Attachment, Decision, Invitation, Meeting, Minutes
from meetings.services import create_meeting
from tests import factories
from tests.files import make_pdf

NO_SUCH_ID = 999_999


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English, so that a message is compared with the English one."""
    client.cookies["django_language"] = "en"


def invalid_choice(form, name, value=None):
    """The field's own "Select a valid choice" message in English: for one choice, or one of several."""
    with translation.override("en"):
        message = str(form.fields[name].error_messages["invalid_choice"])
    return [message % {"value": value}] if "%(value)s" in message else [message]


def meeting(by, title, *, days=-2, invite=(), status=Meeting.Status.HELD, **fields):
    start = timezone.now() + datetime.timedelta(days=days)
    created = create_meeting(
        by=by,
        kind=fields.pop("kind", Meeting.Kind.COORDINATION_GROUP),
        title=title,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        status=status,
        **fields,
    )
    Invitation.objects.bulk_create([Invitation(meeting=created, user=user) for user in invite])
    return created


def minutes_of(meeting_, status=Minutes.Status.PUBLISHED):
    return Minutes.objects.create(meeting=meeting_, status=status, main_points="Hovedpunkter")


def formset(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


# --- Minutes: action item owners and the deadline change a decision made ----------------------------


@pytest.fixture
def held(manager, contact_oslo):
    return meeting(manager, "Koordineringsgruppen", invite=[contact_oslo])


def minutes_post(client, held, *, owner="", extension=""):
    return client.post(
        reverse("meetings:minutes_edit", args=[held.pk]),
        {
            "main_points": "Hovedpunkter",
            **formset("decisions", [{"text": "Fristen flyttes", "deadline_extension": extension}]),
            **formset("actions", [{"text": "Send forslag", "owner": owner, "due_date": "", "status": "open"}]),
        },
    )


def test_action_item_owner_invited_to_the_meeting_is_accepted(client, manager, held, contact_oslo):
    client.force_login(manager)

    response = minutes_post(client, held, owner=contact_oslo.pk)

    assert response.status_code == 302
    assert list(ActionItem.objects.values_list("owner__username", flat=True)) == ["kontakt-oslo"]


@pytest.mark.parametrize("who", ["contact_bergen", "manager", "no_such_user"])
def test_action_item_owner_not_invited_is_refused(request, client, manager, held, who):
    owner = NO_SUCH_ID if who == "no_such_user" else request.getfixturevalue(who).pk
    client.force_login(manager)

    response = minutes_post(client, held, owner=owner)

    assert response.status_code == 200
    form = response.context["action_items"].forms[0]
    assert form.errors == {"owner": invalid_choice(form, "owner")}
    assert (Minutes.objects.count(), ActionItem.objects.count(), Decision.objects.count()) == (0, 0, 0)


def test_action_item_owner_choices_are_the_invitees(client, manager, held, contact_oslo, contact_bergen):
    client.force_login(manager)

    page = client.get(reverse("meetings:minutes_edit", args=[held.pk]))

    choices = [label for value, label in page.context["action_items"].forms[0].fields["owner"].choices if value]
    assert choices == ["kontakt-oslo"]


def test_action_item_keeps_an_owner_whose_invitation_was_withdrawn(client, manager, held, contact_bergen):
    minutes = minutes_of(held, Minutes.Status.DRAFT)
    item = ActionItem.objects.create(minutes=minutes, text="Send forslag", owner=contact_bergen)
    client.force_login(manager)

    response = client.post(
        reverse("meetings:minutes_edit", args=[held.pk]),
        {
            "main_points": "Nye hovedpunkter",
            **formset("decisions", []),
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "1",
            "actions-MIN_NUM_FORMS": "0",
            "actions-MAX_NUM_FORMS": "1000",
            "actions-0-id": str(item.pk),
            "actions-0-text": "Send forslag",
            "actions-0-owner": str(contact_bergen.pk),
            "actions-0-due_date": "",
            "actions-0-status": "done",
        },
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.owner, item.status) == (contact_bergen, ActionItem.Status.DONE)


def test_decision_naming_no_deadline_change_there_is_refused(client, manager, held):
    client.force_login(manager)

    response = minutes_post(client, held, extension=NO_SUCH_ID)

    assert response.status_code == 200
    form = response.context["decisions"].forms[0]
    assert form.errors == {"deadline_extension": invalid_choice(form, "deadline_extension")}
    assert (Minutes.objects.count(), Decision.objects.count()) == (0, 0)


# --- Agreements: decisions, action items, measures, theme areas, people -----------------------------


@pytest.fixture
def minutes_entries(manager, coordinator):
    """Decisions and action items of three minutes: published minutes of a meeting the coordinator is
    invited to, published minutes of one they are not, and draft minutes of one they are."""
    read = minutes_of(meeting(manager, "Invitert", invite=[coordinator]))
    hidden = minutes_of(meeting(manager, "Ikke invitert"))
    draft = minutes_of(meeting(manager, "Utkast", invite=[coordinator]), Minutes.Status.DRAFT)
    return {
        name: {
            "decision": Decision.objects.create(minutes=minutes, text=f"Vedtak: {name}"),
            "action_item": ActionItem.objects.create(minutes=minutes, text=f"Punkt: {name}"),
        }
        for name, minutes in (("read", read), ("hidden", hidden), ("draft", draft))
    }


def agreement_data(theme, **overrides):
    return {
        "title": "Pilot: byutvikling",
        "kind": "pilot_project",
        "description": "Med faglig bistand",
        "theme_areas": [theme.pk],
        "value": "2000000",
        "period_start": "2030-01-01",
        "period_end": "2031-12-31",
        **overrides,
    }


def test_agreement_form_offers_only_entries_of_minutes_the_user_reads(coordinator, minutes_entries):
    form = AgreementForm(user=coordinator)

    assert [d.text for d in form.fields["decisions"].queryset] == ["Vedtak: read"]
    assert [a.text for a in form.fields["action_items"].queryset] == ["Punkt: read"]


def test_agreement_links_a_decision_and_an_action_item_the_user_reads(client, coordinator, atp, minutes_entries):
    read = minutes_entries["read"]
    client.force_login(coordinator)

    response = client.post(
        reverse("agreements:agreement_create"),
        agreement_data(atp, decisions=[read["decision"].pk], action_items=[read["action_item"].pk]),
    )

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (list(agreement.decisions.all()), list(agreement.action_items.all())) == (
        [read["decision"]],
        [read["action_item"]],
    )


@pytest.mark.parametrize("field", ["decisions", "action_items"])
@pytest.mark.parametrize("which", ["hidden", "draft"])
def test_agreement_naming_an_entry_of_minutes_the_user_may_not_read_is_refused(
    client, coordinator, atp, minutes_entries, field, which
):
    entry = minutes_entries[which]["decision" if field == "decisions" else "action_item"]
    client.force_login(coordinator)

    response = client.post(reverse("agreements:agreement_create"), agreement_data(atp, **{field: [entry.pk]}))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {field: invalid_choice(form, field, entry.pk)}
    assert Agreement.objects.count() == 0


@pytest.fixture
def measures(round_, oslo_programme, bergen_submitted, atp):
    """A measure of Bergen's submitted programme, and one of Oslo's draft."""
    return {
        "submitted": Measure.objects.create(programme=bergen_submitted, theme_area=atp, title="Innsendt"),
        "draft": Measure.objects.create(programme=oslo_programme, theme_area=atp, title="Utkast"),
    }


@pytest.mark.parametrize(
    ("field", "forged"),
    [
        ("measures", lambda w: w["measures"]["draft"].pk),
        ("measures", lambda w: NO_SUCH_ID),
        ("theme_areas", lambda w: w["energy"].pk),
        ("cities", lambda w: NO_SUCH_ID),
        ("organisations", lambda w: NO_SUCH_ID),
        ("responsible", lambda w: w["inactive"].pk),
        ("responsible", lambda w: w["outsider"].pk),
    ],
)
def test_agreement_naming_what_the_user_may_not_choose_is_refused(
    client, coordinator, atp, energy, outsider, measures, field, forged
):
    inactive = factories.UserFactory(username="sluttet", is_active=False)
    factories.MembershipFactory(user=inactive, role=Membership.Role.PARTNER)
    value = forged({"measures": measures, "energy": energy, "inactive": inactive, "outsider": outsider})
    client.force_login(coordinator)

    response = client.post(
        reverse("agreements:agreement_create"),
        agreement_data(atp, **{field: value if field == "responsible" else [value]}),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {field: invalid_choice(form, field, value)}
    assert Agreement.objects.count() == 0


def test_agreement_saved_by_a_coordinator_keeps_the_links_it_may_not_choose(
    client, manager, coordinator, atp, energy, minutes_entries
):
    hidden, read = minutes_entries["hidden"], minutes_entries["read"]
    agreement = Agreement.objects.create(title="Felles studie", kind="joint_study", created_by=manager)
    agreement.theme_areas.set([atp, energy])
    agreement.decisions.set([hidden["decision"]])
    agreement.action_items.set([hidden["action_item"]])
    client.force_login(coordinator)

    response = client.post(
        reverse("agreements:agreement_update", args=[agreement.pk]),
        agreement_data(atp, title="Felles studie", decisions=[read["decision"].pk]),
    )

    assert response.status_code == 302
    assert sorted(agreement.theme_areas.values_list("code", flat=True)) == ["atp", "energy"]
    assert sorted(agreement.decisions.values_list("text", flat=True)) == ["Vedtak: hidden", "Vedtak: read"]
    assert list(agreement.action_items.values_list("text", flat=True)) == ["Punkt: hidden"]


# --- Meetings: theme areas, host city, the meeting continued, agenda, attachments, invitations -------


@pytest.fixture
def leader(atp):
    user = factories.UserFactory(username="nettverksleder-atp")
    factories.MembershipFactory(user=user, role=Membership.Role.NETWORK_LEADER, theme_area=atp)
    return user


def meeting_data(theme, **overrides):
    return {
        "kind": Meeting.Kind.NETWORK_GATHERING,
        "title": "Nettverkssamling",
        "description": "",
        "theme_areas": [theme.pk],
        "host_city": "",
        "venue": "Rådhuset",
        "starts_at": "2030-05-06T10:00",
        "ends_at": "2030-05-06T15:00",
        "status": Meeting.Status.PLANNED,
        "continues": "",
        "registration_deadline": "",
        "feedback_days": "14",
        **overrides,
    }


@pytest.mark.parametrize(
    ("field", "forged"),
    [
        ("theme_areas", lambda w: [w["energy"].pk]),
        ("host_city", lambda w: NO_SUCH_ID),
        ("continues", lambda w: w["other_theme"].pk),
    ],
)
def test_meeting_naming_what_the_leader_may_not_choose_is_refused(client, manager, leader, atp, energy, field, forged):
    other_theme = meeting(manager, "Energimøte", days=-30, theme_areas=[energy])
    before = Meeting.objects.count()
    value = forged({"energy": energy, "other_theme": other_theme})
    client.force_login(leader)

    response = client.post(reverse("meetings:meeting_create"), meeting_data(atp, **{field: value}))

    assert response.status_code == 200
    form = response.context["form"]
    expected = value[0] if isinstance(value, list) else value
    assert form.errors == {field: invalid_choice(form, field, expected)}
    assert Meeting.objects.count() == before


@pytest.fixture
def hosted(manager, oslo, atp):
    return meeting(manager, "Befaring i Oslo", days=10, host_city=oslo, theme_areas=[atp], status="planned")


def agenda_data(meeting_, **overrides):
    start = timezone.localtime(meeting_.starts_at)
    return {
        "starts_at": f"{start:%Y-%m-%dT%H:%M}",
        "ends_at": "",
        "kind": AgendaItem.Kind.SITE_VISIT,
        "title": "Befaring",
        "presenter": "",
        "city": "",
        "place": "Bjørvika",
        **overrides,
    }


@pytest.mark.parametrize(("field", "which"), [("measures", "bergen"), ("measures", "oslo_draft"), ("city", "none")])
def test_agenda_item_naming_what_the_meeting_does_not_offer_is_refused(
    client, manager, hosted, oslo_programme, bergen_submitted, atp, field, which
):
    forged = {
        "bergen": lambda: Measure.objects.create(programme=bergen_submitted, theme_area=atp, title="Bybane").pk,
        "oslo_draft": lambda: Measure.objects.create(programme=oslo_programme, theme_area=atp, title="Utkast").pk,
        "none": lambda: NO_SUCH_ID,
    }[which]()
    client.force_login(manager)

    response = client.post(
        reverse("meetings:agenda_create", args=[hosted.pk]),
        agenda_data(hosted, **{field: [forged] if field == "measures" else forged}),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {field: invalid_choice(form, field, forged)}
    assert AgendaItem.objects.count() == 0


def test_attachment_naming_an_agenda_item_of_another_meeting_is_refused(client, manager, hosted, held):
    elsewhere = AgendaItem.objects.create(
        meeting=held, starts_at=held.starts_at, kind=AgendaItem.Kind.PLENARY, title="Plenum"
    )
    client.force_login(manager)

    response = client.post(
        reverse("meetings:attachment_upload", args=[hosted.pk]),
        {
            "title": "Presentasjon",
            "agenda_item": elsewhere.pk,
            "file": SimpleUploadedFile("presentasjon.pdf", make_pdf(), content_type="application/pdf"),
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"agenda_item": invalid_choice(form, "agenda_item")}
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize("field", ["users", "cities", "theme_areas", "organisations"])
def test_invitation_naming_what_does_not_exist_or_has_no_role_is_refused(client, manager, hosted, outsider, field):
    forged = outsider.pk if field == "users" else NO_SUCH_ID
    before = Invitation.objects.count()
    client.force_login(manager)

    response = client.post(reverse("meetings:invitation_list", args=[hosted.pk]), {field: [forged]})

    assert response.status_code == 200
    form = response.context["form"]
    assert isinstance(form, InviteForm)
    assert form.errors == {field: invalid_choice(form, field, forged), "__all__": ["Choose whom to invite."]}
    assert Invitation.objects.count() == before


# --- Action programmes: measures, comments, links ----------------------------------------------------


def measure_data(theme, **overrides):
    return {
        "theme_area": theme.pk,
        "category": "",
        "title": "Parkeringsnorm",
        "description": "",
        "expected_effect": "100",
        "cost_estimate": "",
        "status": Measure.Status.PLANNED,
        **overrides,
    }


@pytest.mark.parametrize("field", ["theme_area", "category"])
def test_measure_naming_what_does_not_exist_is_refused(client, contact_oslo, oslo_programme, atp, field):
    client.force_login(contact_oslo)

    response = client.post(
        reverse("actionplans:measure_create", args=[oslo_programme.pk]), measure_data(atp, **{field: NO_SUCH_ID})
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {field: invalid_choice(form, field)}
    assert Measure.objects.count() == 0


@pytest.fixture
def reviewed(bergen_submitted, oslo_programme, atp, energy):
    """Bergen's submitted programme with a measure in each of two themes, and a measure of Oslo's."""
    return {
        "atp": Measure.objects.create(programme=bergen_submitted, theme_area=atp, title="Bybane"),
        "energy": Measure.objects.create(programme=bergen_submitted, theme_area=energy, title="Fjernvarme"),
        "oslo": Measure.objects.create(programme=oslo_programme, theme_area=atp, title="Oslos tiltak"),
    }


@pytest.mark.parametrize("which", ["energy", "oslo"])
def test_comment_on_a_measure_outside_the_review_is_refused(client, coordinator, bergen_submitted, reviewed, which):
    client.force_login(coordinator)

    response = client.post(
        reverse("actionplans:comment_add", args=[bergen_submitted.pk, "atp"]),
        {"measure": reviewed[which].pk, "text": "Bra"},
        follow=True,
    )

    message = invalid_choice(CommentForm(), "measure")[0]
    assert [str(m) for m in response.context["messages"]] == [f"The comment was not added: {message}"]
    assert ReviewComment.objects.count() == 0


@pytest.mark.parametrize("field", ["source", "target"])
def test_link_to_a_measure_of_another_programme_is_refused(client, manager, bergen_submitted, reviewed, field):
    client.force_login(manager)

    response = client.post(
        reverse("actionplans:measure_link", args=[bergen_submitted.pk]),
        {"source": reviewed["atp"].pk, "target": reviewed["energy"].pk, field: reviewed["oslo"].pk, "note": ""},
        follow=True,
    )

    message = invalid_choice(LinkForm(), field)[0]
    assert [str(m) for m in response.context["messages"]] == [f"The measures were not linked: {message}"]
    assert MeasureLink.objects.count() == 0
