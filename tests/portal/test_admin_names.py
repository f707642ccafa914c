"""Everything the admin shows about our models is marked for translation: app
names, model names (singular and plural) and field names, so that the admin
reads in Norwegian and in English alike."""

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import override

OUR_APPS = ["cities", "actionplans", "meetings", "agreements", "portal"]


def our_models():
    for label in OUR_APPS:
        yield from apps.get_app_config(label).get_models()


def test_app_names_are_translated():
    for label in OUR_APPS:
        config = apps.get_app_config(label)
        assert isinstance(config.verbose_name, Promise), f"{label}: verbose_name is not marked for translation"
        with override("nb"):
            norwegian = str(config.verbose_name)
        with override("en"):
            assert norwegian != str(config.verbose_name), f"{label}: no Norwegian name"


def test_model_and_field_names_are_marked_for_translation():
    unmarked = []
    for model in our_models():
        opts = model._meta
        for attribute in ("verbose_name", "verbose_name_plural"):
            if not isinstance(getattr(opts, attribute), Promise):
                unmarked.append(f"{opts.label}.{attribute}")
        for field in opts.get_fields(include_hidden=False):
            if field.is_relation and field.auto_created:
                continue  # reverse relations have no name of their own
            if field.auto_created or field.name.startswith("history_"):
                continue  # django-simple-history's own bookkeeping fields
            if not isinstance(field.verbose_name, Promise):
                unmarked.append(f"{opts.label}.{field.name}")
    assert unmarked == []


def test_model_names_have_norwegian_translations():
    same = []
    for model in our_models():
        opts = model._meta
        with override("nb"):
            norwegian = (str(opts.verbose_name), str(opts.verbose_name_plural))
        with override("en"):
            english = (str(opts.verbose_name), str(opts.verbose_name_plural))
        if norwegian == english:
            same.append(opts.label)
    assert same == []
