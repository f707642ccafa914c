"""The register and an instrument read in Norwegian by default and in English when chosen, the instruments'
own texts too (an English text missing falls back to the Norwegian one)."""

from django.urls import reverse


def test_the_register_reads_in_norwegian_by_default(client, contact_oslo, instrument, other_instrument):
    client.force_login(contact_oslo)

    html = client.get(reverse("state:register")).content.decode()

    assert '<html lang="nb">' in html
    assert '<h1 class="h2">Statlige virkemidler</h1>' in html
    assert "Belønningsordningen for kollektivtransport" in html
    assert "Tilskudds- eller belønningsordning" in html
    assert "Areal og transport" in html


def test_the_register_reads_in_english(client, contact_oslo, instrument, other_instrument):
    client.force_login(contact_oslo)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("state:register")).content.decode()

    assert '<html lang="en">' in html
    assert '<h1 class="h2">State instruments</h1>' in html
    assert "The reward scheme for public transport" in html
    assert "Grant or reward scheme" in html
    assert "Land use and transport" in html
    # No English name: the Norwegian one.
    assert "Rammeavtale med Enova" in html


def test_an_instrument_reads_in_both_languages(client, contact_oslo, instrument):
    client.force_login(contact_oslo)
    url = reverse("state:instrument_detail", args=[instrument.pk])

    norwegian = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()

    assert "Tilskudd til bedre kollektivtransport." in norwegian
    assert "Hva det tilbyr" in norwegian
    assert "Grants for better public transport." in english
    assert "What it offers" in english
