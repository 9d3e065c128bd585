"""Dependencies: floors past known advisories, and exact releases with hashes that make and the
image install (requirements-dev.lock and requirements.lock, written by `make lock`)."""

import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(settings.BASE_DIR)
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def requirements(*groups: str) -> list[Requirement]:
    listed = PROJECT["project"]["dependencies"] + [
        line for group in groups for line in PROJECT["dependency-groups"][group]
    ]
    return [Requirement(line) for line in listed]


def pins(lock: str) -> dict[str, tuple[Version, int]]:
    """Each pinned package of a lock file: its version and how many hashes it carries."""
    text = (ROOT / lock).read_text()
    found = {}
    for block in re.split(r"\n(?=\S)", text):
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if match:
            hashes = len(re.findall(r"--hash=sha256:[0-9a-f]{64}", block))
            found[canonicalize_name(match[1])] = (Version(match[2]), hashes)
    return found


@pytest.mark.parametrize(
    ("lock", "groups"), [("requirements-dev.lock", ("test", "e2e")), ("requirements.lock", ())]
)
def test_each_lock_pins_every_dependency_within_pyproject_and_with_hashes(lock, groups):
    pinned = pins(lock)
    for requirement in requirements(*groups):
        version, _ = pinned[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), (requirement, version)
    assert pinned and all(hashes for _, hashes in pinned.values())


def test_the_image_lock_holds_the_same_releases_and_no_test_tools():
    dev, image = pins("requirements-dev.lock"), pins("requirements.lock")
    assert all(dev[name][0] == version for name, (version, _) in image.items())
    assert not {"pytest", "playwright", "ruff", "hypothesis"} & set(image)


@pytest.mark.parametrize(
    ("name", "vulnerable"),
    [
        ("django", "5.2.7"),  # before 5.2.8's SQL injection fixes
        ("django-allauth", "65.14.1"),  # trusted a spoofable X-Forwarded-For by default
        ("gunicorn", "22.0.0"),  # request smuggling
    ],
)
def test_floors_refuse_releases_with_known_advisories(name, vulnerable):
    (requirement,) = [r for r in requirements() if canonicalize_name(r.name) == name]
    assert not requirement.specifier.contains(vulnerable)


def test_django_has_the_newest_patch_release_as_its_floor():
    (django,) = [r for r in requirements() if r.name.lower() == "django"]
    floor = min(Version(spec.version) for spec in django.specifier if spec.operator == ">=")
    assert floor == pins("requirements.lock")["django"][0]


def test_make_and_the_image_install_from_the_locks_by_hash():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "LOCK := requirements-dev.lock" in makefile
    assert "pip install --quiet --no-deps -e ." in makefile
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes -r requirements.lock" in dockerfile
    assert "pip install --no-deps -e ." in dockerfile
