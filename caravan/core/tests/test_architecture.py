"""Which way imports may point between the apps: the import-linter contracts in
pyproject.toml ([tool.importlinter]; README › Layout). A new import that makes core use
a feature app, a lower app use a higher one, or two apps import each other fails here
with import-linter's account of the broken contract."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def test_imports_keep_the_contracts_of_the_layout():
    result = subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    report = result.stdout + result.stderr
    if result.returncode != 0 or " kept, 0 broken." not in report:
        pytest.fail(report, pytrace=False)
