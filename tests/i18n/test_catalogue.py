"""The Traditional Chinese catalogue: the header, navigation and footer read in Chinese; every message the sources
mark is in the committed catalogue (makemessages run into a temporary copy of locale/, message sets compared with
polib: the files themselves differ by a date line); none is empty or fuzzy; and the compiled .mo files, what Django
reads, hold exactly the .po's translations."""

from __future__ import annotations

import gettext
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
LOCALE, LOCALE_EXTRA = BASE_DIR / "locale", BASE_DIR / "locale_extra"
CATALOGUE = LOCALE / "zh_Hant" / "LC_MESSAGES"


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, BASE_DIR / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_messages = _script("make_messages")


def _header_and_footer(html: str) -> str:
    start, end = html.index("<body"), html.index('<main id="main"')
    return html[start:end] + html[html.index('<footer class="site-footer">') :]


def test_a_visitor_reads_the_header_and_footer_in_chinese(client):
    html = client.get(reverse("shop:help"), HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    chrome = _header_and_footer(html)
    chinese = ("跳到主要內容", 'aria-label="主選單"', "商家", "商品", "登入", "註冊", "說明", "條款", "隱私")
    for words in (*chinese, "由您選擇與誰交易"):
        assert words in chrome, words
    for english in (">Vendors<", ">Products<", ">Sign in<", ">Sign up<", ">Help<", "you choose whom you trade with"):
        assert english not in chrome, english


def test_a_signed_in_consumer_reads_their_links_in_chinese(client):
    user = UserFactory(email="mei@example.com", language="zh-hant")
    client.force_login(user)
    chrome = _header_and_footer(client.get(reverse("shop:help")).content.decode())
    for words in ("我的夥伴", "我的詢問", "購物車", "訂單", "帳號", "開店", "登出（mei@example.com）"):
        assert words in chrome, words
    assert "My partners" not in chrome and "Sign out" not in chrome


def test_english_stays_english(client):
    chrome = _header_and_footer(client.get(reverse("shop:help"), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert ">Vendors<" in chrome and "you choose whom you trade with" in chrome
    assert "商家" not in chrome


# --- Sources against the committed catalogue ------------------------------------------------------------------


def _key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _messages(po: polib.POFile) -> set[tuple[str, str, str]]:
    """The live messages of a catalogue (makemessages keeps messages the sources dropped as obsolete ones)."""
    return {_key(entry) for entry in po if not entry.obsolete and entry.msgid}


SOURCE_SUFFIXES = {".py", ".html", ".txt", ".js"}  # what makemessages reads (django: py, html, txt; djangojs: js)


def _copy_sources(source: Path, target: Path) -> None:
    """Copies what makemessages reads: hidden folders, caches and the build output it is told to ignore stay out."""

    def skipped(folder: str, names: list[str]) -> set[str]:
        return {
            name
            for name in names
            if name.startswith(".")
            or name in {"__pycache__", "staticfiles", "node_modules", "media"}
            or (Path(folder, name).is_file() and Path(name).suffix not in SOURCE_SUFFIXES)
        }

    if source.is_dir():
        shutil.copytree(source, target, ignore=skipped, symlinks=True)
    elif source.suffix in SOURCE_SUFFIXES:
        shutil.copy2(source, target)


def _makemessages(workspace: Path, sources: list[Path], domains: list[str]) -> dict[str, polib.POFile]:
    """Runs the `make messages` makemessages runs of `domains` over a copy of `sources`, into a copy of locale/ in
    `workspace`, and returns what it wrote. makemessages writes to the `locale` folder of the folder it walks (and
    its scratch files beside the templates it reads), so it walks the copy, and LOCALE_PATHS names the copy's
    locale/ only: nothing of the project is written."""
    tree = workspace / "tree"
    tree.mkdir(parents=True)
    for source in sources:
        _copy_sources(source, tree / source.name)
    shutil.copytree(LOCALE, tree / "locale")
    overrides = workspace / "settings"
    overrides.mkdir()
    (overrides / "catalogue_check_settings.py").write_text(
        "from pathlib import Path\n"
        "from marketplace.settings import *  # noqa: F403\n"
        f"LOCALE_PATHS = [Path({str(tree / 'locale')!r})]\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "catalogue_check_settings", "PYTHONPATH": str(overrides)}
    for domain in domains:
        subprocess.run(
            [sys.executable, str(BASE_DIR / "manage.py"), "makemessages", *make_messages.RUNS[domain]],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return {
        domain: polib.pofile(str(tree / "locale" / "zh_Hant" / "LC_MESSAGES" / f"{domain}.po")) for domain in domains
    }


def _missing(fresh: polib.POFile, committed: polib.POFile) -> list[tuple[str, str, str]]:
    return sorted(_messages(fresh) - _messages(committed))


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> dict[str, polib.POFile]:
    """The catalogues makemessages writes from the sources as they are now, both domains."""
    sources = [path for path in BASE_DIR.iterdir() if not path.name.startswith(".") and path.name != "locale"]
    return _makemessages(tmp_path_factory.mktemp("makemessages"), sources, list(make_messages.RUNS))


def test_every_message_in_the_sources_is_in_the_committed_catalogue(fresh_catalogues):
    fresh_django, fresh_js = fresh_catalogues["django"], fresh_catalogues["djangojs"]
    # The scan read the templates, the Python and our scripts (a message of each).
    assert ("", "My partners", "") in _messages(fresh_django)
    assert ("end reason", "Bad service", "") in _messages(fresh_django)
    assert ("", "Partners", "") in _messages(fresh_js)
    for domain, fresh in fresh_catalogues.items():
        missing = _missing(fresh, polib.pofile(str(CATALOGUE / f"{domain}.po")))
        assert not missing, f"run `make messages` and translate these in {domain}.po: {missing}"


def test_a_message_newly_marked_in_the_sources_fails_the_check(tmp_path):
    probe = tmp_path / "probe_app"
    probe.mkdir()
    (probe / "views.py").write_text(
        "from django.utils.translation import gettext\n\nMESSAGE = gettext('A sentence nobody has translated yet')\n"
    )
    before = (CATALOGUE / "django.po").read_bytes()
    fresh = _makemessages(tmp_path / "workspace", [probe], ["django"])["django"]
    assert _missing(fresh, polib.pofile(str(CATALOGUE / "django.po"))) == [
        ("", "A sentence nobody has translated yet", "")
    ]
    assert (CATALOGUE / "django.po").read_bytes() == before  # the run wrote to its copy only


def _catalogue_files() -> list[Path]:
    return sorted([*LOCALE.glob("*/LC_MESSAGES/*.po"), *LOCALE_EXTRA.glob("*/LC_MESSAGES/*.po")])


def _untranslated_or_fuzzy(po: polib.POFile) -> list[tuple[str, str, str, str]]:
    return [("empty", *_key(e)) for e in po.untranslated_entries()] + [("fuzzy", *_key(e)) for e in po.fuzzy_entries()]


def test_no_translation_is_empty_or_fuzzy():
    assert {path.name for path in _catalogue_files()} == {"django.po", "djangojs.po"}
    for path in _catalogue_files():
        po = polib.pofile(str(path))
        assert not _untranslated_or_fuzzy(po), (path, _untranslated_or_fuzzy(po))
        assert po.translated_entries()


def test_an_empty_or_fuzzy_translation_fails_the_check(tmp_path):
    (tmp_path / "django.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Cart"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Orders"\nmsgstr "訂單"\n\n'
        'msgid "%(count)d order"\nmsgid_plural "%(count)d orders"\nmsgstr[0] ""\n\n'
        'msgid "Shop"\nmsgstr "商店"\n',
        encoding="utf-8",
    )
    assert _untranslated_or_fuzzy(polib.pofile(str(tmp_path / "django.po"))) == [
        ("empty", "", "Cart", ""),
        ("empty", "", "%(count)d order", "%(count)d orders"),
        ("fuzzy", "", "Orders", ""),
    ]


# --- What Django reads -------------------------------------------------------------------------------------------


def _expected_catalogue(po: polib.POFile) -> dict:
    """The translations a correct .mo of `po` holds, keyed as Python's gettext keys them."""
    expected = {}
    for entry in po.translated_entries():
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                expected[(msgid, int(index))] = text
        else:
            expected[msgid] = entry.msgstr
    return expected


@pytest.mark.parametrize("po_path", _catalogue_files(), ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_the_compiled_mo_holds_exactly_the_po(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), "run `python scripts/compile_messages.py` (make run and make test do)"
    with mo_path.open("rb") as compiled:
        found = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    found = {key: text for key, text in found.items() if key != ""}  # the header
    assert found == _expected_catalogue(polib.pofile(str(po_path)))


def test_the_site_reads_every_translation_of_the_catalogues():
    ours = polib.pofile(str(CATALOGUE / "django.po"))
    extra = polib.pofile(str(LOCALE_EXTRA / "zh_Hant" / "LC_MESSAGES" / "django.po"))
    shadowed = _messages(ours)
    entries = [*ours.translated_entries(), *(e for e in extra.translated_entries() if _key(e) not in shadowed)]
    wrong = []
    with translation.override("zh-hant"):
        for entry in entries:
            if entry.msgid_plural:
                expected = entry.msgstr_plural[0]
                if entry.msgctxt:
                    read = translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2)
                else:
                    read = translation.ngettext(entry.msgid, entry.msgid_plural, 2)
            else:
                expected = entry.msgstr
                if entry.msgctxt:
                    read = translation.pgettext(entry.msgctxt, entry.msgid)
                else:
                    read = translation.gettext(entry.msgid)
            if read != expected:
                wrong.append((entry.msgid, read, expected))
    assert len(entries) > 1000 and not wrong, wrong[:10]


def test_the_javascript_catalogue_serves_every_translation(client):
    response = client.get(reverse("javascript-catalog"), HTTP_ACCEPT_LANGUAGE="zh-TW")
    body = response.content.decode()
    for entry in polib.pofile(str(CATALOGUE / "djangojs.po")).translated_entries():
        assert json.dumps(entry.msgstr) in body, entry.msgid
