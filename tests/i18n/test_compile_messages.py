"""scripts/compile_messages.py, which every path that runs the site runs first (make run, make test, pytest, the
Docker image): without GNU gettext on PATH (as in python:3.11-slim) it compiles with polib, and Django reads the
result; with msgfmt the translations are the same; a broken catalogue stops it with the file's name."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
SCRIPT = BASE_DIR / "scripts" / "compile_messages.py"
needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")


def _copy_of_the_catalogues(target: Path) -> list[Path]:
    """locale/ and locale_extra/ with their .po files only: nothing compiled yet."""
    folders = []
    for name in ("locale", "locale_extra"):
        shutil.copytree(BASE_DIR / name, target / name, ignore=shutil.ignore_patterns("*.mo"))
        folders.append(target / name)
    assert not list(target.rglob("*.mo"))
    return folders


def _compile(folders: list[Path], *, path: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": path if path is not None else os.environ["PATH"]}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, folders)], env=env, capture_output=True, text=True, check=False
    )


# Django's lookups under names xgettext does not collect: these messages belong to the sources, and `make messages`
# would otherwise list this file among the places that use them (and "A search term." as a message of ours).
tr, tr_in_context, tr_plural = translation.gettext, translation.pgettext, translation.ngettext


def _catalogue(mo: Path) -> dict:
    with mo.open("rb") as compiled:
        found = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    return {key: text for key, text in found.items() if key != ""}  # the header (dates) aside


@pytest.fixture
def no_gettext_path(tmp_path) -> str:
    """A PATH without msgfmt, as in the Docker image."""
    empty = tmp_path / "bin"
    empty.mkdir()
    return str(empty)


def test_compile_messages_without_msgfmt_compiles_with_polib_what_django_reads(tmp_path, no_gettext_path):
    folders = _copy_of_the_catalogues(tmp_path / "project")

    result = _compile(folders, path=no_gettext_path)

    assert result.returncode == 0, result.stderr
    assert "(polib): 3 catalogue(s) compiled" in result.stdout
    with override_settings(LOCALE_PATHS=folders), translation.override("zh-hant"):
        assert tr("My partners") == "我的夥伴"
        assert tr_in_context("end reason", "Bad service") == "服務不佳"
        thanks = tr_plural(
            "Thank you: %(count)d order placed and paid.", "Thank you: %(count)d orders placed and paid.", 3
        )
        assert thanks % {"count": 3} == "謝謝您：3 筆訂單已成立並付款。"
        assert tr("A search term.") == "搜尋關鍵字。"  # locale_extra: one of DRF's missing messages
    # The settings are back: the project's own catalogues again.
    with translation.override("zh-hant"):
        assert tr("My partners") == "我的夥伴"


def test_compile_messages_without_catalogues_translates_nothing(tmp_path):
    """The test above could pass on the project's catalogues: with an empty locale copy nothing translates."""
    empty = tmp_path / "locale"
    (empty / "zh_Hant" / "LC_MESSAGES").mkdir(parents=True)
    assert _compile([empty]).returncode == 0
    with override_settings(LOCALE_PATHS=[empty]), translation.override("zh-hant"):
        assert tr("My partners") == "My partners"


@needs_msgfmt
def test_compile_messages_with_polib_and_with_msgfmt_hold_the_same_translations(tmp_path, no_gettext_path):
    by_polib = _copy_of_the_catalogues(tmp_path / "polib")
    by_msgfmt = _copy_of_the_catalogues(tmp_path / "msgfmt")

    assert _compile(by_polib, path=no_gettext_path).returncode == 0
    result = _compile(by_msgfmt)

    assert "(msgfmt): 3 catalogue(s) compiled" in result.stdout
    compiled = sorted(path.relative_to(tmp_path / "msgfmt") for path in (tmp_path / "msgfmt").rglob("*.mo"))
    assert [str(path) for path in compiled] == [
        "locale/zh_Hant/LC_MESSAGES/django.mo",
        "locale/zh_Hant/LC_MESSAGES/djangojs.mo",
        "locale_extra/zh_Hant/LC_MESSAGES/django.mo",
    ]
    for path in compiled:
        assert _catalogue(tmp_path / "polib" / path) == _catalogue(tmp_path / "msgfmt" / path), path


def test_compile_messages_leaves_current_catalogues_untouched(tmp_path):
    folders = _copy_of_the_catalogues(tmp_path)
    assert _compile(folders).returncode == 0
    mo = tmp_path / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.mo"
    os.utime(mo, (1_000_000_000, 1_000_000_000))

    again = _compile(folders)

    assert ": 0 catalogue(s) compiled" in again.stdout
    assert mo.stat().st_mtime == 1_000_000_000


@pytest.mark.parametrize("tool", ["msgfmt", "polib"])
def test_compile_messages_refuses_a_broken_catalogue(tmp_path, no_gettext_path, tool):
    if tool == "msgfmt" and shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext's msgfmt is not installed")
    broken = tmp_path / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"
    broken.parent.mkdir(parents=True)
    broken.write_text('msgid "Cart"\nmsgstr "購物車"\n\nmsgid "Orders"\nmsgtext "訂單"\n', encoding="utf-8")

    result = _compile([tmp_path / "locale"], path=None if tool == "msgfmt" else no_gettext_path)

    assert result.returncode == 1
    assert f"compile_messages: {broken}" in result.stderr
    assert re.search(r"(:|line )5\b", result.stderr), result.stderr  # the line of the unknown keyword
    assert not broken.with_suffix(".mo").exists()
