"""`make messages`: adds the strings newly marked for translation to the Traditional Chinese catalogues, then
compiles them (scripts/compile_messages.py).

Two runs of `manage.py makemessages`: the django domain (templates, Python) into locale/zh_Hant/LC_MESSAGES/
django.po, and the djangojs domain (our own scripts under static/js, served by the JavaScript catalogue at
/jsi18n/) into djangojs.po. tests/i18n/test_catalogue.py runs the same two (RUNS) into a temporary copy of
locale/ and fails on a message the committed catalogue lacks.

Usage: python scripts/make_messages.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LANGUAGE = "zh_Hant"
_COMMON = ["-l", LANGUAGE, "--add-location", "file", "-i", "staticfiles", "-i", "node_modules", "-i", "bench"]
# The arguments of each makemessages run, by domain. The JavaScript run leaves out the tests' scripts and the
# vendored libraries (htmx, the chart library), which carry no strings of ours.
RUNS: dict[str, list[str]] = {
    "django": ["-d", "django", *_COMMON],
    "djangojs": ["-d", "djangojs", *_COMMON, "-i", "tests", "-i", "static/vendor"],
}


def main() -> int:
    for arguments in RUNS.values():
        subprocess.run(
            [sys.executable, str(BASE_DIR / "manage.py"), "makemessages", *arguments], cwd=BASE_DIR, check=True
        )
    return subprocess.run([sys.executable, str(BASE_DIR / "scripts" / "compile_messages.py")], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
