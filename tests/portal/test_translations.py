"""The catalogues are complete, current and used.

`locale/nb/LC_MESSAGES/django.po` must translate every string that code and
templates mark, with no fuzzy entries. Whether the catalogues are current is
checked by running makemessages in a throwaway copy of the source tree, so the
committed files are never rewritten here. After adding or changing strings:

    .venv/bin/python manage.py makemessages -l nb -l en --ignore=.venv --ignore=var --ignore=tests --no-location

then translate the new entries in the nb catalogue (the en one stays empty:
English falls back to the source strings).
"""

import ast
import contextlib
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
LOCALES = ("nb", "en")
MAKEMESSAGES = [
    "makemessages",
    *(option for code in LOCALES for option in ("-l", code)),
    "--ignore=.venv",
    "--ignore=var",
    "--ignore=tests",
    "--no-location",
]
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
# What the copy of the tree leaves out: what makemessages ignores anyway
# (hidden folders, and var/ and tests/ by the options above) and build output.
SKIPPED_FOLDERS = {"var", "tests", "__pycache__", "node_modules", "test-results"}
# makemessages reads .py, .html and .txt; the catalogues come along for the merge.
COPIED_SUFFIXES = {".py", ".html", ".txt", ".po"}
PLACEHOLDER = re.compile(r"%\((\w+)\)")


def catalogue_path(code, root=ROOT):
    return root / "locale" / code / "LC_MESSAGES" / "django.po"


# --- a small .po reader ------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # form index -> text; 0 when singular
    flags: set[str] = field(default_factory=set)

    @property
    def key(self):
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def label(self):
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        return repr(self.msgid) + context


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")\s*$')


def read_po(path):
    """The header (msgid "") and the live entries of a .po file; obsolete (#~) ones are dropped."""
    entries, entry, target = [], Entry(), None

    def flush():
        nonlocal entry, target
        if entry.msgstr or target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#"):
            if entry.msgstr:  # a comment after msgstr starts the next entry
                flush()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif match := _KEYWORD.match(line):
            keyword, index, text = match.groups()
            if keyword in ("msgctxt", "msgid") and entry.msgstr:
                flush()
            value = ast.literal_eval(text)
            if keyword == "msgstr":
                target = int(index or 0)
                entry.msgstr[target] = value
            else:
                target = keyword
                setattr(entry, keyword, value)
        elif line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
            if isinstance(target, int):
                entry.msgstr[target] += value
            else:
                setattr(entry, target, getattr(entry, target) + value)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    flush()
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)
    return header, [e for e in entries if e is not header]


def header_fields(header):
    lines = header.msgstr.get(0, "").splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def listing(entries):
    return "\n".join(f"  - {entry.label}" for entry in entries)


def untranslated(entry, nplurals=2):
    forms = range(nplurals) if entry.msgid_plural is not None else [0]
    return any(not entry.msgstr.get(form) for form in forms)


# --- the catalogues themselves -----------------------------------------------


@pytest.mark.parametrize("code", LOCALES)
def test_catalogue_header(code):
    header, _ = read_po(catalogue_path(code))
    assert header is not None, f"{code}: the catalogue has no header entry"
    assert "fuzzy" not in header.flags, f"{code}: the header is marked fuzzy, so msgfmt would ignore it"
    fields = header_fields(header)
    assert fields.get("Plural-Forms") == PLURAL_FORMS
    assert fields.get("Language") == code
    assert fields.get("Content-Type") == "text/plain; charset=UTF-8"


def test_nb_catalogue_is_fully_translated():
    _, entries = read_po(catalogue_path("nb"))
    assert entries, "the nb catalogue is empty; run makemessages"
    fuzzy = [e for e in entries if "fuzzy" in e.flags]
    empty = [e for e in entries if untranslated(e)]
    problems = []
    if empty:
        problems.append(f"{len(empty)} untranslated (empty msgstr, or a plural form missing):\n{listing(empty)}")
    if fuzzy:
        problems.append(f"{len(fuzzy)} fuzzy (check the translation, then remove the flag):\n{listing(fuzzy)}")
    assert not problems, "locale/nb/LC_MESSAGES/django.po:\n" + "\n".join(problems)


def test_nb_translations_keep_their_placeholders():
    """A placeholder the source lacks breaks the string at run time; a missing one loses information."""
    _, entries = read_po(catalogue_path("nb"))
    wrong = []
    for entry in entries:
        source = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural or ""))
        for form, text in entry.msgstr.items():
            used = set(PLACEHOLDER.findall(text))
            if text and (not used <= source or (entry.msgid_plural is None and used != source)):
                wrong.append(f"  - {entry.label} [{form}]: {sorted(used)} instead of {sorted(source)}")
    assert not wrong, "nb translations with wrong placeholders:\n" + "\n".join(wrong)


# Quotes in Norwegian text are «», never English ones (straight or curly).
ENGLISH_QUOTES = re.compile(r'[“”]|"[^"<>=]+"')


def test_nb_translations_use_norwegian_quotes():
    _, entries = read_po(catalogue_path("nb"))
    wrong = [
        f"  - {entry.label} [{form}]: {text}"
        for entry in entries
        for form, text in entry.msgstr.items()
        if ENGLISH_QUOTES.search(text.replace('\\"', '"'))
    ]
    assert not wrong, "nb translations with English quotes (use «»):\n" + "\n".join(wrong)


@pytest.mark.parametrize("code", LOCALES)
def test_msgfmt_accepts_catalogue(code):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext is not installed (apt-get install gettext)"
    result = subprocess.run(  # noqa: S603 - a fixed command on our own file
        [msgfmt, "--check", "-o", "/dev/null", str(catalogue_path(code))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# --- the catalogues are current ----------------------------------------------


def _skip(folder, names):
    return [
        name
        for name in names
        if (Path(folder, name).is_dir() and (name.startswith(".") or name in SKIPPED_FOLDERS))
        or (Path(folder, name).is_file() and Path(name).suffix not in COPIED_SUFFIXES)
    ]


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory):
    """The entries makemessages extracts from the source now, by key (from its kept .pot)."""
    copy = tmp_path_factory.mktemp("messages") / "tree"
    shutil.copytree(ROOT, copy, ignore=_skip)
    result = subprocess.run(  # noqa: S603 - our own manage.py, in our own interpreter
        [sys.executable, "manage.py", *MAKEMESSAGES, "--keep-pot"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    _, entries = read_po(copy / "locale" / "django.pot")
    messages = {entry.key: entry for entry in entries}
    # A copy that lost the templates or the apps would make every comparison pass.
    assert (None, "Log in", None) in messages and (None, "Save measure", None) in messages, (
        "makemessages in the copy found too little; does the copy miss source folders?"
    )
    return messages


@pytest.mark.parametrize("code", LOCALES)
def test_catalogue_is_current(code, source_messages):
    _, entries = read_po(catalogue_path(code))
    committed = {entry.key: entry for entry in entries}
    missing = [entry for key, entry in source_messages.items() if key not in committed]
    stale = [entry for key, entry in committed.items() if key not in source_messages]
    problems = []
    if missing:
        problems.append(f"{len(missing)} marked in the source but missing from the catalogue:\n{listing(missing)}")
    if stale:
        problems.append(f"{len(stale)} in the catalogue but no longer in the source:\n{listing(stale)}")
    assert not problems, (
        f"locale/{code}/LC_MESSAGES/django.po is out of date; run\n"
        "  .venv/bin/python manage.py " + " ".join(MAKEMESSAGES) + "\n"
        "and translate the new nb entries.\n" + "\n".join(problems)
    )


def test_every_source_message_is_translated_in_nb(source_messages):
    _, entries = read_po(catalogue_path("nb"))
    committed = {entry.key: entry for entry in entries}
    lacking = [
        entry
        for key, entry in source_messages.items()
        if key not in committed or untranslated(committed[key]) or "fuzzy" in committed[key].flags
    ]
    assert not lacking, f"{len(lacking)} source strings have no finished nb translation:\n{listing(lacking)}"


# --- the catalogues are used -------------------------------------------------


@pytest.fixture(scope="module")
def compiled_messages():
    """Compile the catalogues (make does it before the tests; this makes a bare pytest run work too)."""
    with contextlib.chdir(ROOT):
        call_command("compilemessages", ignore_patterns=[".venv", "var", "node_modules"], verbosity=0)
    # Entering and leaving the override drops Django's cached catalogues, in
    # case an earlier test loaded them before the .mo files existed.
    with override_settings(LOCALE_PATHS=settings.LOCALE_PATHS):
        yield


@pytest.mark.django_db
def test_login_page_is_norwegian_by_default(client, compiled_messages):
    # An English browser still gets Norwegian until the user chooses otherwise.
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="nb">' in page
    assert "Logg inn" in page
    # Strings only our catalogue translates (Django's own has "Log in" too).
    assert "Hopp til hovedinnhold" in page
    assert "Framtidens byer – koordineringsportal" in page
    assert "Log in" not in page


@pytest.mark.django_db
def test_login_page_in_english(client, compiled_messages):
    client.cookies["django_language"] = "en"
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page
    assert "Skip to main content" in page
    assert "Cities of the Future – coordination portal" in page
    assert "Logg inn" not in page
