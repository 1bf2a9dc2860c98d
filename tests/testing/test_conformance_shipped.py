"""The conformance suite is shipped: a host runs it against its own backend (DESIGN 6.1)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from contractcore.testing.conformance import UnitOfWorkConformance

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd, check=False
    )


def test_the_example_of_docs_testing_runs_the_whole_suite_against_a_host_backend(
    tmp_path: Path,
) -> None:
    page = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.*?)```", page, flags=re.DOTALL)
    (tmp_path / "test_our_backend.py").write_text(example, encoding="utf-8")
    done = _run(
        [
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "test_our_backend.py",
        ],
        tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    passed = int(re.search(r"(\d+) passed", done.stdout).group(1))  # type: ignore[union-attr]
    tests = [name for name in dir(UnitOfWorkConformance) if name.startswith("test_")]
    assert passed >= len(tests) > 40  # every test of the suite ran (some are parametrized)


def test_without_hypothesis_the_suite_says_which_extra_to_install(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['hypothesis'] = None\n"  # as if not installed
        "import contractcore.testing\n"  # the fakes need neither pytest nor hypothesis
        "try:\n"
        "    import contractcore.testing.conformance\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    done = _run(["-c", code], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "needs pytest and hypothesis" in done.stdout
    assert "contractcore[testing]" in done.stdout
