"""Form fields every app uses: people named as people, and no "---------" placeholders."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.formats import person_name

DJANGO_DASHES = "---------"
CHOOSE = _("Choose")


class PersonChoiceField(forms.ModelChoiceField):
    """A user chosen by name (and e-mail when two share one), never by user name."""

    def label_from_instance(self, obj):
        return person_name(obj)


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


def name_empty_choices(form, label=CHOOSE):
    """Give every empty choice of `form` that Django would show as "---------" a word instead."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.empty_label == DJANGO_DASHES:
            field.empty_label = label
        elif isinstance(field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
            field, forms.ModelChoiceField
        ):
            choices = list(field.choices)
            if any(value == "" and text == DJANGO_DASHES for value, text in choices):
                field.choices = [
                    (value, label if value == "" and text == DJANGO_DASHES else text) for value, text in choices
                ]
