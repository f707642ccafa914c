"""Groups of similar measures: candidates for agreements with the state and for groups of cities.

Measures of submitted programmes with a category group by it; those without one group, within a
theme area, with the measures whose title and description share enough words (Jaccard similarity
of at least SIMILARITY), joined transitively. Groups of one are left out.

Summing every measure of a round on each request costs too much at thousands of cities, and
finding the text groups far more, so `regroup_round` does both (a task runs it after each change
that may move a group, the sweep after any it missed, `manage.py regroup_similar` on demand): it
stores each text group's members as `MeasureLikeness` rows and every group's figures, summed in
the database, and its first measures as a `SimilarGroup` row. The page reads a page of those; a
group's own page lists its members as they are now. Until a round's groups were ever stored, the
page sums its category groups itself.

The text join compares only pairs that share a rare word, by prefix filtering with a positional
filter (Bayardo, Ma and Srikant, "Scaling up all pairs similarity search", 2007; Xiao et al.,
"Efficient similarity joins for near duplicate detection", 2008): with the words of each text
ordered rarest first, two texts at least SIMILARITY alike always share a word among the first
`len - ceil(SIMILARITY * len) + 1` of each, so only those are indexed and probed, and a pair
whose remaining words cannot make up the overlap needed is dropped uncompared. Unbounded, the
result is that of comparing every pair. Three bounds keep a theme of thousands of texts made of
the same few phrases to seconds, at the price of missing some of its pairs (a group may then be
found as two): a word in more than COMMON_SHARE of a theme's texts (and more than COMMON_MIN) is
not indexed, a text looks at no more than MAX_VISITS index entries, and it is compared with no
more than MAX_CHECKS candidates of other groups, taken from the 4 × MAX_CHECKS sharing the most
words with it.
"""

import logging
import re
import time
from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import Count, DecimalField, F, Min, Q, Sum, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from actionplans.models import ActionProgramme, LikenessState, Measure, MeasureLikeness, Round, SimilarGroup

logger = logging.getLogger(__name__)

WORD = re.compile(r"\w+", re.UNICODE)
# Words too common in measure titles to say anything about likeness.
STOPWORDS = frozenset(
    "og i på for til av med som en et de det den nye ny flere mer økt økte the of and for to in a an more new".split()
)
SIMILARITY = 0.34
_T = Fraction(SIMILARITY).limit_denominator(10_000)  # exact, for the prefix and size bounds

# Measured on 48,000 texts of the benchmark's phrases (10,000 cities): about 10 s a round, where
# unbounded they took 25 s and comparing every pair would take half an hour.
COMMON_SHARE = 0.2
COMMON_MIN = 1000
MAX_VISITS = 1000
MAX_CHECKS = 50

CATEGORY, TEXT = "category", "text"
_KIND_ORDER = {0: CATEGORY, 1: TEXT}  # category groups first among equals, as they always were

GROUPS_PER_PAGE = 20
MEASURES_SHOWN = 10  # of each group on the page of groups; the rest on the group's own page
MEASURES_PER_PAGE = 50


def words(text):
    return {w for w in WORD.findall(text.lower()) if len(w) > 2 and w not in STOPWORDS}


def jaccard(a, b):
    if not (a and b):
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def _chunks(items, size=500):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


# The join


def _ceil(fraction):
    return -(-fraction.numerator // fraction.denominator)


def text_clusters(word_sets):
    """The indices of `word_sets` joined by likeness (transitively), in groups of two or more.

    Each group is in index order and the groups in the order of their first index: what
    comparing every pair with `jaccard(a, b) >= SIMILARITY` would give, within the bounds above.
    """
    same = defaultdict(list)  # identical word sets are alike (1.0): joined at once, compared once
    for i, ws in enumerate(word_sets):
        if ws:
            same[frozenset(ws)].append(i)
    sets = list(same)
    n = len(sets)
    frequency = Counter(w for s in sets for w in s)
    too_common = max(COMMON_MIN, COMMON_SHARE * n)
    rank = {w: r for r, w in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}
    common = sum(1 for f in frequency.values() if f <= too_common)  # ranks from here are too common
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    t = _T
    sizes = [len(s) for s in sets]
    # Two sets are alike when they share at least SIMILARITY / (1 + SIMILARITY) of their sizes' sum.
    share = t / (1 + t)
    need = [-(-share.numerator * total // share.denominator) for total in range(2 * max(sizes, default=0) + 1)]
    index = defaultdict(list)  # word rank → (set, position of the word in it, its size), smallest first
    start = defaultdict(int)  # in each list, the first entry not too small for the sets still to come
    for x in sorted(range(n), key=sizes.__getitem__):
        size = sizes[x]
        ordered = sorted(rank[w] for w in sets[x])
        smallest = _ceil(t * size)  # the fewest words of a set alike to this one
        overlaps = {}  # candidate → prefix words shared so far, or -1 once it cannot reach enough
        shared = overlaps.get
        visits = 0
        for i, r in enumerate(ordered[: size - smallest + 1]):
            if r >= common or visits >= MAX_VISITS:
                break  # the words are rarest first: the rest are as common (or the bound is reached)
            postings = index[r]
            k = start[r]
            # Sets come in growing size: one too small for this set is too small for all later ones.
            while k < len(postings) and postings[k][2] < smallest:
                k += 1
            start[r] = k
            end = max(k, len(postings) - (MAX_VISITS - visits))  # the nearest in size, if bounded
            visits += len(postings) - end
            left = size - i
            for y, j, other in postings[end:]:
                had = shared(y, 0)
                if had >= 0:
                    # Positional filter: the words after these two are all that they can still share.
                    rest = other - j if other - j < left else left
                    overlaps[y] = had + 1 if had + rest >= need[size + other] else -1
        # The most promising first: once this set has joined a group, the group's others need no check.
        checks, root_x = 0, find(x)
        promising = sorted([(had, y) for y, had in overlaps.items() if had > 0], reverse=True)
        for _had, y in promising[: 4 * MAX_CHECKS]:
            root_y = find(y)
            if root_x != root_y:
                if checks == MAX_CHECKS:
                    break
                checks += 1
                if jaccard(sets[x], sets[y]) >= SIMILARITY:
                    parent[root_x] = root_x = root_y
        # Sets to come are at least this large: a shorter prefix of this one suffices for them.
        for j, r in enumerate(ordered[: size - _ceil(2 * t / (1 + t) * size) + 1]):
            if r < common:
                index[r].append((x, j, size))
    groups = defaultdict(list)
    for k, s in enumerate(sets):
        groups[find(k)].extend(same[s])
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def _submitted(round_):
    return Measure.objects.filter(programme__round=round_, programme__status=ActionProgramme.Status.SUBMITTED)


def _text_groups(rows):
    """{measure id: group} for the rows (id, theme area id, title, description) of measures without
    a category: a group of each theme's measures alike by their text, named by its smallest id."""
    by_theme = defaultdict(lambda: ([], []))
    for pk, theme, title, description in rows:
        ids, word_sets = by_theme[theme]
        ids.append(pk)
        word_sets.append(words(f"{title} {description}"))
    grouped = {}
    for ids, word_sets in by_theme.values():
        for cluster in text_clusters(word_sets):
            members = [ids[i] for i in cluster]
            key = min(members)
            grouped.update(dict.fromkeys(members, key))
    return grouped


def similar_groups(round_):
    """The round's groups of similar measures, found afresh from the measures, with every member:
    for tests and scripts. The page reads the stored groups (`stored_groups`) instead.

    Each group is a dict of kind ("category" or "text"), theme_area, category, measures, cities
    (their names, sorted), effect and candidates; ordered by theme, most cities, most effect.
    """
    submitted = _submitted(round_)
    measures = list(
        submitted.select_related("programme__city", "theme_area", "category").order_by(
            "theme_area__order", "category__name_nb", "title", "pk"
        )
    )
    category_effect = dict(
        submitted.filter(category__isnull=False)
        .values("category")
        .annotate(effect=Sum("expected_effect"))
        .values_list("category", "effect")
    )
    by_category = defaultdict(list)
    for m in measures:
        if m.category_id:
            by_category[m.category_id].append(m)
    groups = [(CATEGORY, members, category_effect[key]) for key, members in by_category.items()]
    loose = [m for m in measures if not m.category_id]
    text = _text_groups((m.pk, m.theme_area_id, m.title, m.description) for m in loose)
    by_text = defaultdict(list)
    for m in loose:
        if m.pk in text:
            by_text[text[m.pk]].append(m)
    # A text group exists only here, so its total is summed here.
    groups += [(TEXT, members, sum(m.expected_effect or 0 for m in members)) for members in by_text.values()]
    result = [
        {
            "kind": kind,
            "theme_area": members[0].theme_area,
            "category": members[0].category if kind == CATEGORY else None,
            "measures": members,
            "cities": sorted({m.programme.city.name for m in members}),
            "effect": effect or 0,
            "candidates": sum(1 for m in members if m.candidate_kind),
        }
        for kind, members, effect in groups
        if len(members) > 1
    ]
    return sorted(result, key=lambda g: (g["theme_area"].order, -len(g["cities"]), -g["effect"]))


# Keeping the stored groups current


def note_change(round_id):
    """Count a change that may move the round's text groups, in the caller's transaction; the
    caller queues `tasks.regroup_similar` after it commits."""
    if not LikenessState.objects.filter(round_id=round_id).update(changes=F("changes") + 1):
        _state, created = LikenessState.objects.get_or_create(round_id=round_id, defaults={"changes": 1})
        if not created:  # made meanwhile by another change
            LikenessState.objects.filter(round_id=round_id).update(changes=F("changes") + 1)


def regroup_round(round_):
    """Find the round's text groups afresh and store them, with every group's figures; returns how
    many measures the text groups hold.

    Reads the measures for the text join outside any transaction, then, in one transaction under
    the lock of the round's `LikenessState`, replaces the rows that differ and sums the figures
    (so that a later regrouping never finds older figures written over its own). A regrouping
    that finds a later one already stored keeps that one's text groups. Safe to run twice.
    """
    began, started = time.monotonic(), timezone.now()
    state, _created = LikenessState.objects.get_or_create(round=round_)
    seen = state.changes
    rows = (
        _submitted(round_)
        .filter(category__isnull=True)
        .order_by("pk")
        .values_list("pk", "theme_area_id", "title", "description")
        .iterator(chunk_size=5000)
    )
    wanted = _text_groups(rows)
    with transaction.atomic():
        state = LikenessState.objects.select_for_update().get(pk=state.pk)
        if state.grouped is None or state.grouped <= seen:
            _store_likeness(round_, wanted)
            state.grouped, state.grouped_at = seen, started
            state.save(update_fields=["grouped", "grouped_at"])
        _store_groups(round_)
    logger.info("Regrouped %s: %d measures alike in %.1f s", round_, len(wanted), time.monotonic() - began)
    return len(wanted)


def refigure_round(round_):
    """Sum the figures of the round's stored groups afresh (after a candidate was marked, say)."""
    state, _created = LikenessState.objects.get_or_create(round=round_)
    with transaction.atomic():
        LikenessState.objects.select_for_update().get(pk=state.pk)
        _store_groups(round_)


def _store_likeness(round_, wanted):
    have = dict(MeasureLikeness.objects.filter(round=round_).values_list("measure_id", "group"))
    for chunk in _chunks(pk for pk, group in have.items() if wanted.get(pk) != group):
        MeasureLikeness.objects.filter(measure_id__in=chunk).delete()
    new = {pk: group for pk, group in wanted.items() if have.get(pk) != group}
    alive = set()  # a measure deleted since it was read gets no row
    for chunk in _chunks(new):
        alive.update(Measure.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    MeasureLikeness.objects.bulk_create(
        [MeasureLikeness(measure_id=pk, round=round_, group=group) for pk, group in new.items() if pk in alive],
        batch_size=1000,
    )


GROUP_FIELDS = ["theme_area_id", "category_id", "name", "cities", "measures", "effect", "candidates", "shown"]


def _store_groups(round_):
    """Replace the round's `SimilarGroup` rows that differ from the figures summed now."""
    wanted = {}
    for row in _figure_rows(round_):
        kind = _KIND_ORDER[row["kind"]]
        wanted[kind, row["key"]] = SimilarGroup(
            round=round_,
            kind=kind,
            key=row["key"],
            theme_area_id=row["theme"],
            category_id=row["key"] if kind == CATEGORY else None,
            name=row["name"][:200],
            cities=row["cities"],
            measures=row["measures"],
            effect=row["effect"],
            candidates=row["candidates"],
        )
    for where, ids in _first_ids(round_).items():
        if where in wanted:
            wanted[where].shown = ids
    have = {(g.kind, g.key): g for g in SimilarGroup.objects.filter(round=round_)}
    gone = [g.pk for where, g in have.items() if where not in wanted]
    for chunk in _chunks(gone):
        SimilarGroup.objects.filter(pk__in=chunk).delete()
    changed = []
    for where, group in wanted.items():
        old = have.get(where)
        if old is not None and any(getattr(old, f) != getattr(group, f) for f in GROUP_FIELDS):
            group.pk = old.pk
            changed.append(group)
    SimilarGroup.objects.bulk_update(changed, GROUP_FIELDS, batch_size=500)
    SimilarGroup.objects.bulk_create([g for where, g in wanted.items() if where not in have], batch_size=500)


def regroup_if_stale(round_id):
    """Regroup the round unless its stored groups are current (or it is gone)."""
    state = LikenessState.objects.filter(round_id=round_id).first()
    if state is not None and state.is_current:
        return
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is not None:
        regroup_round(round_)


def refigure(round_id):
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is not None:
        refigure_round(round_)


def stale_rounds():
    """The rounds whose groups may be out of date: a change not regrouped yet, a round with
    submitted programmes never grouped, or a measure of a submitted programme changed since (in
    the admin, say, which counts no change)."""
    submitted = ActionProgramme.objects.filter(status=ActionProgramme.Status.SUBMITTED)
    states = {s.round_id: s for s in LikenessState.objects.all()}
    stale = []
    rounds = Round.objects.filter(Q(pk__in=submitted.values("round")) | Q(pk__in=list(states)))
    for round_ in rounds.order_by("pk"):
        state = states.get(round_.pk)
        if state is None or not state.is_current or _submitted(round_).filter(updated_at__gt=state.grouped_at).exists():
            stale.append(round_)
    return stale


def regroup_stale():
    """Regroup every round whose groups may be out of date (the sweep's share)."""
    for round_ in stale_rounds():
        regroup_round(round_)


# Summing the groups' figures


def _figures(name):
    """A group's figures; `name` orders groups that are otherwise equal."""
    return {
        "name": name,
        "cities": Count("programme", distinct=True),  # one programme per city and round
        "measures": Count("pk"),
        "effect": Coalesce(
            Sum("expected_effect"), Value(Decimal(0)), output_field=DecimalField(max_digits=14, decimal_places=1)
        ),
        "candidates": Count("pk", filter=~Q(candidate_kind="")),
    }


def _figure_rows(round_, *, texts=True):
    """Every group of the round (of two or more submitted measures) as a row of figures summed in
    the database: kind (0 category, 1 text), key (the category, or the stored text group), theme
    (id), theme_order, name, cities, measures, effect, candidates; ordered as the page lists them."""
    submitted = _submitted(round_).order_by()
    keys = {"theme": F("theme_area_id"), "theme_order": F("theme_area__order")}
    rows = (
        submitted.filter(category__isnull=False)
        .values(kind=Value(0), key=F("category_id"), **keys)
        .annotate(**_figures(Min("category__name_nb")))
        .filter(measures__gt=1)
    )
    if texts:
        by_text = (
            submitted.filter(category__isnull=True, likeness__isnull=False)
            .values(kind=Value(1), key=F("likeness__group"), **keys)
            .annotate(**_figures(Min("title")))
            .filter(measures__gt=1)
        )
        rows = rows.union(by_text, all=True)
    return rows.order_by("theme_order", "-cities", "-effect", "kind", "name", "key")


MEMBER_ORDER = ("programme__city__name", "title", "pk")


def _first_ids(round_, *, categories=None, texts=None):
    """{(kind, key): the ids of the group's first MEASURES_SHOWN measures by city and title}, of
    every group, or of the `categories` and `texts` (keys) named."""
    order = [F(f).asc() for f in MEMBER_ORDER]
    submitted = _submitted(round_).order_by()
    first = defaultdict(list)
    parts = [
        (CATEGORY, submitted.filter(category__isnull=False), "category_id", categories),
        (TEXT, submitted.filter(category__isnull=True, likeness__isnull=False), "likeness__group", texts),
    ]
    for kind, measures, key, only in parts:
        if only is not None:
            if not only:
                continue
            measures = measures.filter(**{f"{key}__in": only})
        ranked = (
            measures.annotate(group_key=F(key), place=Window(RowNumber(), partition_by=[F(key)], order_by=order))
            .filter(place__lte=MEASURES_SHOWN)
            .order_by("group_key", "place")
            .values_list("group_key", "pk")
        )
        for group_key, pk in ranked:
            first[kind, group_key].append(pk)
    return first


# Reading the stored groups


def stored_groups(round_):
    """The round's stored groups in the page's order, or None if none were ever stored (then the
    page sums the category groups itself: see `live_category_groups`)."""
    state = LikenessState.objects.filter(round=round_).first()
    if state is None or state.grouped is None:
        return None, state
    groups = (
        SimilarGroup.objects.filter(round=round_)
        .select_related("theme_area", "category")
        .order_by("theme_area__order", "-cities", "-effect", "kind", "name", "key")
    )
    return groups, state


def live_category_groups(round_, themes, categories):
    """The category groups summed now, as dicts with a SimilarGroup's attributes (for a round whose
    groups were never stored); `categories` looks categories up by id in one query."""
    rows = list(_figure_rows(round_, texts=False))
    found = categories([r["key"] for r in rows])
    return [
        dict(row, kind=CATEGORY, theme_area=themes.get(row["theme"]), category=found.get(row["key"]), shown=[])
        for row in rows
    ]


def groups_up_to_date(round_, state):
    """Whether the round's stored groups are current; a round with nothing submitted is."""
    if state is not None:
        return state.is_current
    return not round_.programmes.filter(status=ActionProgramme.Status.SUBMITTED).exists()


def with_members(round_, groups):
    """The groups of a page (SimilarGroup rows or dicts like them) as dicts, each with its first
    measures (`measures_shown`) and its `slug` for `?group=`; in one query, however many."""
    groups = [g if isinstance(g, dict) else {f: getattr(g, f) for f in PAGE_FIELDS} for g in groups]
    missing = [g["key"] for g in groups if not g["shown"] and g["kind"] == CATEGORY]
    if missing:  # groups summed on the page, which come without their first measures
        for (_kind, key), ids in _first_ids(round_, categories=missing, texts=[]).items():
            next(g for g in groups if g["key"] == key and g["kind"] == CATEGORY)["shown"] = ids
    ids = [pk for g in groups for pk in g["shown"]]
    # By id alone, which the database looks up by its key (the round is the groups' already).
    submitted = Measure.objects.filter(programme__status=ActionProgramme.Status.SUBMITTED)
    measures = submitted.select_related("programme__city").in_bulk(ids) if ids else {}
    for g in groups:
        g["measures_shown"] = [measures[pk] for pk in g["shown"] if pk in measures]
        g["slug"] = f"{g['kind']}-{g['key']}"
    return groups


PAGE_FIELDS = ["kind", "key", "theme_area", "category", "name", "cities", "measures", "effect", "candidates", "shown"]


def stored_group(round_, kind, key):
    """The stored group `kind`-`key` of the round, or None."""
    return (
        SimilarGroup.objects.filter(round=round_, kind=kind, key=key).select_related("theme_area", "category").first()
    )


def group_figures():
    """The figures of one group, for `aggregate`; its name is the first title by the alphabet."""
    return _figures(Min("title"))


def group_members(round_, kind, key):
    """The submitted measures of one group, by city and title."""
    if kind == CATEGORY:
        members = _submitted(round_).filter(category_id=key)
    else:  # found by the index of the stored groups (a text group is of one round)
        members = Measure.objects.filter(
            likeness__round=round_,
            likeness__group=key,
            category__isnull=True,
            programme__status=ActionProgramme.Status.SUBMITTED,
        )
    return members.order_by(*MEMBER_ORDER)
