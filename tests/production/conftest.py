"""Fixtures of the production tests: static files collected under the production settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import PROJECT_DIR, production_env


@pytest.fixture(scope="session")
def production_static_root(tmp_path_factory) -> Path:
    """collectstatic under the production settings (manifest storage), into a folder of this run."""
    root = tmp_path_factory.mktemp("staticfiles")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=PROJECT_DIR,
        env=production_env(DJANGO_STATIC_ROOT=str(root)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return root
