"""Workflows on agreements. Each owns its transaction and keeps the status history."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementDocument, AgreementStatusChange, Party
from lib.files import InspectedUpload

Status = Agreement.Status
logger = logging.getLogger(__name__)


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


def delete_agreement(agreement: Agreement, *, by) -> None:
    """Delete an agreement started by mistake, while it has no history beyond its creation
    (`Agreement.history_beyond_creation`; else a ValidationError saying why). Its parties and
    its creation row go with it, and its links to measures, decisions and action items; the
    measures, decisions and action items themselves stay."""
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        reasons = agreement.history_beyond_creation()
        if reasons:
            raise ValidationError(
                _("The agreement cannot be deleted: %(reason)s") % {"reason": reasons[0]}, code="has_history"
            )
        pk, title = agreement.pk, agreement.title
        agreement.delete()
    logger.info("Agreement %s (%s) deleted by %s", pk, title, by)


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
