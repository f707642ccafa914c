"""Settings, read from the environment in this one place (12-factor).

With no variables at all the portal runs embedded: SQLite under var/, a
filesystem Celery broker under var/, e-mail printed to the console.
"""

import datetime
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
# A development key only while DEBUG is on; production must set its own.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "cities",
    "outbox",
    "accounts",
    "actionplans",
    "agreements",
    "state",
    "emissions",
    "results",
    "meetings",
    "people",
    "reporting",
    "search",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served as our own static files (no CDN)
    "api",
    "opendata",
    # The demo programme and `seed_demo`: nothing imports it, production may leave it out.
    "demo",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A refusal (403/404 from a view) goes to the security log; logged-in pages are never cached;
    # a session ends after SESSION_IDLE_HOURS unused.
    "accounts.middleware.RefusalLogMiddleware",
    "accounts.middleware.PrivatePagesMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After OTPMiddleware (user.is_verified) and messages: holds a half-logged-in person at the code.
    "accounts.middleware_two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a lockout found while logging in into the lockout page (django-axes: last).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # `unlocalize` everywhere: an id in an attribute (id="measure-{{ m.pk|unlocalize }}",
            # value="{{ m.pk|unlocalize }}") must never get the thousands separator that
            # USE_THOUSAND_SEPARATOR gives every number shown (measure-1 745).
            "builtins": ["django.templatetags.l10n"],
        },
    },
    {
        # Plain-text e-mail: the same templates folder, without HTML escaping.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {"autoescape": False},
    },
]

# Database: SQLite under var/ by default. The web server, the worker and beat
# share it, so it runs in WAL mode with IMMEDIATE transactions and a busy
# timeout: writers queue instead of failing with "database is locked".
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not memory, so that the worker and beat that some tests start share it.
    DATABASES["default"]["TEST"] = {"NAME": env.str("SQLITE_TEST_NAME", default=str(VAR_DIR / "test.sqlite3"))}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "accounts.backends.LockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor (django-otp): a code from an authenticator app (TOTP) or a recovery code after the
# password. Required of the roles below (Membership.Role values, and "staff" for is_staff) only
# while TWO_FACTOR_ENFORCE is on: by default in production, not in development, so the demo users
# log in with their password alone; offered to everyone and asked for once set up, either way.
TWO_FACTOR_ENFORCE = env.bool("TWO_FACTOR_ENFORCE", default=not DEBUG)
TWO_FACTOR_REQUIRED_ROLES = ["programme_management", "staff"]
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Framtidens byer")
# Wrong codes make the next try wait 1, 2, 4, 8 … seconds (django-otp's default, kept on on purpose).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Single sign-on by OpenID Connect (mozilla-django-oidc), off unless OIDC_RP_CLIENT_ID is set. The
# provider's endpoints come from OIDC_ISSUER's discovery document, fetched when first needed
# (accounts/oidc.py). A person is matched to an existing active user by verified e-mail; nobody is
# created. OIDC_TRUST_IDP_MFA: the provider's own multi-factor login (ID-porten, Ansattporten,
# Entra ID with MFA) stands for the portal's second factor; off, the portal asks for its own code.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
SSO_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_TRUST_IDP_MFA = env.bool("OIDC_TRUST_IDP_MFA", default=True)
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_CALLBACK_CLASS = "accounts.views.sso.SSOCallbackView"
OIDC_AUTHENTICATE_CLASS = "accounts.views.sso.SSOStartView"
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
LOGIN_REDIRECT_URL_FAILURE = "login"
if SSO_ENABLED:
    AUTHENTICATION_BACKENDS.append("accounts.oidc.PortalOIDCBackend")

# Lockout (django-axes, its database handler): LOGIN_FAILURE_LIMIT failed logins for one account
# (from any address), or LOGIN_ADDRESS_FAILURE_LIMIT from one address (for any accounts: many people
# may share an address), lock it for LOGIN_LOCKOUT_MINUTES after the last failure (a failure that
# comes while it is locked starts the period again); a success forgets the account's failures. The
# admin's login is covered as well: every login through a request passes the lockout backend.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The page a locked-out login gets (429), in the portal's layout, the same whether the account exists or not.
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Axes' own access log would keep every login a second time; the security log is the one.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Password reset links (Django's tokens) are valid this long, and work once.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_SECONDS", default=24 * 3600)

# Sessions end after SESSION_IDLE_HOURS without a request: accounts.middleware.IdleSessionMiddleware
# moves the expiry on as the session is used (every few minutes, not with a write on every request).
SESSION_IDLE_HOURS = env.float("SESSION_IDLE_HOURS", default=8)
SESSION_COOKIE_AGE = int(SESSION_IDLE_HOURS * 3600)

# The security log keeps entries this many days; a daily task removes older ones.
SECURITY_LOG_RETENTION_DAYS = env.int("SECURITY_LOG_RETENTION_DAYS", default=730)

# Language and time: Norwegian bokmål first, English second; Oslo time.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
# Where `collectstatic` puts the static files that WhiteNoise serves when DEBUG is off.
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
# Uploads are never served from a public URL: only through views that check
# permission. MEDIA_URL is therefore not routed anywhere.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media-is-not-served/"
# Where uploads are kept: under MEDIA_ROOT on disk by default; in a bucket of an S3 service (AWS,
# MinIO, Ceph …, through django-storages) when AWS_STORAGE_BUCKET_NAME is set, so that every web
# instance and worker reads the same files. The bucket stays private: the portal reads a file
# itself and hands it out through its views, and never gives a browser a URL of the bucket.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # Unset: AWS itself. MinIO and other services: their URL, e.g. http://minio:9000.
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # Unset: boto3 looks further (an instance or pod role, ~/.aws/credentials).
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            # "path" for services that name the bucket in the path, not the host name (MinIO).
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            # A prefix inside the bucket, for a bucket shared with other data.
            "location": env.str("AWS_LOCATION", default=""),
            # No ACL is sent by default: objects are as private as the bucket (new AWS buckets
            # refuse any ACL). "private" for a service whose buckets take ACLs.
            "default_acl": env.str("AWS_DEFAULT_ACL", default="") or None,
            # A version is never overwritten: a name already taken gets a suffix, as on disk.
            "file_overwrite": False,
            # A URL of a stored file would be signed and short-lived (the portal makes none).
            "querystring_auth": True,
            "querystring_expire": 60,
            # A file read back (a download, the text of a PDF) goes to a temporary file past 2 MB.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
# Stop reading a file upload as soon as it passes UPLOAD_MAX_BYTES (declared or received), then
# the usual handlers: small files in memory, larger ones in a temporary file.
FILE_UPLOAD_HANDLERS = [
    "lib.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console unless EMAIL_URL says otherwise
# (smtp://user:pass@host:587?tls=True, or filemail:///path for inspection).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# A hung mail server must not hold a sender (and its database transaction) forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Framtidens byer <noreply@localhost>")
# The domain of the outbox's Message-IDs: a mail sent again after a crash carries the same one.
OUTBOX_MESSAGE_ID_DOMAIN = env.str("OUTBOX_MESSAGE_ID_DOMAIN", default="framtidensbyer.portal")
# A mail claimed for longer than this belongs to a worker that died: the sweep sends it again.
OUTBOX_STALE_SECONDS = env.float("OUTBOX_STALE_SECONDS", default=600)
# A sender claims this many mails at a time and sends them over one connection.
OUTBOX_BATCH = env.int("OUTBOX_BATCH", default=100)

# Celery: a broker that needs no server by default (kombu's filesystem
# transport under var/), Redis or RabbitMQ through CELERY_BROKER_URL.
# Delivery is at least once; tasks are written to be safe to run twice.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
_broker_folder = VAR_DIR / "celery" / "broker"
if CELERY_BROKER_URL.startswith("filesystem"):
    _broker_folder.mkdir(parents=True, exist_ok=True)  # the transport does not make it
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_broker_folder),
        "data_folder_out": str(_broker_folder),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        # The folder is polled: a message waits up to this long (kombu's default is 1 s a message).
        "polling_interval": 0.2,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    # Longer than any task may run, so a slow task is not handed out twice.
    else {"visibility_timeout": 3 * 3600, "socket_connect_timeout": 5}
)
# Queuing from a web request gives up quickly when the broker is down; the sweep catches up.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# A worker whose broker goes away keeps trying to reconnect, however long the outage (Celery gives
# up after 100 tries by default and exits), also when the broker is not there yet at start.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
# Reminders: a sweep on an interval (not a crontab), so a lost tick only delays.
REMINDER_SWEEP_SECONDS = env.float("REMINDER_SWEEP_SECONDS", default=15 * 60)
CELERY_BEAT_SCHEDULE = {
    "sweep-reminders": {
        "task": "actionplans.sweep_reminders",
        "schedule": REMINDER_SWEEP_SECONDS,
        # A sweep that waited longer than an interval is superseded by the next one.
        "options": {"expires": REMINDER_SWEEP_SECONDS},
    },
    "sweep-meetings": {
        "task": "meetings.sweep",
        "schedule": REMINDER_SWEEP_SECONDS,
        "options": {"expires": REMINDER_SWEEP_SECONDS},
    },
    # The reminders of requests to the state that wait too long for an answer.
    "sweep-state": {
        "task": "state.sweep_reminders",
        "schedule": REMINDER_SWEEP_SECONDS,
        "options": {"expires": REMINDER_SWEEP_SECONDS},
    },
    # The progress reports' reminders, and a draft report for whoever became a reporter after its round opened.
    "sweep-results": {
        "task": "results.sweep",
        "schedule": REMINDER_SWEEP_SECONDS,
        "options": {"expires": REMINDER_SWEEP_SECONDS},
    },
    # The outbox: what is due and was not sent on commit (a broker outage), and rows of dead workers.
    "sweep-outbox": {
        "task": "outbox.sweep",
        "schedule": env.float("OUTBOX_SWEEP_SECONDS", default=60),
        "options": {"expires": 60},
    },
    # The daily digest of notices for those who read them once a day (at 07:00, or the first run after).
    "send-digests": {
        "task": "outbox.send_digests",
        "schedule": 3600,
        "options": {"expires": 3600},
    },
    "prune-security-log": {
        "task": "accounts.prune_security_log",
        "schedule": 24 * 3600,
        "options": {"expires": 24 * 3600},
    },
}

# Reports: a status report over more cities than this is built by a Celery
# task while the user watches a progress page; a smaller one is sent at once.
REPORT_ASYNC_CITIES = env.int("REPORT_ASYNC_CITIES", default=50)
# Over this many cities, the status report's table of cities is an appendix rendered this many at a time.
REPORT_APPENDIX_CITIES = env.int("REPORT_APPENDIX_CITIES", default=500)
# The appendix's parts rendered this many at a time, each by a process of its own (`lib.pdf.render_pdfs`).
REPORT_PDF_PROCESSES = env.int("REPORT_PDF_PROCESSES", default=2)
# Seconds a report task may run before it is told to stop, and the grace
# after which the worker process is killed.
REPORT_TIME_LIMIT = env.int("REPORT_TIME_LIMIT", default=300)
REPORT_TIME_LIMIT_GRACE = 30
# Exports: a spreadsheet (XLSX) of more rows than this is built by a Celery task (with the
# report's time limits) while the user watches a progress page; a smaller one is sent at once.
EXPORT_XLSX_INLINE_ROWS = env.int("EXPORT_XLSX_INLINE_ROWS", default=5000)

# Content Security Policy: our own origin only; no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
# The read-only API under /api/v1/ (api/): a personal token (Authorization: Bearer …) or the browser's
# session; JSON only; each user (or address, unauthenticated) may make API_RATE requests, counted in the
# default cache.
API_RATE = env.str("API_RATE", default="600/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: its WWW-Authenticate header makes an anonymous request's answer a 401.
        "api.authentication.BearerTokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.InProgrammeWithScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.UserRateThrottle", "api.throttling.AnonRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.views.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cities of the Future API",
    "DESCRIPTION": (
        "Read-only access to the coordination portal: what the token's owner may read, within the token's "
        "scope. Send a personal token (made on your profile page) as `Authorization: Bearer <token>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from the online validator: no request leaves for another site.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "ProgrammeStatusEnum": "actionplans.models.ActionProgramme.Status",
        "ProgrammeStateEnum": "actionplans.models.ProgrammeState",
        "MeasureStatusEnum": "actionplans.models.Measure.Status",
        "ReviewStatusEnum": "actionplans.models.Review.Status",
        "AgreementStatusEnum": "agreements.models.Agreement.Status",
        "AgreementKindEnum": "actionplans.models.AgreementKind",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "MeetingKindEnum": "meetings.models.Meeting.Kind",
        "ActionItemStatusEnum": "meetings.models.ActionItem.Status",
        "InstrumentKindEnum": "state.models.Instrument.Kind",
        "OrganisationKindEnum": "cities.models.Organisation.Kind",
    },
}

X_FRAME_OPTIONS = "DENY"  # a view that must be framed (an inline PDF) says so itself

# HTTPS in production (DEBUG off); each can be turned off for a proxy setup.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # A load balancer asks over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates every rendering step at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
