"""compose.yaml, the production deployment: no container engine runs here, so this reads the file
the way `docker compose` does (YAML merge keys, `${VAR}` interpolation from .env) and checks that
the services it starts are configured as production needs."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from tests.environment import clean_environment

ROOT = Path(settings.BASE_DIR)
# What an operator writes into .env (deploy/example.env names each), as strong as production's.
DOT_ENV = {
    "WNWA_HOST": "portal.weneverwalkalone.org",
    "DJANGO_SECRET_KEY": "q8Zr-3vTn7@Lp2Wc9Yx5Kd!Hs4Mb6Gf1Jt0Ra8Ue3Io5Pw7Ny2Vl",
    "POSTGRES_PASSWORD": "Xk29dLq83mZp",
    "EMAIL_URL": "smtp://mailer:secret@smtp.example.org:587",
    "STORAGE_USER": "wnwa-store",
    "STORAGE_PASSWORD": "Vb71nQe04tRw",
}
VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[?-])([^}]*))?\}")
# Services that run once and exit (the release step, the bucket's creation): no health check.
ONE_SHOT = {"migrate", "bucket"}


def interpolate(value, env: dict[str, str]):
    """Compose's `${VAR}`, `${VAR:-default}`, `${VAR:?error}` and `$$`, over the whole tree."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match) -> str:
        name, kind, argument = match.groups()
        if env.get(name):
            return env[name]
        if kind in {":?", "?"}:
            raise KeyError(f"{name}: {argument}")
        return argument if kind in {":-", "-"} else ""

    return VARIABLE.sub(one, value.replace("$$", "\0")).replace("\0", "$")


def compose(env: dict[str, str] = DOT_ENV) -> dict:
    return interpolate(yaml.safe_load((ROOT / "compose.yaml").read_text()), env)


def test_every_service_that_keeps_running_has_a_health_check():
    services = compose()["services"]
    assert set(services) >= {"app", "worker", "proxy", "postgres", "redis", "storage", "migrate"}
    for name, service in services.items():
        if name in ONE_SHOT:
            assert service["restart"] == "no", name
            continue
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
        assert service["restart"] == "unless-stopped", name


def test_two_app_servers_start_after_the_release_step_behind_the_tls_proxy():
    services = compose()["services"]
    app = services["app"]
    assert app["deploy"]["replicas"] == 2
    assert "ports" not in app  # reached through the proxy only
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"][-2:] == ["migrate", "--no-input"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["worker"]["command"] == ["python", "manage.py", "worker"]
    proxy = services["proxy"]
    assert "443:443" in proxy["ports"]
    assert proxy["depends_on"]["app"]["condition"] == "service_healthy"
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "access_log off;" in config and "server app:8000" in config
    assert services["redis"]["command"] == ["redis-server", "--save", "", "--appendonly", "no"]


def test_the_app_the_worker_and_the_release_step_run_with_one_environment():
    services = compose()["services"]
    worker, migrate = services["worker"]["environment"], services["migrate"]["environment"]
    assert worker == migrate and worker.items() <= services["app"]["environment"].items()


def test_the_app_environment_passes_check_deploy_without_warnings():
    """Exactly the environment compose gives the app: a variable production needs that is missing
    (a secret key, the mail server, Redis, PostgreSQL, the bucket, the public address) fails."""
    env = {key: str(value) for key, value in compose()["services"]["app"]["environment"].items()}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("name", sorted(DOT_ENV))
def test_each_value_of_dot_env_is_asked_for_and_named_in_the_example(name):
    without = {key: value for key, value in DOT_ENV.items() if key != name}
    with pytest.raises(KeyError, match=name):
        compose(without)  # compose refuses to start, naming it
    example = (ROOT / "deploy" / "example.env").read_text()
    assert re.search(rf"^{name}=", example, re.M), name


def test_the_secrets_stay_out_of_git_and_out_of_the_image():
    assert "/.env" in (ROOT / ".gitignore").read_text().splitlines()
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ".env" in ignored and "deploy" in ignored
