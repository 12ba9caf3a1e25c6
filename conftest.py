"""Runs before every test session, whichever folder is asked for: compiles the translation catalogues (the .mo
files are build output, not committed), so `pytest tests/…` reads the .po files as they are in the tree."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest


def pytest_configure(config):
    path = Path(__file__).resolve().parent / "scripts" / "compile_messages.py"
    spec = importlib.util.spec_from_file_location("compile_messages", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        module.compile_all(quiet=True)
    except module.CompileError as error:
        raise pytest.UsageError(f"a translation catalogue does not compile: {error}") from error
