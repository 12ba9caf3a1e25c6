"""Compiles every catalogue (.po) under locale/ and locale_extra/ into the .mo that Django reads beside it.

The .mo files are build output (gitignored): `make run`, `make test` (so `.ci/run`), the Docker image and every
pytest session (conftest.py) run this first. GNU gettext's msgfmt compiles when it is on PATH (with its format
checks, as `compilemessages` runs it); otherwise polib, in pure Python, does: the Docker image (python:3.11-slim)
has no gettext. Both leave out untranslated and fuzzy entries. A .mo is replaced (atomically) only when its bytes
change, so a run that changes nothing touches nothing.

Usage: python scripts/compile_messages.py [--quiet] [FOLDER ...]     (default: locale locale_extra)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
FOLDERS = (BASE_DIR / "locale", BASE_DIR / "locale_extra")


class CompileError(Exception):
    """A catalogue that does not compile (msgfmt's message says where)."""


def catalogues(folders: list[Path]) -> list[Path]:
    """Every .po under the folders' <language>/LC_MESSAGES/, in a stable order."""
    return sorted(po for folder in folders for po in folder.glob("*/LC_MESSAGES/*.po"))


def _compiled_by_msgfmt(msgfmt: str, po: Path) -> bytes:
    with tempfile.TemporaryDirectory(prefix="compile-messages-") as scratch:
        out = Path(scratch) / "out.mo"
        result = subprocess.run(
            [msgfmt, "--check-format", "-o", str(out), str(po)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise CompileError(f"{po}: {result.stderr.strip()}")
        return out.read_bytes()


def _compiled_by_polib(po: Path) -> bytes:
    import polib  # a dependency (pyproject.toml); imported here so a machine with msgfmt never needs it

    try:
        return polib.pofile(str(po)).to_binary()
    except (OSError, ValueError) as error:
        raise CompileError(f"{po}: {error}") from error


def compile_catalogue(po: Path, *, msgfmt: str | None) -> bool:
    """Writes the .mo beside `po`; returns whether its bytes changed."""
    data = _compiled_by_msgfmt(msgfmt, po) if msgfmt else _compiled_by_polib(po)
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.read_bytes() == data:
        return False
    fd, scratch = tempfile.mkstemp(prefix=".compile-", suffix=".mo", dir=po.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(scratch, 0o644)
        os.replace(scratch, mo)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    return True


def compile_all(folders: list[Path] | None = None, *, quiet: bool = False) -> list[Path]:
    """Compiles every catalogue under `folders` (default: the project's two); returns the .mo files written."""
    msgfmt = shutil.which("msgfmt")
    written = []
    for po in catalogues(list(folders or FOLDERS)):
        if compile_catalogue(po, msgfmt=msgfmt):
            written.append(po.with_suffix(".mo"))
    if not quiet:
        tool = "msgfmt" if msgfmt else "polib"
        print(f"compile_messages ({tool}): {len(written)} catalogue(s) compiled, the rest were current")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders holding <language>/LC_MESSAGES/*.po")
    parser.add_argument("--quiet", action="store_true", help="print nothing unless a catalogue fails")
    args = parser.parse_args(argv)
    try:
        compile_all(args.folders or None, quiet=args.quiet)
    except CompileError as error:
        print(f"compile_messages: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
