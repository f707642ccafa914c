"""The person's own profile: what they may change about themselves."""

from django.db import transaction

from cities.models import Profile


def update_profile(user, *, first_name, last_name, email, language, notices=None):
    """Save the person's name and e-mail (on the user), language and how they get notices (on their
    cities Profile, made if missing), in one transaction."""
    defaults = {"language": language} | ({"notices": notices} if notices else {})
    with transaction.atomic():
        user.first_name, user.last_name, user.email = first_name, last_name, email
        user.save(update_fields=["first_name", "last_name", "email"])
        Profile.objects.update_or_create(user=user, defaults=defaults)
