"""Workflows on agreements. Each owns its transaction and keeps the status history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import Measure
from agreements.models import Agreement, AgreementDocument, AgreementStatusChange, Party
from lib.files import InspectedUpload

Status = Agreement.Status


def set_parties(agreement: Agreement, *, cities, organisations) -> None:
    """Make the agreement's parties exactly `cities` and `organisations`."""
    agreement.parties.exclude(city__in=cities).filter(city__isnull=False).delete()
    agreement.parties.exclude(organisation__in=organisations).filter(organisation__isnull=False).delete()
    have_cities = set(agreement.parties.values_list("city_id", flat=True))
    have_orgs = set(agreement.parties.values_list("organisation_id", flat=True))
    Party.objects.bulk_create(
        [Party(agreement=agreement, city=c) for c in cities if c.pk not in have_cities]
        + [Party(agreement=agreement, organisation=o) for o in organisations if o.pk not in have_orgs]
    )


def save_agreement(form, *, cities, organisations, by) -> Agreement:
    """Save an agreement form with its parties. A new agreement starts as identified, with a history row."""
    with transaction.atomic():
        agreement = form.save(commit=False)
        is_new = agreement.pk is None
        if is_new:
            agreement.created_by = by
            agreement.status = Status.IDENTIFIED
        agreement.save()
        form.save_m2m()
        set_parties(agreement, cities=cities, organisations=organisations)
        if is_new:
            AgreementStatusChange.objects.create(
                agreement=agreement, from_status="", to_status=Status.IDENTIFIED, changed_by=by
            )
    return agreement


def start_from_measures(measures, *, by) -> Agreement:
    """Start an agreement in one step from candidate measures: the cities,
    theme areas and measures filled in, the kind their candidates share."""
    measures = list(
        Measure.objects.filter(pk__in=[m.pk for m in measures]).select_related(
            "programme__city", "theme_area", "category"
        )
    )
    if not measures:
        raise ValidationError(_("Choose at least one measure."), code="no_measures")
    kinds = {m.candidate_kind for m in measures if m.candidate_kind}
    first = measures[0]
    topic = first.category or first.theme_area
    with transaction.atomic():
        agreement = Agreement.objects.create(
            title=_("Agreement on %(topic)s") % {"topic": topic},
            kind=kinds.pop() if len(kinds) == 1 else (first.candidate_kind or "pilot_project"),
            description="\n".join(f"{m.programme.city.name}: {m.title}" for m in measures),
            created_by=by,
        )
        agreement.theme_areas.set({m.theme_area for m in measures})
        agreement.measures.set(measures)
        set_parties(agreement, cities={m.programme.city for m in measures}, organisations=[])
        AgreementStatusChange.objects.create(
            agreement=agreement, from_status="", to_status=Status.IDENTIFIED, changed_by=by
        )
    return agreement


def change_status(agreement: Agreement, *, to_status: str, comment: str, by, decision=None) -> Agreement:
    """Move the agreement in its pipeline, as `Agreement.TRANSITIONS` allows (else a ValidationError);
    keeps the move in the history (with the meeting `decision` behind it, if one of the agreement's
    own), and signing without a date records today's."""
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if to_status == agreement.status:
            raise ValidationError(_("The agreement already has this status."), code="same_status")
        Agreement.TRANSITIONS.check(agreement.status, to_status)
        if decision is not None and not agreement.decisions.filter(pk=decision.pk).exists():
            raise ValidationError(_("Choose a decision linked to this agreement."), code="wrong_decision")
        AgreementStatusChange.objects.create(
            agreement=agreement,
            from_status=agreement.status,
            to_status=to_status,
            changed_by=by,
            comment=comment,
            decision=decision,
        )
        agreement.status = to_status
        fields = ["status"]
        if to_status == Status.SIGNED and agreement.signed_date is None:
            agreement.signed_date = timezone.localdate()
            fields.append("signed_date")
        agreement.save(update_fields=fields)
    return agreement


def upload_document(
    agreement: Agreement, *, file, inspected: InspectedUpload, kind: str, note: str, by
) -> AgreementDocument:
    """Store `file` (already through `inspect_upload`) as the agreement's next document version."""
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        number = (agreement.documents.aggregate(n=Max("number"))["n"] or 0) + 1
        document = AgreementDocument(agreement=agreement, number=number, kind=kind, note=note)
        return document.store(file, inspected, by=by)
