"""The demo app is optional: a production site leaves it out of INSTALLED_APPS and loses only `seed_demo`."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
# Code that may use the demo data: the app itself and the tools around the portal.
MAY_IMPORT_DEMO = {"demo", "tests", "benchmarks", "docs", ".venv", "var"}


def imports_demo(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(alias.name.split(".")[0] == "demo" for alias in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "demo":
            return True
    return False


def test_demo_is_imported_by_no_part_of_the_portal():
    sources = [p for p in ROOT.rglob("*.py") if p.relative_to(ROOT).parts[0] not in MAY_IMPORT_DEMO]
    assert [str(p.relative_to(ROOT)) for p in sources if imports_demo(p)] == []


def test_seed_demo_is_a_command_of_the_demo_app():
    assert get_commands()["seed_demo"] == "demo"


def without_demo():
    return override_settings(INSTALLED_APPS=[app for app in settings.INSTALLED_APPS if app != "demo"])


def test_without_demo_app_seed_demo_is_unknown_and_checks_pass():
    with without_demo():
        assert "seed_demo" not in get_commands()
        with pytest.raises(CommandError, match="Unknown command: 'seed_demo'"):
            call_command("seed_demo")
        call_command("check", fail_level="ERROR")


def test_without_demo_app_the_landing_page_works(client, contact_oslo):
    client.force_login(contact_oslo)
    with without_demo():
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.templates[0].name == "portal/home.html"
