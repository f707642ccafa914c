"""The search hears every save and delete of what it indexes, and rewrites that object's entry once the
change commits, in a task: a save never waits on the index. Bulk writes (`bulk_create`, `QuerySet.update`)
send no signals; `manage.py search_reindex` rebuilds everything after them."""

from django.db.models.signals import post_delete, post_save

from lib.tasks import delay_on_commit
from search import tasks
from search.sources import MODELS, PARENTS


def _own(kind):
    def changed(sender, instance, raw=False, **kwargs):
        if not raw:  # fixtures being loaded: `search_reindex` afterwards
            delay_on_commit(tasks.reindex, kind, instance.pk)

    return changed


def _parents(kind, attribute):
    def changed(sender, instance, raw=False, **kwargs):
        parent = getattr(instance, attribute)
        if not raw and parent is not None:
            delay_on_commit(tasks.reindex, kind, parent)

    return changed


def connect():
    for model, kind in MODELS.items():
        for signal in (post_save, post_delete):
            signal.connect(_own(kind), sender=model, weak=False, dispatch_uid=f"search_{signal is post_save}_{kind}")
    for model, (kind, attribute) in PARENTS.items():
        for signal in (post_save, post_delete):
            signal.connect(
                _parents(kind, attribute),
                sender=model,
                weak=False,
                dispatch_uid=f"search_{signal is post_save}_{model._meta.label}",
            )
