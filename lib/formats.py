"""How the portal writes people's names (and, as they are needed, other small formats)."""


def person_name(user):
    """A person as the portal shows them: full name, else the user name."""
    return user.get_full_name() or user.username
