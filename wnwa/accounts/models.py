"""People and their second factors.

There is deliberately no `last_login` (docs/privacy.md, rule 2), and the second-factor devices
keep no timestamps of use (rule 4): django-otp's stock devices record `last_used_at` and
`last_t`, which together are a sign-in log.
"""

import hashlib
import re
import secrets
import time
from base64 import b32encode
from binascii import unhexlify

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.cache import cache
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac
from django_otp.models import Device, ThrottlingMixin
from django_otp.oath import TOTP
from django_otp.util import random_hex


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email: str):
        return self.get(email__iexact=email)

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password: an invited officer
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_network_admin", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


def new_session_token() -> str:
    return secrets.token_hex(16)


# The flags that make someone staff: changing any of them ends every session of the account.
ROLE_FIELDS = ("is_department_admin", "is_vetter", "is_training_staff", "is_network_admin")


class User(AbstractBaseUser, PermissionsMixin):
    class Kind(models.TextChoices):
        SWORN = "sworn", "Sworn"
        CIVILIAN = "civilian", "Civilian"

    email = models.EmailField("email address", max_length=254, unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="Empty for network staff.",
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SWORN)
    rank = models.CharField(max_length=80, blank=True)
    badge_number = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)
    deactivated_on = models.DateField(null=True, blank=True)
    # Retired from the department (docs/product.md, "Retired officers"): a status, not a
    # deactivation. A retiree keeps their credentials and every officer page, counts toward no
    # figure of the department, and keeps a peer listing if certified. The day is the roster's.
    retired_on = models.DateField(
        null=True,
        blank=True,
        help_text="Set when the department marks the officer retired; empty while serving.",
    )

    # Roles (docs/product.md "Who uses it"); wnwa.accounts.roles is the one place that reads them.
    is_department_admin = models.BooleanField(
        default=False, help_text="Administers their own department's roster and compliance."
    )
    is_vetter = models.BooleanField(default=False)
    is_training_staff = models.BooleanField(default=False)
    is_network_admin = models.BooleanField(default=False)

    # A random value every session of the account is bound to (see _get_session_auth_hash):
    # replacing it ends them all. It says nothing about when anyone signed in.
    session_token = models.CharField(max_length=32, default=new_session_token, editable=False)

    # docs/privacy.md rule 2: Django connects update_last_login only when this is a field.
    last_login = None

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        # The people pickers (wnwa/accounts/people.py) search a department's officers by name.
        indexes = [
            models.Index(
                fields=["department", "last_name", "first_name"], name="user_department_names"
            )
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(is_department_admin=False) | models.Q(department__isnull=False),
                name="department_admin_has_department",
            ),
            models.UniqueConstraint(
                fields=["department", "badge_number"],
                condition=~models.Q(badge_number=""),
                name="badge_unique_in_department",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    def _get_session_auth_hash(self, secret=None) -> str:
        """Django binds a session to an HMAC of the password, so a password change or a reset
        ends the account's other sessions. Ours binds it also to the account's session value
        (replaced by "sign out everywhere" and by deactivation) and to its staff roles, so each
        of those ends every session too, with nothing recorded about the sessions themselves."""
        roles = ",".join(name for name in (*ROLE_FIELDS, "is_superuser") if getattr(self, name))
        return salted_hmac(
            "wnwa.accounts.User.session",
            f"{self.password}|{self.session_token}|{roles}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_staff(self) -> bool:
        """Django admin access: network admins only (and only once verified, see admin.py)."""
        return self.is_network_admin

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None

    @property
    def is_invited(self) -> bool:
        """Enrolled, but has not yet set a password through the invitation."""
        return self.is_active and not self.has_usable_password()


def _default_totp_key() -> str:
    return random_hex(20)


class TOTPDevice(ThrottlingMixin, Device):
    """A TOTP authenticator that records nothing about when it was used.

    Replay protection lives in the cache for the code's lifetime instead of in a `last_t` column.
    Throttling writes failure counters only (an attack is not usage) and resets them only when
    there is something to reset.
    """

    key = models.CharField(max_length=80, default=_default_totp_key)
    step = models.PositiveSmallIntegerField(default=30)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)

    class Meta(Device.Meta):
        verbose_name = "authenticator app"

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    @property
    def base32_key(self) -> str:
        return b32encode(self.bin_key).decode()

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def config_url(self) -> str:
        from urllib.parse import quote, urlencode

        issuer = settings.OTP_TOTP_ISSUER
        label = quote(f"{issuer}:{self.user.email}")
        query = urlencode({"secret": self.base32_key, "issuer": issuer, "digits": self.digits})
        return f"otpauth://totp/{label}?{query}"

    def _replay_key(self) -> str:
        return f"otp:totp:last-t:{self.pk}"

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            code = int(str(token).strip())
        except (TypeError, ValueError):
            code = None
        verified = False
        if code is not None:
            totp = TOTP(self.bin_key, self.step, 0, self.digits, 0)
            totp.time = time.time()
            last_t = cache.get(self._replay_key(), -1)
            if totp.verify(code, self.tolerance, last_t + 1):
                matched_t = totp.t()
                lifetime = self.step * (2 * self.tolerance + 2)
                # add() is atomic: two requests racing with one code cannot both win.
                verified = cache.add(f"{self._replay_key()}:{matched_t}", 1, lifetime)
                if verified:
                    cache.set(self._replay_key(), matched_t, lifetime)
        if verified:
            if self.throttling_failure_count:
                self.throttle_reset()
        else:
            self.throttle_increment()
        return verified


# A backup code is 12 hex digits, shown as two groups of six ("3f9a1c-07be42"); people type it
# with or without the hyphen, in either case, with spaces.
BACKUP_CODE = re.compile(r"^([0-9a-f]{6})-?([0-9a-f]{6})$")
TOTP_CODE = re.compile(r"^[0-9]{6}$")


def normalise_backup_code(code: str) -> str | None:
    """The code as it was issued ("abcdef-012345"), or None when it is not shaped like one."""
    match = BACKUP_CODE.match("".join(str(code).split()).lower())
    return f"{match[1]}-{match[2]}" if match else None


BACKUP_CODE_SALT = "wnwa.accounts.BackupCode"


def keyed_backup_digest(digest: str, secret: str | None = None) -> str:
    """An HMAC under the secret key of a code's plain digest (the migration 0003 applies the
    same to the digests stored before it, so codes already issued keep working)."""
    return salted_hmac(BACKUP_CODE_SALT, digest, secret=secret, algorithm="sha256").hexdigest()


def hash_backup_code(device_id: int, code: str, secret: str | None = None) -> str:
    """Codes are stored as an HMAC under the secret key of their device-salted digest.

    A code has 48 random bits: a plain hash in a database dump would be guessed offline in hours
    on a graphics card. Keyed, the dump alone gives nothing without the secret key, which never
    lives in the database.
    """
    normalised = normalise_backup_code(code) or "".join(str(code).split()).lower()
    digest = hashlib.sha256(f"{device_id}:{normalised}".encode()).hexdigest()
    return keyed_backup_digest(digest, secret)


class BackupCodeDevice(ThrottlingMixin, Device):
    """Single-use backup codes. A used code is deleted; nothing records when."""

    class Meta(Device.Meta):
        verbose_name = "backup codes"

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def generate_codes(self, codes: list[str] | None = None) -> list[str]:
        """Replace every code with a fresh set and return them (shown to the user once).

        `codes` is for the demo data only, which prints the same codes on every run.
        """
        if codes is None:
            count = settings.OTP_BACKUP_CODE_COUNT
            codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(count)]
        self.codes.all().delete()
        BackupCode.objects.bulk_create(
            BackupCode(device=self, code_hash=hash_backup_code(self.pk, code)) for code in codes
        )
        return codes

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        # Under the secret key and any fallbacks a key rotation keeps (SECRET_KEY_FALLBACKS).
        keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
        hashes = [hash_backup_code(self.pk, str(token), secret=key) for key in keys]
        deleted, _ = self.codes.filter(code_hash__in=hashes).delete()
        if deleted:
            if self.throttling_failure_count:
                self.throttle_reset()
            return True
        self.throttle_increment()
        return False


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "code_hash"], name="backup_code_unique")
        ]

    def __str__(self) -> str:
        return "backup code"


class FamilyAccount(models.Model):
    """What makes an account a family member's (docs/product.md, "Families"): an adult an
    officer or retiree invited. The account has no `department` of its own (it is nobody's
    officer, so no roster, figure or export of the department ever lists it); the department is
    kept here for membership and the own-department rule.

    `invited_by` is kept only while the inviting officer's account exists: when it ends, the link
    is removed and `ends_on` set a grace period ahead (wnwa.accounts.families). Nothing here says
    when anyone signed in or what they looked at.
    """

    class Relation(models.TextChoices):
        PARTNER = "partner", "Spouse or partner"
        CHILD = "child", "Adult child"
        PARENT = "parent", "Parent"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="family_account")
    department = models.ForeignKey(
        "departments.Department", on_delete=models.PROTECT, related_name="family_accounts"
    )
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="family_invited",
        help_text="Kept while the inviting officer's account exists; removed when it ends.",
    )
    relation = models.CharField(max_length=10, choices=Relation.choices)
    ends_on = models.DateField(
        null=True,
        blank=True,
        help_text="The last day of access, once the inviting officer's account has ended or the "
        "department leaves. Extend it at the family's request.",
    )
    # The network's administration, not usage: the month-before notice went out (a new end
    # date clears it).
    ending_notice_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "family account"

    def __str__(self) -> str:
        return "family account"

    @property
    def is_ending(self) -> bool:
        return self.ends_on is not None
