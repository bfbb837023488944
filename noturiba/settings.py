"""Settings for Noturība: one file, read from the environment.

Every variable is listed in the README. SQLite under ``NOTURIBA_DATA_DIR`` is the default;
``DATABASE_URL`` switches to PostgreSQL. An invalid value stops the start with a message naming
the variable.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from noturiba.lib.env import EnvError, env_bool, env_int, env_list, env_optional, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("NOTURIBA_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = env_optional("NOTURIBA_SECRET_KEY")
    if configured:
        return configured
    # The embedded deployment keeps a generated key beside its database.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("NOTURIBA_DEBUG", False)
ALLOWED_HOSTS = env_list(
    "NOTURIBA_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("NOTURIBA_CSRF_TRUSTED_ORIGINS", [])
SECURE_COOKIES = env_bool("NOTURIBA_SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "noturiba.accounts",
    "noturiba.audit",
    "noturiba.network",
    "noturiba.alerts",
    "noturiba.training",
    "noturiba.assistance",
    "noturiba.shelters",
    "noturiba.web",
    "noturiba.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "noturiba.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "noturiba.accounts.middleware.SignInStepsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "noturiba.urls"
WSGI_APPLICATION = "noturiba.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "noturiba.web.context_processors.platform",
            ],
        },
    }
]


def _databases() -> dict[str, dict[str, object]]:
    url = env_optional("DATABASE_URL")
    if url:
        try:
            config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        except ValueError as exc:
            raise EnvError(f"DATABASE_URL: {exc}") from exc
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise EnvError("DATABASE_URL: only postgres:// URLs are supported")
        # Django turns psycopg's prepared statements off for transaction-mode connection poolers
        # (none is used here). Its own cursors bind on the client and never prepare; this lets
        # the few statements run through a server-binding cursor be prepared (the answer to an
        # alert, ``alerts.actions``).
        options = dict(config.get("OPTIONS") or {})
        options.setdefault("prepare_threshold", 5)
        # No just-in-time compilation: the platform's queries are short, and once a query's
        # estimated cost passed the threshold, compiling it took ~70 ms on a 2-core machine —
        # more than the query (ranking a request line went from 30 to 100 ms; BENCHMARKS.md).
        options.setdefault("options", "-c jit=off")
        return {"default": {**config, "OPTIONS": options}}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "noturiba.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "network:directory"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor authentication (TOTP) is required for coordinators unless turned off.
REQUIRE_2FA = env_bool("NOTURIBA_REQUIRE_2FA", True)
# The network's name: the issuer named on certificates when a session names no organisation.
NETWORK_NAME = env_str("NOTURIBA_NETWORK_NAME", "Noturība")
# Assistance requests: a claim with no word from its organisation for this long is released, and
# a transfer request its holder leaves unanswered this long is approved (Crisis Cleanup's rule).
ASSISTANCE_CLAIM_SILENCE_HOURS = env_int("NOTURIBA_CLAIM_SILENCE_HOURS", 48, minimum=1)
ASSISTANCE_TRANSFER_SILENCE_HOURS = env_int("NOTURIBA_TRANSFER_SILENCE_HOURS", 24, minimum=1)
# An "available to help" answer to an alert counts for matching for this long.
ASSISTANCE_AVAILABILITY_HOURS = env_int("NOTURIBA_AVAILABILITY_HOURS", 72, minimum=1)
OTP_TOTP_ISSUER = "Noturība"

# Lockout after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = env_int("NOTURIBA_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("NOTURIBA_LOCKOUT_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "lv"
LANGUAGES = [("lv", _("Latvian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "noturiba" / "locale"]
LANGUAGE_COOKIE_NAME = "noturiba_language"
TIME_ZONE = "Europe/Riga"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # filled by collectstatic; WhiteNoise warns if it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The address people reach the platform at: links in messages (acknowledgements) start with it.
PUBLIC_URL = env_str("NOTURIBA_PUBLIC_URL", f"http://127.0.0.1:{env_int('PORT', 8000, minimum=1)}/")
if not PUBLIC_URL.startswith(("http://", "https://")):
    raise EnvError("NOTURIBA_PUBLIC_URL: must start with http:// or https://")

# Map tiles come from a configurable URL so that an offline tile server can be used.
MAP_TILE_URL = env_str("NOTURIBA_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str("NOTURIBA_MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")

EMAIL_HOST = env_str("NOTURIBA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("NOTURIBA_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("NOTURIBA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("NOTURIBA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("NOTURIBA_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("NOTURIBA_EMAIL_FROM", "noturiba@localhost")

# A worker is healthy when its heartbeat is younger than this many seconds.
WORKER_HEARTBEAT_MAX_AGE = env_int("NOTURIBA_WORKER_HEARTBEAT_MAX_AGE", 60, minimum=5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("NOTURIBA_LOG_LEVEL", "WARNING")},
}

# Lockout is per account (the email), whatever address the attempts come from; an attacker
# rotating addresses must not get more tries at one account.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]


# --- Alert channels (issue #3): email, SMS gateway, webhooks -----------------------------------


def _env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default).strip().lower()
    if value not in choices:
        raise EnvError(f"{name}: expected one of {', '.join(choices)}; got {value!r}")
    return value


# Seconds before an SMTP connection attempt or reply is given up (then retried later).
EMAIL_TIMEOUT = env_int("NOTURIBA_EMAIL_TIMEOUT", 30, minimum=1)

# Messages per second each channel may send.
ALERT_CHANNEL_RATE_PER_SECOND = {
    "email": env_int("NOTURIBA_EMAIL_RATE", 20, minimum=1),
    "sms": env_int("NOTURIBA_SMS_RATE", 10, minimum=1),
    "webhook": env_int("NOTURIBA_WEBHOOK_RATE", 20, minimum=1),
}

# A generic HTTP SMS gateway: one POST per message, JSON or form body, field names configurable.
SMS_GATEWAY = {
    "url": env_str("NOTURIBA_SMS_URL", ""),
    "body_format": _env_choice("NOTURIBA_SMS_FORMAT", "json", ("json", "form")),
    "auth": _env_choice("NOTURIBA_SMS_AUTH", "none", ("none", "bearer", "basic")),
    "token": env_str("NOTURIBA_SMS_TOKEN", ""),
    "username": env_str("NOTURIBA_SMS_USER", ""),
    "password": env_str("NOTURIBA_SMS_PASSWORD", ""),
    "sender_id": env_str("NOTURIBA_SMS_SENDER_ID", ""),
    "recipient_field": env_str("NOTURIBA_SMS_FIELD_RECIPIENT", "to"),
    "text_field": env_str("NOTURIBA_SMS_FIELD_TEXT", "text"),
    "sender_field": env_str("NOTURIBA_SMS_FIELD_SENDER", "from"),
    "idempotency_key_field": env_str("NOTURIBA_SMS_FIELD_KEY", "reference"),
    "response_id_field": env_str("NOTURIBA_SMS_RESPONSE_ID_FIELD", "id"),
    "timeout": env_int("NOTURIBA_SMS_TIMEOUT", 10, minimum=1),
    "report_id_field": env_str("NOTURIBA_SMS_REPORT_ID_FIELD", "id"),
    "report_status_field": env_str("NOTURIBA_SMS_REPORT_STATUS_FIELD", "status"),
    "report_delivered": env_list("NOTURIBA_SMS_REPORT_DELIVERED", ["delivered", "DELIVRD"]),
    "report_failed": env_list(
        "NOTURIBA_SMS_REPORT_FAILED",
        ["failed", "undelivered", "rejected", "expired", "UNDELIV", "REJECTD", "EXPIRED"],
    ),
    "reply_sender_field": env_str("NOTURIBA_SMS_REPLY_FROM_FIELD", "from"),
    "reply_text_field": env_str("NOTURIBA_SMS_REPLY_TEXT_FIELD", "text"),
}

# Webhooks are signed with HMAC-SHA256 over "<timestamp>.<body>" with this secret.
WEBHOOK_SECRET = env_str("NOTURIBA_WEBHOOK_SECRET", "")
WEBHOOK_TIMEOUT = env_int("NOTURIBA_WEBHOOK_TIMEOUT", 10, minimum=1)

# The SMS gateway's callbacks (inbound replies, delivery reports) must carry this token, in the
# "Authorization: Bearer …" header or as ?token=…; without one the callbacks are refused.
SMS_CALLBACK_TOKEN = env_str("NOTURIBA_SMS_CALLBACK_TOKEN", "")

# --- Alerts (issue #3) --------------------------------------------------------------------------

# Actual alerts need a second person's approval before they go out.
ALERT_TWO_PERSON_APPROVAL = env_bool("NOTURIBA_ALERT_APPROVAL", False)
# Unanswered this many minutes after a message → the next channel (0: never escalate).
ALERT_ESCALATE_AFTER_MINUTES = env_int("NOTURIBA_ESCALATE_AFTER_MINUTES", 30, minimum=0)
# How often the platform polls a CAP subscription at most (a subscription may ask for less often).
CAP_POLL_MINIMUM_SECONDS = env_int("NOTURIBA_CAP_POLL_MINIMUM_SECONDS", 60, minimum=10)

# --- Alert delivery engine (issue #3): claim lease, recovery --------------------------------------

# A delivery a worker claimed stays its own this many seconds; past that, the worker counts as dead
# and another worker sends it again (then the receiver sees the same idempotency key twice).
ALERT_DELIVERY_LEASE_SECONDS = env_int("NOTURIBA_DELIVERY_LEASE_SECONDS", 600, minimum=1)
# How often an open alert dashboard asks for new counts (HTMX polling), in seconds.
ALERT_DASHBOARD_POLL_SECONDS = env_int("NOTURIBA_DASHBOARD_POLL_SECONDS", 10, minimum=1)
