"""`make test` does its own set-up on a fresh machine, Chromium for the report test included."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.python.dbt_runner import REPO

SCRIPT = REPO / ".ci" / "ensure-chromium"


def fake_bin(folder: Path, *names: str) -> Path:
    """A PATH folder holding executables that only record that they ran."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        path = folder / name
        path.write_text(f"#!/bin/sh\necho {name} \"$@\" >> {folder}/calls\n")
        path.chmod(0o755)
    for tool in ("bash", "id", "env", "cat"):  # what the script itself needs
        found = shutil.which(tool)
        if found and not (folder / tool).exists():
            (folder / tool).symlink_to(found)
    return folder


def run(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT)], env={**os.environ, "PATH": str(path)},
                          capture_output=True, text=True, timeout=60, check=False)


def test_make_test_runs_the_browser_set_up_before_pytest() -> None:
    plan = subprocess.run(["make", "-n", "test"], cwd=REPO, capture_output=True, text=True,
                          timeout=120, check=True).stdout.splitlines()
    set_up = next(i for i, line in enumerate(plan) if ".ci/ensure-chromium" in line)
    pytest_run = next(i for i, line in enumerate(plan) if "-m pytest" in line)
    assert set_up < pytest_run


def test_nothing_is_installed_when_both_are_present(tmp_path: Path) -> None:
    folder = fake_bin(tmp_path / "bin", "chromium", "chromedriver", "apt-get")
    process = run(folder)
    assert process.returncode == 0 and process.stdout == process.stderr == ""
    assert not (folder / "calls").exists()


def test_apt_get_installs_both_when_one_is_missing(tmp_path: Path) -> None:
    folder = fake_bin(tmp_path / "bin", "chromium", "apt-get", "sudo")
    process = run(folder)
    assert process.returncode == 0, process.stderr
    calls = (folder / "calls").read_text().splitlines()
    sudo = "" if os.getuid() == 0 else "sudo "  # the fake sudo records its arguments
    assert calls == [f"{sudo}apt-get update -qq",
                     f"{sudo}apt-get install -y -qq chromium chromium-driver"]


def test_without_apt_get_one_line_says_what_to_install(tmp_path: Path) -> None:
    process = run(fake_bin(tmp_path / "bin"))
    assert process.returncode == 1
    assert process.stderr.splitlines() == [
        "The report test needs chromium and chromedriver on PATH: install them with your "
        "package manager."]
