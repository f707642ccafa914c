"""The open data downloads (CSV and JSON with one schema and the licence) and the DCAT-AP-NO catalog."""

import csv
import io
import json

from django.urls import reverse

from actionplans.models import Measure
from agreements.models import Agreement
from opendata.datasets import TABLES, moment
from opendata.services import publish_round
from tests import factories

MEASURE_COLUMNS = [
    "measure_id",
    "round",
    "municipality_number",
    "city_name",
    "theme_area",
    "theme_area_name_nb",
    "theme_area_name_en",
    "category_nb",
    "category_en",
    "sector",
    "title",
    "description",
    "status",
    "claimed_effect_t_co2e_per_year",
    "assessed_effect_t_co2e_per_year",
    "cost_estimate_nok",
]


def get(client, round_, table, fmt):
    response = client.get(reverse("opendata:download", args=[round_.slug, table, fmt]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def csv_rows(body):
    return list(csv.reader(io.StringIO(body.decode("utf-8"))))


def test_measures_csv_is_plain_utf8_with_a_header_first(client, published, round_, public_world):
    response, body = get(client, round_, "measures", "csv")

    assert body[:3] != b"\xef\xbb\xbf"  # no byte order mark: the first column's name is "measure_id"
    assert csv_rows(body) == [
        MEASURE_COLUMNS,
        [
            str(public_world["bybane"].pk),
            "handlingsprogram-2030",
            "1201",
            "Bergen",
            "atp",
            "Areal og transport",
            "Land use and transport",
            "Kollektivtrafikk",
            "Public transport",
            "road_traffic",
            "Bybane",
            "Bybane til Fyllingsdalen",
            "ongoing",
            "120.0",
            "80.0",
            "5000000",
        ],
        [
            str(public_world["heat"].pk),
            "handlingsprogram-2030",
            "1201",
            "Bergen",
            "energy",
            "Energi i bygg",
            "Energy in buildings",
            "",
            "",
            "",
            "Fjernvarme",
            "",
            "planned",
            "30.5",
            "",
            "",
        ],
    ]
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response["Content-Disposition"] == 'attachment; filename="handlingsprogram-2030-measures.csv"'
    assert response["Link"] == '<https://data.norge.no/nlod/no/2.0>; rel="license"'
    assert response["X-License"] == "NLOD-2.0 https://data.norge.no/nlod/no/2.0"


def test_csv_is_the_same_in_both_languages(client, published, round_):
    norwegian = get(client, round_, "programmes", "csv")[1]
    client.cookies["django_language"] = "en"
    english = get(client, round_, "programmes", "csv")[1]

    assert norwegian == english


def test_programmes_csv_and_json_have_the_same_columns_and_values(client, published, round_, public_world):
    rows = csv_rows(get(client, round_, "programmes", "csv")[1])
    document = json.loads(get(client, round_, "programmes", "json")[1])

    bergen = public_world["bergen"]
    assert rows[0] == [field["name"] for field in document["fields"]]
    assert dict(zip(rows[0], rows[1], strict=True)) == {
        "round": "handlingsprogram-2030",
        "municipality_number": "1201",
        "city_name": "Bergen",
        "city_slug": "bergen",
        "county": bergen.city.county.name,
        "population": "50000",
        "submitted_at": moment(bergen.submitted_at),
        "submitted_on_time": "true",
        "measure_count": "2",
        "claimed_effect_t_co2e_per_year": "150.5",
        "assessed_effect_t_co2e_per_year": "80.0",
        "assessed_measure_count": "1",
        "page_url": "http://testserver/open/handlingsprogram-2030/bergen/",
        "document_url": "http://testserver/open/handlingsprogram-2030/bergen/document/",
    }
    assert document["rows"][0]["submitted_at"] == moment(bergen.submitted_at)  # ISO 8601, Oslo time, with offset
    assert (document["rows"][0]["measure_count"], document["rows"][0]["claimed_effect_t_co2e_per_year"]) == (2, 150.5)
    assert len(document["rows"]) == 1


def test_json_has_the_schema_and_the_licence(client, published, round_):
    document = json.loads(get(client, round_, "measures", "json")[1])

    assert list(document) == [
        "licence",
        "licence_url",
        "publisher",
        "round",
        "table",
        "generated_at",
        "fields",
        "rows",
    ]
    assert (document["licence"], document["licence_url"]) == ("NLOD-2.0", "https://data.norge.no/nlod/no/2.0")
    assert document["publisher"]["name"] == "Klima- og miljødepartementet"
    assert document["round"] == {
        "slug": "handlingsprogram-2030",
        "name": "Handlingsprogram 2030",
        "url": "http://testserver/open/handlingsprogram-2030/",
    }
    assert [f["name"] for f in document["fields"]] == MEASURE_COLUMNS
    assert all(set(f) == {"name", "type", "description"} and f["description"] for f in document["fields"])
    assert [
        (r["title"], r["claimed_effect_t_co2e_per_year"], r["assessed_effect_t_co2e_per_year"])
        for r in document["rows"]
    ] == [("Bybane", 120.0, 80.0), ("Fjernvarme", 30.5, None)]
    assert "assessed_reason" not in json.dumps(document)


def test_the_schema_is_in_english_whatever_the_language(client, published, round_):
    client.cookies["django_language"] = "nb"
    document = json.loads(get(client, round_, "agreements", "json")[1])

    assert document["fields"][0] == {
        "name": "agreement_id",
        "type": "integer",
        "description": "The agreement's number in the portal.",
    }


def test_agreements_of_submitted_programmes_only_with_the_value_once_signed(client, published, round_, public_world):
    unsigned = Agreement.objects.create(
        title="Kompetanse", kind="competence_building", value=50_000, created_by=public_world["agreement"].created_by
    )
    unsigned.measures.set([public_world["heat"]])

    document = json.loads(get(client, round_, "agreements", "json")[1])

    assert [
        (r["title"], r["status"], r["value_nok"], r["parties"], r["measure_ids"], r["municipality_numbers"])
        for r in document["rows"]
    ] == [
        ("Belønningsordning", "signed", 2000000, ["Bergen", "Organisation MD"], [public_world["bybane"].pk], ["1201"]),
        ("Kompetanse", "identified", None, [], [public_world["heat"].pk], ["1201"]),
    ]
    rows = csv_rows(get(client, round_, "agreements", "csv")[1])
    assert [row[rows[0].index("parties")] for row in rows[1:]] == ["Bergen; Organisation MD", ""]


def test_a_formula_is_neutralised_in_csv_and_kept_in_json(client, published, round_, public_world):
    Measure.objects.filter(pk=public_world["bybane"].pk).update(title="=HYPERLINK(1)")

    rows = csv_rows(get(client, round_, "measures", "csv")[1])
    document = json.loads(get(client, round_, "measures", "json")[1])

    assert rows[1][MEASURE_COLUMNS.index("title")] == "'=HYPERLINK(1)"
    assert document["rows"][0]["title"] == "=HYPERLINK(1)"


def test_another_licence_is_named_in_the_headers_and_the_json(client, public_world, round_, manager):
    publish_round(round_, licence="CC-BY-4.0", by=manager)

    response, body = get(client, round_, "programmes", "json")

    assert response["X-License"] == "CC-BY-4.0 https://creativecommons.org/licenses/by/4.0/"
    assert json.loads(body)["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"


def test_an_empty_round_has_the_header_and_no_rows(client, manager):
    empty = factories.RoundFactory(slug="tom", name="Tom runde")
    publish_round(empty, by=manager)

    rows = csv_rows(get(client, empty, "measures", "csv")[1])
    document = json.loads(get(client, empty, "measures", "json")[1])

    assert (rows, document["rows"]) == ([MEASURE_COLUMNS], [])


def test_an_unknown_table_or_format_is_not_found(client, published, round_):
    for path in ["reviews.csv", "measures.xlsx", "measures.csv.json"]:
        assert client.get(f"/open/{round_.slug}/{path}").status_code == 404, path


def test_every_table_documents_each_column(client, published, round_):
    client.cookies["django_language"] = "en"

    text = client.get(reverse("opendata:round", args=[round_.slug])).content.decode()

    for table in TABLES.values():
        assert reverse("opendata:download", args=[round_.slug, table.name, "csv"]) in text
        for field in table.fields:
            assert f"<code>{field.name}</code>" in text
    assert "Norwegian Licence for Open Government Data (NLOD) 2.0" in text
    assert "no comment lines" in text


def test_catalog_describes_each_published_round_in_dcat_ap_no(client, published, round_, manager):
    factories.RoundFactory(slug="upublisert", name="Upublisert runde")

    response = client.get(reverse("opendata:catalog_jsonld"))

    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    catalog = json.loads(response.content)
    assert (catalog["@type"], catalog["@id"]) == ("dcat:Catalog", "http://testserver/open/catalog.jsonld")
    (dataset,) = catalog["dcat:dataset"]
    assert dataset["@type"] == "dcat:Dataset"
    assert dataset["dcat:landingPage"] == {"@id": "http://testserver/open/handlingsprogram-2030/"}
    assert [t["@language"] for t in dataset["dct:title"]] == ["nb", "en"]
    assert dataset["dct:publisher"]["@type"] == "foaf:Agent"
    assert dataset["dcat:contactPoint"] == {
        "@id": "http://testserver/open/#contact",
        "@type": "vcard:Organization",
        "vcard:fn": "Klima- og miljødepartementet",
        "vcard:hasURL": {"@id": "https://www.regjeringen.no/no/dep/kld/id668/"},
    }
    assert dataset["dct:license"] == {"@id": "http://publications.europa.eu/resource/authority/licence/NLOD_2_0"}
    assert dataset["dcat:theme"] == [
        {"@id": "http://publications.europa.eu/resource/authority/data-theme/ENVI"},
        {"@id": "http://publications.europa.eu/resource/authority/data-theme/GOVE"},
    ]
    assert dataset["dct:issued"]["@type"] == "xsd:dateTime"
    downloads = [d["dcat:downloadURL"]["@id"] for d in dataset["dcat:distribution"]]
    assert downloads == [
        f"http://testserver/open/handlingsprogram-2030/{table}.{fmt}"
        for table in ("programmes", "measures", "agreements")
        for fmt in ("csv", "json")
    ]
    assert {d["dct:format"]["@id"].rsplit("/", 1)[1] for d in dataset["dcat:distribution"]} == {"CSV", "JSON"}
    assert {d["dcat:mediaType"]["@id"] for d in dataset["dcat:distribution"]} == {
        "https://www.iana.org/assignments/media-types/text/csv",
        "https://www.iana.org/assignments/media-types/application/json",
    }
    assert "upublisert" not in response.content.decode()
    for url in downloads:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_catalog_as_turtle(client, published, round_):
    response = client.get(reverse("opendata:catalog_turtle"))

    text = response.content.decode()
    assert response["Content-Type"] == "text/turtle; charset=utf-8"
    assert text.startswith("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n")
    assert "<http://testserver/open/handlingsprogram-2030/#dataset>\n    a dcat:Dataset ;" in text
    assert text.count("a dcat:Distribution ;") == 6
    assert "<http://testserver/open/#contact>\n    a vcard:Organization ;" in text
    assert (
        '"Open data of the Cities of the Future"@en .' in text or '"Open data of the Cities of the Future"@en ;' in text
    )
    assert "dcat:dataset <http://testserver/open/handlingsprogram-2030/#dataset>" in text


def test_catalog_with_nothing_published_is_an_empty_catalog(client, db):
    catalog = json.loads(client.get(reverse("opendata:catalog_jsonld")).content)

    assert catalog["dcat:dataset"] == []
