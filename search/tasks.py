"""Celery tasks: thin, named, taking ids, safe to run twice."""

from celery import shared_task

from search import indexing


@shared_task(name="search.reindex")
def reindex(kind, pk):
    indexing.reindex(kind, pk)
