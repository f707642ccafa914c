"""The text match, its ranking and its highlighted excerpts, in the database's own full-text search.

PostgreSQL: `websearch_to_tsquery` with the `norwegian` configuration (Snowball stemming and stop words:
«tiltakene» finds «tiltak»), ranked by `ts_rank` over the weighted vector (title A, text B), excerpts by
`ts_headline`.

SQLite: FTS5, which has no Norwegian stemmer. Each word of the query loses one common Norwegian ending
(«tiltakene» → «tiltak», «sykkelveier» → «sykkelvei») and is asked for as a prefix (`"tiltak"*`), so the
forms of a word are found as long as its stem does not change inside (not «bok»/«bøker»). Ranked by `bm25`
(title 10 times the text), excerpts by `highlight()` and `snippet()`.

Both mark the matching words with \\x02 … \\x03, which `highlight.mark` turns into <mark> after escaping.
"""

import re
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F

START, STOP = "\x02", "\x03"
MAX_WORDS = 16  # of a query: more says nothing more, and makes the query slower
WORD = re.compile(r"\w+")

# Norwegian endings of nouns, adjectives and verbs, longest first; a stem keeps at least 4 letters.
ENDINGS = ("hetene", "heten", "ene", "ane", "ers", "ets", "ens", "er", "en", "et", "ar", "e", "a")
MIN_STEM = 4
# Words too common to say what a measure is about (the similar measures of `who_else`).
STOP_WORDS = frozenset(
    "og i på for til av med som en et ei det den de å er om fra ved eller ut inn nye ny all alle mer mot".split()
)


def words(text):
    """The words of `text`, lowercased, at most MAX_WORDS."""
    return [w.lower() for w in WORD.findall(text)][:MAX_WORDS]


def stem(word):
    """`word` without one common Norwegian ending, if enough of it is left."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


class Postgres:
    config = "norwegian"

    def query(self, text, *, any_word=False):
        if any_word:  # the words of a title, any of them (stop words dropped by the configuration)
            return reduce(or_, (SearchQuery(w, config=self.config) for w in words(text)))
        return SearchQuery(text, config=self.config, search_type="websearch")

    def match(self, entries, text, *, any_word=False):
        return entries.filter(vector=self.query(text, any_word=any_word))

    def ranked(self, entries, text, *, any_word=False):
        query = self.query(text, any_word=any_word)
        marks = {"config": self.config, "start_sel": START, "stop_sel": STOP}
        return (
            entries.filter(vector=query)
            .annotate(
                rank=SearchRank(F("vector"), query),
                title_marked=SearchHeadline("title", query, highlight_all=True, **marks),
                body_marked=SearchHeadline(
                    "body", query, max_words=30, min_words=12, max_fragments=2, fragment_delimiter=" … ", **marks
                ),
            )
            .order_by("-rank", "pk")
        )


class Sqlite:
    def query(self, text, *, any_word=False):
        if any_word:
            terms = [f'"{stem(w)}"*' for w in words(text) if w not in STOP_WORDS and len(w) > 2]
            return " OR ".join(terms)
        return " ".join(f'"{stem(w)}"*' for w in words(text))  # every word (quoted: no FTS5 syntax gets through)

    def _fts(self, entries, text, any_word, **select):
        # The ORM has no words for an FTS5 table; `extra` joins it by rowid and passes the query as a parameter.
        return entries.extra(  # noqa: S610 -- fixed SQL; the user's words go in as a bound parameter
            tables=["search_entry_fts"],
            where=["search_entry_fts.rowid = search_entry.id", "search_entry_fts MATCH %s"],
            params=[self.query(text, any_word=any_word)],
            **select,
        )

    def match(self, entries, text, *, any_word=False):
        return self._fts(entries, text, any_word)

    def ranked(self, entries, text, *, any_word=False):
        return self._fts(
            entries,
            text,
            any_word,
            select={
                "rank": "bm25(search_entry_fts, 10.0, 1.0)",
                "title_marked": "highlight(search_entry_fts, 0, %s, %s)",
                "body_marked": "snippet(search_entry_fts, 1, %s, %s, %s, 24)",
            },
            select_params=[START, STOP, START, STOP, " … "],
        ).order_by("rank", "pk")  # bm25: the better, the lower


def backend():
    return Postgres() if connection.vendor == "postgresql" else Sqlite()


def searchable(text, *, any_word=False):
    """Whether `text` has something to search for."""
    found = words(text)
    if any_word:
        found = [w for w in found if w not in STOP_WORDS and len(w) > 2]
    return bool(found)
