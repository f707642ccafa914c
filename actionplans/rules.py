"""Who may do what with action programmes, as django-rules predicates."""

import rules

from cities.rules import (
    is_city_contact,
    is_consultant,
    is_contact_of_city,
    is_member,
    is_programme_management,
    is_programme_reader,
    is_theme_staff,
    theme_area_ids,
)


@rules.predicate
def is_own_programme(user, programme):
    return is_contact_of_city(user, programme.city)


@rules.predicate
def is_submitted(user, programme):
    return programme.is_submitted


@rules.predicate
def reads_as_another_city(user, programme):
    """A contact of another city, reading a submitted programme of a round open to the cities."""
    return (
        programme.is_submitted
        and is_city_contact(user)
        and not is_own_programme(user, programme)
        and programme.round.opens_to_cities()
    )


@rules.predicate
def is_shared(user, programme):
    return programme.is_shared


@rules.predicate
def can_view_programme(user, programme):
    return (
        is_programme_management(user)
        or is_own_programme(user, programme)
        or (programme.is_submitted and is_programme_reader(user))
        or (programme.is_shared and is_theme_staff(user))
        or reads_as_another_city(user, programme)
    )


@rules.predicate
def can_view_draft(user, draft):
    """Who reads the programme reads its versions; another city only the submitted one."""
    programme = draft.programme
    if is_programme_management(user) or is_own_programme(user, programme):
        return True
    if (programme.is_submitted and is_programme_reader(user)) or (programme.is_shared and is_theme_staff(user)):
        return True
    return draft.pk == programme.submitted_draft_id and reads_as_another_city(user, programme)


@rules.predicate
def can_edit_measure(user, measure):
    return is_own_programme(user, measure.programme) and not measure.programme.is_submitted


rules.add_perm("actionplans.view_programme", can_view_programme)
rules.add_perm("actionplans.change_programme", is_own_programme & ~is_submitted)
rules.add_perm("actionplans.submit_programme", is_own_programme & ~is_submitted)
rules.add_perm("actionplans.reopen_programme", is_programme_management & is_submitted)
rules.add_perm("actionplans.view_draft", can_view_draft)
rules.add_perm("actionplans.change_measure", can_edit_measure)
rules.add_perm("actionplans.view_round", is_member | is_programme_management)
rules.add_perm("actionplans.manage_round", is_programme_management)
rules.add_perm("actionplans.request_extension", is_own_programme & ~is_submitted)
rules.add_perm("actionplans.share_programme", is_own_programme & ~is_submitted)
rules.add_perm("actionplans.note_on_draft", (is_theme_staff | is_programme_management) & is_shared)
rules.add_perm("actionplans.decide_extension", is_programme_management)
rules.add_perm("actionplans.view_reminder_log", is_programme_management)


# Reviews. Reviewers are the programme management, the coordinators and network leaders of
# any theme, and the consultant; each writes only in its own theme area, the consultant and
# the management the cross-theme review.
is_reviewer = is_programme_management | is_theme_staff | is_consultant


@rules.predicate
def has_been_submitted(user, programme):
    return programme.submitted_at is not None


@rules.predicate
def writes_theme(user, review):
    if review.theme_area_id is None:
        return is_programme_management(user) or is_consultant(user)
    return is_programme_management(user) or review.theme_area_id in theme_area_ids(user)


@rules.predicate
def can_write_review(user, review):
    return review.programme.submitted_at is not None and writes_theme(user, review)


@rules.predicate
def can_answer_comment(user, comment):
    review = comment.review
    if is_own_programme(user, review.programme):
        return review.comments_visible_to_city
    return can_write_review(user, review)


@rules.predicate
def can_view_measure(user, measure):
    return can_view_programme(user, measure.programme)


@rules.predicate
def can_assess_measure(user, measure):
    """The theme's coordinators and network leaders, the consultant and the management, once submitted."""
    if not measure.programme.is_submitted:
        return False
    return is_programme_management(user) or is_consultant(user) or measure.theme_area_id in theme_area_ids(user)


rules.add_perm("actionplans.view_measure", can_view_measure)
rules.add_perm("actionplans.assess_measure", can_assess_measure)
rules.add_perm("actionplans.view_reviews", is_reviewer)
rules.add_perm("actionplans.read_programme_reviews", is_reviewer & has_been_submitted)
rules.add_perm("actionplans.write_review", can_write_review)
rules.add_perm("actionplans.answer_comment", can_answer_comment)
rules.add_perm("actionplans.answer_comments", is_own_programme)
