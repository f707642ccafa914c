"""Status flows as tables: which status may follow which, and the permission that allows the move.

A model declares its table next to its statuses; the service that changes the
status calls `check` before it writes, and a form offers `choices` only.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class Transitions:
    """`moves` maps each status to {next status: the permission (a django-rules name) that allows the move}."""

    def __init__(self, statuses, moves):
        self.statuses = statuses
        missing = set(statuses.values) - set(moves)
        unknown = {to for row in moves.values() for to in row} - set(statuses.values)
        if missing or unknown:
            raise ValueError(f"Every status needs a row and only known statuses follow: {missing or unknown}")
        self.moves = {str(status): {str(to): perm for to, perm in row.items()} for status, row in moves.items()}

    def next_statuses(self, current):
        """The statuses that may follow `current`, in the order of the choices."""
        row = self.moves.get(current, {})
        return [value for value in self.statuses.values if value in row]

    def allows(self, current, new):
        return new in self.moves.get(current, {})

    def permission(self, current, new):
        """The permission a user needs to move from `current` to `new`; None if the move is not in the table."""
        return self.moves.get(current, {}).get(new)

    def check(self, current, new):
        """Refuse a move the table does not have (ValidationError, code "not_allowed")."""
        if not self.allows(current, new):
            labels = dict(self.statuses.choices)
            raise ValidationError(
                _("The status cannot change from “%(current)s” to “%(new)s”."),
                code="not_allowed",
                params={"current": labels.get(current, current), "new": labels.get(new, new)},
            )

    def choices(self, current, *, user=None, obj=None):
        """(value, label) of the statuses that may follow `current`; with `user`, only the moves they may make."""
        labels = dict(self.statuses.choices)
        return [
            (value, labels[value])
            for value in self.next_statuses(current)
            if user is None or user.has_perm(self.permission(current, value), obj)
        ]
