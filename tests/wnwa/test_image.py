"""The production image holds everything the site needs (no container engine runs here to build
it, so this reads the Dockerfile and .dockerignore the way `docker build` does)."""

import fnmatch
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def ignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip().rstrip("/") for line in lines if line.strip() and not line.startswith("#")]


def ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: a pattern matches the path or one of its parent folders."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    for pattern in patterns:
        bare = pattern.removeprefix("**/")
        for prefix in prefixes:
            if fnmatch.fnmatch(prefix, pattern) or (
                pattern.startswith("**/") and fnmatch.fnmatch(prefix.rsplit("/", 1)[-1], bare)
            ):
                return True
    return False


def needed_paths() -> list[str]:
    """Each of our apps, the template and static folders, and the files the image runs."""
    ours = [
        Path(app.path).relative_to(ROOT).as_posix()
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(ROOT) and "site-packages" not in app.path
    ]
    folders = [Path(d).relative_to(ROOT).as_posix() for d in settings.TEMPLATES[0]["DIRS"]]
    folders += [Path(d).relative_to(ROOT).as_posix() for d in settings.STATICFILES_DIRS]
    return ours + folders + ["manage.py", "gunicorn.conf.py", "pyproject.toml"]


def test_the_image_copies_the_whole_project():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^COPY \. \.$", dockerfile, re.M), "copy the project by a rule, not a list"


def test_nothing_the_site_needs_is_left_out_of_the_image():
    patterns = ignore_patterns()
    needed = needed_paths()
    assert {"wnwa", "portal", "resources", "contact", "templates", "static"} <= set(needed)
    assert [path for path in needed if ignored(path, patterns)] == []


def test_secrets_and_local_state_stay_out_of_the_image():
    patterns = ignore_patterns()
    for path in [".git", ".venv", "db.sqlite3", "var/private/licence.pdf", "node_modules"]:
        assert ignored(path, patterns), path
