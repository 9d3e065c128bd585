# Production image: gunicorn serving Django, whitenoise serving the hashed, compressed static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN useradd --system --uid 10001 --home /app wnwa

# The whole project but what .dockerignore leaves out, so no app can be forgotten.
COPY . .

# The app's dependencies at the exact releases of requirements.lock, each checked by its hash.
RUN pip install --upgrade "pip>=25.3" && pip install --require-hashes -r requirements.lock \
    && pip install --no-deps -e . \
    && DJANGO_SECRET_KEY=collectstatic-only EMAIL_URL=console:// python manage.py collectstatic --no-input \
    && mkdir -p /app/var/private && chown -R wnwa /app/var

USER wnwa
EXPOSE 8000
# Run `python manage.py migrate` as a release step before starting new containers.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "wnwa.wsgi"]
