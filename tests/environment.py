"""Environments for running the project in a subprocess, as an operator would configure it."""

import os

OUR_VARIABLES = ("DJANGO_", "WNWA_", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "PYTEST", "AWS_")


def clean_environment(**variables: str) -> dict[str, str]:
    """The current environment without any of the project's variables, plus `variables`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(OUR_VARIABLES)}
    env.update(variables)
    return env
