"""Settings for the WeNeverWalkAlone portal, read from the environment.

Every variable is documented in the README. Development defaults are safe; with DJANGO_DEBUG off
the site refuses to start without a real secret key, and a production configuration passes
`manage.py check --deploy --fail-level WARNING`.
"""

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # One line, no traceback: the operator needs the fix, not Django's internals.
        sys.exit(
            "DJANGO_SECRET_KEY is not set: set it to a long random value, or set DJANGO_DEBUG=1 "
            "for local development."
        )
    SECRET_KEY = "development-only-key-never-use-in-production-0123456789abcdef"

# Earlier keys while a new one takes over: signed cookies, reset links and backup codes made
# under them still work (remove them once those have expired or been replaced).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "django_otp",
    "wnwa",
    "wnwa.accounts",
    "wnwa.staff",
    # After the accounts app: django-otp-webauthn's models read the user model when imported.
    "django_otp_webauthn",
    "wnwa.passkeys",
    "departments",
    "trainings",
    "peers",
    "professionals",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wnwa.middleware.PrivacyLoggingMiddleware",
    # Outside every middleware that changes the response, so it wraps the one that goes out.
    "wnwa.middleware.AfterResponseMiddleware",
    "wnwa.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages go out gzipped (whitenoise already sends static files pre-compressed and returns before
    # this). BREACH needs a secret in a compressed body next to attacker-chosen text: Django masks
    # the CSRF token afresh in every response, pads every gzipped response with random bytes (Heal
    # the Breach), and the session cookie (SameSite=Lax) is a header, never in the body.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body (the CSRF check reads the form): an oversized one is refused
    # by its Content-Length, unread.
    "wnwa.middleware.RequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wnwa.middleware.SessionMiddleware",
    "wnwa.middleware.RoleMemoMiddleware",
    "wnwa.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "wnwa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "wnwa.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool replaces persistent connections; with health checks on, Django asks the
    # pool to test a connection before handing it out, so the site recovers by itself after
    # PostgreSQL restarts.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Beside the URL's own options (`?sslmode=require` for a managed database's TLS).
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 2),
        "max_size": env_int("DATABASE_POOL_MAX", 10),
        "timeout": 10,
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL;"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, TOTP replay guard, sign-out deny list) --------------------------------
# Every key is an HMAC under the secret key (wnwa.lib.cache.private_key): none names anyone.
# Redis must not persist to disk (README, "Redis").
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Answers as an empty cache while Redis is down: no page depends on it (see there).
            "BACKEND": "wnwa.lib.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is down or unreachable fails fast instead of holding a request.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHES["default"]["KEY_FUNCTION"] = "wnwa.lib.cache.private_key"

# --- Email --------------------------------------------------------------------------------------
EMAIL_URL = os.environ.get("EMAIL_URL", "console://" if DEBUG else "")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "WeNeverWalkAlone <no-reply@weneverwalkalone.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFICATION_EMAILS = env_list("WNWA_STAFF_EMAILS", "staff@weneverwalkalone.org")
# Where people's answers to the mail staff send go (Reply-To): a mailbox people read, since
# DEFAULT_FROM_EMAIL is a no-reply address. Vetting outcomes and trainees' session changes.
NETWORK_STAFF_EMAIL = os.environ.get("WNWA_STAFF_REPLY_TO", "staff@weneverwalkalone.org")


def _email_settings(url: str) -> dict:
    if not url:
        raise ImproperlyConfigured(
            "EMAIL_URL is not set: use smtp://user:password@host:port or console://"
        )
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme in {"smtp", "smtps", "submission"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587),
            "EMAIL_HOST_USER": parts.username or "",
            "EMAIL_HOST_PASSWORD": parts.password or "",
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": parts.scheme != "smtps",
            "EMAIL_TIMEOUT": 20,
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL scheme {parts.scheme!r} is not supported (smtp, smtps, console)"
    )


globals().update(_email_settings(EMAIL_URL))

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A reset link lives one hour; a password change invalidates it at once.
PASSWORD_RESET_TIMEOUT = 60 * 60
INVITATION_MAX_AGE_DAYS = env_int("WNWA_INVITATION_DAYS", 14)
# Families (docs/product.md, "Families"): how many family members an officer may invite, and how
# long a family keeps access once the inviting officer's account has ended.
FAMILY_INVITES = env_int("WNWA_FAMILY_INVITES", 4)
FAMILY_GRACE_DAYS = env_int("WNWA_FAMILY_GRACE_DAYS", 365)

ACCOUNT_ADAPTER = "wnwa.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
# No mail to addresses we do not know: work mail servers learn nothing (docs/privacy.md rule 8).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_NOTIFICATIONS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# allauth's, without the EmailAddress row it would write on a first reset (see there).
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "wnwa.accounts.tokens.ResetTokenGenerator"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}

# The questions about a person that only an app above the core can answer (wnwa.accounts.roles).
WNWA_ROLE_CERTIFIED = "trainings.selectors.valid_certifications"
# How many of a department's peers the directory lists: its compliance page asks the peers app.
WNWA_LISTED_PEERS = "peers.selectors.listed_peer_count"
# Which of them (ids): a roster apply that would deactivate one asks for a confirmation.
WNWA_LISTED_PEER_IDS = "peers.selectors.listed_peer_ids"

# --- Sessions: signed cookies, no session table (docs/privacy.md, rule 3) ---------------------
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # officers: 30 days on their own phone
STAFF_SESSION_SECONDS = 60 * 60 * 12  # staff: 12 hours, enforced by wnwa.accounts.sessions
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"

# --- Two-factor ---------------------------------------------------------------------------------
OTP_TOTP_ISSUER = "WeNeverWalkAlone"
OTP_BACKUP_CODE_COUNT = 10

# --- Passkeys (wnwa.passkeys; README, "Passkeys") -----------------------------------------------
# The relying party is the site's host, and the one origin passkeys are accepted from its address
# (WNWA_SITE_URL); WNWA_PASSKEY_RP_ID and WNWA_PASSKEY_ORIGINS override them (a parent domain,
# several hosts). Deploy check wnwa.W003 warns when they cannot match. Browsers refuse an IP
# address as the relying party: develop on http://localhost:8000.
OTP_WEBAUTHN_CREDENTIAL_MODEL = "passkeys.Passkey"
OTP_WEBAUTHN_HELPER_CLASS = "wnwa.passkeys.helper.PasskeyHelper"
OTP_WEBAUTHN_RP_NAME = "WeNeverWalkAlone"
OTP_WEBAUTHN_TIMEOUT_SECONDS = 5 * 60  # a challenge lives this long, and its spent mark as long
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = ""  # py_webauthn's messages could quote what was sent
SILENCED_SYSTEM_CHECKS = [
    # "Signed-cookie sessions let a client resend a challenge": the portal marks each spent
    # challenge in the cache for its lifetime (wnwa.passkeys.views), so a resent one is refused.
    "otp_webauthn.E040",
    # A relying party or origin that cannot work (none, an IP address, plain http) must not stop
    # the site, whose passwords still work: deploy check wnwa.W003 says what to set instead.
    "otp_webauthn.E010",
    "otp_webauthn.E030",
    "otp_webauthn.E031",
]
# How recent a password or passkey must be to add a passkey (a borrowed unlocked phone cannot).
PASSKEY_PROOF_SECONDS = 5 * 60
# The passkey sign-in's two endpoints, limited per address as the password sign-in is
# (ACCOUNT_RATE_LIMITS "login" and "login_failed"), in the cache under keyed hashes
# (wnwa.lib.ratelimit): each endpoint this many requests a window, and refused answers
# (a wrong, replayed or unknown passkey) this many before both stop answering for the window.
PASSKEY_SIGN_IN_RATE_LIMIT = env_int("WNWA_PASSKEY_SIGN_IN_RATE_LIMIT", 30)
PASSKEY_SIGN_IN_FAILED_RATE_LIMIT = env_int("WNWA_PASSKEY_SIGN_IN_FAILED_RATE_LIMIT", 10)
PASSKEY_SIGN_IN_RATE_WINDOW_SECONDS = 60

# --- Security headers ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # not no-referrer: see docs/privacy.md rule 7
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("WNWA_BEHIND_PROXY") else None
)
# The client's address behind proxies, read one way for allauth's sign-in limits and for the public
# forms' limits (wnwa.lib.ratelimit.client_address): either the number of proxies of ours that
# append to X-Forwarded-For, or the one header a trusted proxy sets (X-Real-IP, CF-Connecting-IP).
# Behind our own load balancer, the client is one hop back in X-Forwarded-For by default: without
# it every officer would share the balancer's address and one rate limit.
_PROXIES = 1 if env_bool("WNWA_BEHIND_PROXY") else 0
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("WNWA_TRUSTED_PROXY_COUNT", _PROXIES)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("WNWA_TRUSTED_CLIENT_IP_HEADER") or None
SECURE_SSL_REDIRECT = not DEBUG and env_bool("WNWA_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("WNWA_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("WNWA_HSTS_PRELOAD", default=True)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("WNWA_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Private uploads (licences, CVs, certificates, designations) live outside any URL; a view
# serves them after a role check (wnwa.lib.storage). In the folder by default, in a private
# S3-compatible bucket when one is named (PRIVATE_FILES_BUCKET; deploy check wnwa.W004).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("WNWA_PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))


def _bucket_settings(url: str) -> dict | None:
    """`s3://bucket[/prefix]?endpoint_url=https://…&region=…&addressing_style=path`, or the usual
    AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL and AWS_S3_REGION_NAME. Keys come from
    AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or boto3's own chain (an instance role)."""
    if url:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ImproperlyConfigured("WNWA_STORAGE_URL must look like s3://bucket?region=…")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        unknown = set(query) - {"endpoint_url", "region", "addressing_style"}
        if unknown:
            raise ImproperlyConfigured(f"WNWA_STORAGE_URL: unknown {', '.join(sorted(unknown))}")
        bucket, prefix = parts.netloc, parts.path.strip("/")
        endpoint, region = query.get("endpoint_url"), query.get("region")
        addressing = query.get("addressing_style")
    elif os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        bucket, prefix = os.environ["AWS_STORAGE_BUCKET_NAME"], os.environ.get("AWS_LOCATION", "")
        endpoint = os.environ.get("AWS_S3_ENDPOINT_URL")
        region = os.environ.get("AWS_S3_REGION_NAME")
        addressing = os.environ.get("AWS_S3_ADDRESSING_STYLE")
    else:
        return None
    options = {
        "bucket_name": bucket,
        "location": prefix,
        "endpoint_url": endpoint or None,
        "region_name": region or None,
        "addressing_style": addressing or None,
    }
    keys = {"access_key": "AWS_ACCESS_KEY_ID", "secret_key": "AWS_SECRET_ACCESS_KEY"}
    options.update({key: os.environ[name] for key, name in keys.items() if os.environ.get(name)})
    return options


PRIVATE_FILES_BUCKET = _bucket_settings(os.environ.get("WNWA_STORAGE_URL", ""))

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("WNWA_TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

# --- Logging: nothing that could identify anyone (docs/privacy.md, rule 5) ---------------------
ADMINS: list = []
MANAGERS: list = []
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # On the handler, so every logger's records pass through it (wnwa.logging).
    "filters": {"privacy": {"()": "wnwa.logging.PrivacyFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["privacy"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # "Not Found: /path" and the like: our middleware logs every request by route instead.
        # Server errors still reach the console, without the path or the exception's message.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        # SQL with its parameters (emails, names) is never logged, not even with DEBUG on.
        "django.db.backends": {"handlers": [], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # The task framework's own lines carry tracebacks (an SMTP refusal names the address);
        # wnwa.tasks logs each failure by its kind instead.
        "django_tasks": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django_tasks_db": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "wnwa.requests": {
            "handlers": ["console"],
            "level": os.environ.get("WNWA_REQUEST_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}

# --- The network -------------------------------------------------------------------------------
SITE_NAME = "WeNeverWalkAlone"
# The site's public address, for links that leave the site: emails sent by commands (there is no
# request there), the poster's QR code. Required in production (deploy check wnwa.W002).
_DEV_SITE_URL = "http://localhost:8000" if DEBUG else ""
SITE_URL = os.environ.get("WNWA_SITE_URL", _DEV_SITE_URL).rstrip("/")
OTP_WEBAUTHN_RP_ID = os.environ.get("WNWA_PASSKEY_RP_ID") or (urlsplit(SITE_URL).hostname or "")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "WNWA_PASSKEY_ORIGINS",
    "{0.scheme}://{0.netloc}".format(urlsplit(SITE_URL)) if SITE_URL else "",
)


def _crisis_lines(value: str) -> list[dict]:
    """ "Name|number;Name|number|text": a third part "text" says the line takes texts too."""
    lines = []
    for item in filter(str.strip, value.split(";")):
        name, number, *rest = (part.strip() for part in item.split("|"))
        lines.append({"name": name, "number": number, "texts": rest[:1] == ["text"]})
    return lines


CRISIS_LINES = _crisis_lines(
    os.environ.get(
        "WNWA_CRISIS_LINES",
        "988 Suicide & Crisis Lifeline|988|text;CopLine (retired officers answer)|1-800-267-5463",
    )
)
NETWORK_CONTACT_EMAIL = os.environ.get("WNWA_CONTACT_EMAIL", "info@weneverwalkalone.org")
NETWORK_CONTACT_PHONE = os.environ.get("WNWA_CONTACT_PHONE", "")

# Peer quota (docs/product.md): rates slide in log10(strength) between these anchors.
PEER_QUOTA_SMALL_STRENGTH = 50
PEER_QUOTA_LARGE_STRENGTH = 13_000
PEER_QUOTA_SMALL_RATES = (0.07, 0.10)
PEER_QUOTA_LARGE_RATES = (0.02, 0.03)
PEER_QUOTA_MONTHS = 12
FIRST_TERM_YEARS = 3

VETTING_MIN_APPROVALS = env_int("WNWA_VETTING_MIN_APPROVALS", 2)
VETTING_MAX_DEFERRALS = env_int("WNWA_VETTING_MAX_DEFERRALS", 0)
VETTING_METRO_COUNTIES = env_list(
    "WNWA_METRO_COUNTIES",
    "IL:Cook,IL:DuPage,IL:Kane,IL:Lake,IL:McHenry,IL:Will,IL:Kendall,IL:Grundy,IL:DeKalb,"
    "IN:Lake,IN:Porter,WI:Kenosha",
)
RETENTION_DAYS = env_int("WNWA_RETENTION_DAYS", 90)

# --- Professionals (applications, vetting, reconfirmation) ----------------------------------------
# Public applications per client address per window (an HMAC of the address, in the cache only).
PROFESSIONAL_APPLICATIONS_PER_WINDOW = env_int("WNWA_APPLICATIONS_PER_WINDOW", 5)
PROFESSIONAL_APPLICATIONS_WINDOW_SECONDS = 15 * 60
# Refused submissions (a missing field, a bad file) count on their own, higher limit: an
# applicant's few mistakes are never refused, a robot's garbage is (wnwa.lib.ratelimit.spent).
PROFESSIONAL_APPLICATIONS_FAILED_PER_WINDOW = env_int("WNWA_APPLICATIONS_FAILED_PER_WINDOW", 20)
# How long an emailed reconfirmation link works.
RECONFIRMATION_LINK_DAYS = env_int("WNWA_RECONFIRMATION_LINK_DAYS", 30)
# --- Public site, resources, self-checks and the poster -----------------------------------------
INSTALLED_APPS += ["resources", "contact", "portal"]
# Resource PDFs are for signed-in officers: kept outside any URL, served by a role-checked view.
RESOURCE_FILES_ROOT = Path(
    os.environ.get("WNWA_RESOURCE_FILES_ROOT", PRIVATE_MEDIA_ROOT / "resources")
)
RESOURCE_FILE_MAX_BYTES = env_int("WNWA_RESOURCE_FILE_MAX_MB", 20) * 1024 * 1024
# Contact, demo and member-list forms: submissions per address (hashed, in the cache only) per
# window; the same message twice within ENQUIRY_DUPLICATE_MINUTES is stored and sent once.
ENQUIRY_RATE_LIMIT = env_int("WNWA_ENQUIRY_RATE_LIMIT", 5)
ENQUIRY_FAILED_RATE_LIMIT = env_int("WNWA_ENQUIRY_FAILED_RATE_LIMIT", 20)  # refused submissions
ENQUIRY_RATE_WINDOW_SECONDS = 10 * 60
ENQUIRY_DUPLICATE_MINUTES = 60
ENQUIRY_RETENTION_DAYS = env_int("WNWA_ENQUIRY_RETENTION_DAYS", 365)

# --- Background work ----------------------------------------------------------------------------
# Tasks (each queued email, each hundred invitations) wait in the database for `manage.py worker`
# (wnwa.lib.tasks): a failed one is tried again after RETRY_SECONDS, doubling, up to ATTEMPTS
# tries; one still running LEASE_SECONDS after it started is taken to have lost its worker and is
# queued again. The lease must exceed any task's honest run: a hundred emails at the SMTP timeout.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK_ATTEMPTS = env_int("WNWA_TASK_ATTEMPTS", 6)
TASK_RETRY_SECONDS = env_int("WNWA_TASK_RETRY_SECONDS", 60)
TASK_LEASE_SECONDS = env_int("WNWA_TASK_LEASE_SECONDS", 15 * 60)

# --- Departments: enrollment --------------------------------------------------------------------
ROSTER_MAX_ROWS = 25_000
ROSTER_MAX_BYTES = 10 * 1024 * 1024

# --- Trainings ----------------------------------------------------------------------------------
TRAININGS_EXAM_WINDOW_DAYS = env_int("WNWA_EXAM_WINDOW_DAYS", 30)
TRAININGS_EXAM_MAX_ATTEMPTS = env_int("WNWA_EXAM_MAX_ATTEMPTS", 3)
TRAININGS_EXAM_PASS_PERCENT = env_int("WNWA_EXAM_PASS_PERCENT", 90)  # passing is strictly above
# Public forms (registration, "tell me about the next session"): submissions per address an hour,
# counted in the cache only.
TRAININGS_FORM_RATE_PER_HOUR = env_int("WNWA_TRAININGS_FORM_RATE", 10)
TRAININGS_FORM_FAILED_RATE_PER_HOUR = env_int("WNWA_TRAININGS_FORM_FAILED_RATE", 30)  # refused
# The registration form emails a typed address at most once in this time (trainings.emails).
TRAININGS_EMAIL_WINDOW_SECONDS = 60 * 60
# Emailed links stop working: a withdrawal link after this many days and once the session has
# started; an unsubscribe link (every announcement carries a fresh one) after this many days.
TRAININGS_WITHDRAW_LINK_DAYS = env_int("WNWA_WITHDRAW_LINK_DAYS", 365)
TRAININGS_UNSUBSCRIBE_LINK_DAYS = env_int("WNWA_UNSUBSCRIBE_LINK_DAYS", 90)
TRAININGS_FORM_RATE_WINDOW_SECONDS = 60 * 60
TRAININGS_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
TRAININGS_CSV_MAX_BYTES = 2 * 1024 * 1024
# --- Peers: the directory and listing reminders --------------------------------------------------

# Last, as django-cleanup asks: deletes a private file with its record, and the old one when it
# is replaced or cleared, after the transaction commits (wnwa.lib.storage).
INSTALLED_APPS += ["django_cleanup.apps.CleanupConfig"]
