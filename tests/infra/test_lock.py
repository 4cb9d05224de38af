"""The lock files in requirements/ pin every dependency pyproject.toml names, at a version inside
its range: a dependency added to pyproject.toml without `make lock` fails here, not on a fresh
clone."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# each lock set and the pyproject.toml groups it holds
SETS = {"run": [], "test": ["test"], "browser": ["test", "browser"]}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def pins(lock_set: str) -> dict[str, str]:
    text = (ROOT / "requirements" / f"{lock_set}.txt").read_text()
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


def test_every_pin_carries_hashes():
    for lock_set in SETS:
        text = (ROOT / "requirements" / f"{lock_set}.txt").read_text()
        for block in re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2]):
            assert "--hash=sha256:" in block, f"{lock_set}.txt: {block.splitlines()[0]}"


@pytest.mark.parametrize("lock_set", SETS)
def test_lock_pins_every_dependency_inside_its_range(lock_set):
    wanted = [Requirement(r) for r in PROJECT["dependencies"]]
    for extra in SETS[lock_set]:
        wanted += [Requirement(r) for r in PROJECT["optional-dependencies"][extra]]
    pinned = pins(lock_set)
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in requirements/{lock_set}.txt"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"requirements/{lock_set}.txt pins {name}=={pinned[name]}, outside {requirement}"
        )


def test_the_sets_agree_on_versions():
    """test.txt and run.txt are resolved against browser.txt, so a package has one version."""
    everything = pins("browser")
    for lock_set in ("run", "test"):
        for name, version in pins(lock_set).items():
            assert everything.get(name, version) == version, f"{lock_set}.txt: {name}"
