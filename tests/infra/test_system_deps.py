"""scripts/system-deps.sh never fails silently: without root (or without apt-get) it prints the
exact apt-get command and exits non-zero; with everything present it is quiet and succeeds."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

SCRIPT = ROOT / "scripts" / "system-deps.sh"
TOOLS = ["bash", "grep", "ldconfig", "fc-list", "msgfmt", "env", "cat", "dirname"]


def _fake_path(tmp_path: Path, *, uid: int, without: set[str], apt: bool) -> str:
    """A PATH with the real tools minus ``without``, a fake `id` and maybe a fake apt-get."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        real = shutil.which(tool) or (f"/sbin/{tool}" if Path(f"/sbin/{tool}").exists() else None)
        if real and tool not in without:
            (bin_dir / tool).symlink_to(real)
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (bin_dir / "id").chmod(0o755)
    if apt:
        log = tmp_path / "apt.log"
        (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
        (bin_dir / "apt-get").chmod(0o755)
    return str(bin_dir)


def _run(path: str, want: str = "pdf") -> subprocess.CompletedProcess:
    bash = shutil.which("bash")
    return subprocess.run(
        [bash, str(SCRIPT), want], env={"PATH": path}, capture_output=True, text=True, timeout=60
    )


def _everything_present() -> bool:
    result = subprocess.run([str(SCRIPT), "pdf"], capture_output=True, text=True)
    return result.returncode == 0


pytestmark = pytest.mark.skipif(
    not _everything_present(), reason="this machine lacks the system packages (see make test)"
)


def test_quiet_success_when_everything_is_installed():
    result = subprocess.run([str(SCRIPT), "pdf"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""


def test_prints_the_exact_command_and_fails_without_root(tmp_path):
    path = _fake_path(tmp_path, uid=1000, without={"msgfmt"}, apt=True)
    result = _run(path)
    assert result.returncode == 1
    assert "Missing system packages: gettext" in result.stderr
    assert "sudo apt-get install -y --no-install-recommends gettext" in result.stderr
    assert not (tmp_path / "apt.log").exists(), "must not try to install without root"


def test_fails_with_the_command_on_a_system_without_apt(tmp_path):
    path = _fake_path(tmp_path, uid=0, without={"msgfmt"}, apt=False)
    result = _run(path)
    assert result.returncode == 1
    assert "apt-get install -y --no-install-recommends gettext" in result.stderr
    assert "not a Debian/Ubuntu system" in result.stderr


def test_installs_as_root_on_debian(tmp_path):
    path = _fake_path(tmp_path, uid=0, without={"msgfmt"}, apt=True)
    result = _run(path)
    assert result.returncode == 0, result.stderr
    assert "Installing system packages: gettext" in result.stdout
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert calls == ["update -qq", "install -y --no-install-recommends gettext"]


def test_browser_mode_also_wants_chromium(tmp_path):
    path = _fake_path(tmp_path, uid=1000, without=set(), apt=True)
    assert _run(path, want="pdf").returncode == 0
    result = _run(path, want="browser")  # no chromium on this PATH
    assert result.returncode == 1
    assert "sudo apt-get install -y --no-install-recommends chromium" in result.stderr


def test_a_user_without_sbin_on_path_still_finds_the_libraries(tmp_path):
    path = _fake_path(tmp_path, uid=1000, without={"ldconfig"}, apt=True)
    result = _run(path)
    assert result.returncode == 0, result.stderr
