"""The DCAT-AP-NO description of the open data, for the national data catalogue (data.norge.no) to harvest: a
dcat:Catalog with one dcat:Dataset per published round and a dcat:Distribution per download, as JSON-LD
(`jsonld`) and as Turtle (`turtle`, written from the same graph: no RDF library needed for so little).

Titles and descriptions are given in Norwegian bokmål and English; the themes are the EU's data themes
(environment, and government and public sector); the licence and the formats are URIs of the EU's
vocabularies, as DCAT-AP-NO asks.
"""

import json

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from actionplans.models import ActionProgramme
from opendata import datasets
from opendata.access import published_rounds

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LANGUAGES = ("nb", "en")
EU = "http://publications.europa.eu/resource/authority/"
THEMES = [f"{EU}data-theme/ENVI", f"{EU}data-theme/GOVE"]
FILE_TYPES = {"csv": f"{EU}file-type/CSV", "json": f"{EU}file-type/JSON"}
MEDIA_TYPES = {
    "csv": "https://www.iana.org/assignments/media-types/text/csv",
    "json": "https://www.iana.org/assignments/media-types/application/json",
}
NORWAY = "https://data.geonorge.no/administrativeEnheter/nasjon/id/173163"
PUBLIC = f"{EU}access-right/PUBLIC"
LANGUAGE_URIS = [f"{EU}language/NOB", f"{EU}language/ENG"]


def _texts(make):
    """`make()` in each language, as a JSON-LD language map's values."""
    values = []
    for language in LANGUAGES:
        with override(language):
            values.append({"@language": language, "@value": str(make())})
    return values


def _moment(value):
    return {"@type": "xsd:dateTime", "@value": datasets.moment(value)}


def _ref(uri):
    return {"@id": uri}


def graph(request):
    """The catalog as a JSON-LD document (a dict)."""
    url = request.build_absolute_uri
    agent = datasets.publisher()
    publisher = {
        "@id": agent["uri"],
        "@type": "foaf:Agent",
        "foaf:name": [{"@language": "nb", "@value": agent["name"]}, {"@language": "en", "@value": agent["name_en"]}],
        "foaf:homepage": _ref(agent["url"]),
    }
    # Whom to ask about the data: the publisher, by its web site (an organisation's, never a person's address).
    contact = {
        "@id": url(reverse("opendata:index")) + "#contact",
        "@type": "vcard:Organization",
        "vcard:fn": agent["name"],
        "vcard:hasURL": _ref(agent["url"]),
    }
    rounds = list(published_rounds())
    last_submitted = dict(
        ActionProgramme.objects.filter(round__in=rounds, status=ActionProgramme.Status.SUBMITTED)
        .values("round")
        .annotate(last=Max("submitted_at"))
        .values_list("round", "last")
    )
    catalog_datasets = []
    for round_ in rounds:
        publication = round_.publication
        modified = max(filter(None, [publication.published_at, last_submitted.get(round_.pk)]))
        page = url(reverse("opendata:round", args=[round_.slug]))
        distributions = []
        for table in datasets.TABLES.values():
            for fmt in datasets.FORMATS:
                download = url(reverse("opendata:download", args=[round_.slug, table.name, fmt]))
                distributions.append(
                    {
                        "@id": download,
                        "@type": "dcat:Distribution",
                        "dct:title": _texts(
                            lambda table=table, fmt=fmt: (
                                _("%(table)s (%(format)s)") % {"table": table.title, "format": fmt.upper()}
                            )
                        ),
                        "dct:description": _texts(lambda table=table: table.description),
                        "dcat:accessURL": _ref(page),
                        "dcat:downloadURL": _ref(download),
                        "dcat:mediaType": _ref(MEDIA_TYPES[fmt]),
                        "dct:format": _ref(FILE_TYPES[fmt]),
                        "dct:license": _ref(publication.licence_uri),
                        "dct:issued": _moment(publication.published_at),
                        "dct:modified": _moment(modified),
                    }
                )
        catalog_datasets.append(
            {
                "@id": f"{page}#dataset",
                "@type": "dcat:Dataset",
                "dct:identifier": f"{page}#dataset",
                "dct:title": _texts(
                    lambda round_=round_: (
                        _("Climate action programmes of the Cities of the Future: %(round)s") % {"round": round_.name}
                    )
                ),
                "dct:description": _texts(
                    lambda: _(
                        "The action programmes the cities submitted in the round: per city the programme "
                        "document, its measures with the climate effect the city claims and the effect the "
                        "reviewers assessed (tonnes CO₂-equivalents per year), cost and status, and the "
                        "agreements with the state the measures are part of."
                    )
                ),
                "dct:publisher": publisher,
                "dcat:contactPoint": contact,
                "dct:license": _ref(publication.licence_uri),
                "dct:accessRights": _ref(PUBLIC),
                "dct:issued": _moment(publication.published_at),
                "dct:modified": _moment(modified),
                "dct:language": [_ref(uri) for uri in LANGUAGE_URIS],
                "dct:spatial": _ref(NORWAY),
                "dcat:theme": [_ref(theme) for theme in THEMES],
                "dcat:keyword": _texts(lambda: _("climate"))
                + _texts(lambda: _("action programme"))
                + _texts(lambda: _("municipalities")),
                "dcat:landingPage": _ref(page),
                "dcat:distribution": distributions,
            }
        )
    return {
        "@context": CONTEXT,
        "@id": url(reverse("opendata:catalog_jsonld")),
        "@type": "dcat:Catalog",
        "dct:title": _texts(lambda: _("Open data of the Cities of the Future")),
        "dct:description": _texts(
            lambda: _("The published rounds of the climate action programmes of the Cities of the Future.")
        ),
        "dct:publisher": publisher,
        "dcat:dataset": catalog_datasets,
    }


def jsonld(request):
    return json.dumps(graph(request), ensure_ascii=False, indent=2)


# Turtle: the same graph, written out. `graph` makes only these shapes: a node with an @id (a subject of its
# own if it has properties, else a reference), a literal with a language or a datatype, a plain string (a
# literal), and @type (a prefixed name).


def _literal(text):
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _iri(uri):
    return "<" + "".join(c for c in uri if c not in '<>"{}|^`\\ ') + ">"


def _term(value):
    if isinstance(value, dict) and "@id" in value:
        return _iri(value["@id"])
    if isinstance(value, dict) and "@language" in value:
        return f"{_literal(value['@value'])}@{value['@language']}"
    if isinstance(value, dict):
        return f"{_literal(value['@value'])}^^{value['@type']}"
    return _literal(value)


def _subjects(node, out):
    """Write `node`, and before it every node it names that has properties of its own, each once."""
    lines = []
    for key, value in node.items():
        if key in ("@id", "@context"):
            continue
        values = value if isinstance(value, list) else [value]
        if key == "@type":
            lines.append(f"    a {', '.join(values)}")
            continue
        for item in values:
            if isinstance(item, dict) and "@id" in item and len(item) > 1:
                _subjects(item, out)
        lines.append(f"    {key} {' , '.join(_term(item) for item in values)}")
    out.setdefault(node["@id"], f"{_iri(node['@id'])}\n" + " ;\n".join(lines) + " .\n")


def turtle(request):
    document = graph(request)
    prefixes = "".join(f"@prefix {prefix}: <{uri}> .\n" for prefix, uri in document["@context"].items())
    out = {}
    _subjects(document, out)
    return prefixes + "\n" + "\n".join(out.values())
