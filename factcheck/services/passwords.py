"""Passwords: hashing (argon2id by default), checking, rehashing and the strength policy.

New passwords are hashed with the method ``PASSWORD_HASH_METHOD`` names: ``argon2id`` (OWASP's
current minimum: 19 MiB of memory, 2 iterations, 1 lane) or any method Werkzeug knows (``scrypt``,
``pbkdf2:sha256:600000``; tests use a cheap one). A stored hash made another way is still checked,
and replaced at the next sign-in (``needs_rehash``).
"""

from __future__ import annotations

import functools
import hmac

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from factcheck.services.errors import InvalidInput

ARGON2ID = "argon2id"
#: OWASP Password Storage Cheat Sheet: argon2id with m=19 MiB, t=2, p=1.
_ARGON2 = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)
MIN_LENGTH = 12
MAX_LENGTH = 512
#: zxcvbn's score from 0 to 4; 3 is "safely unguessable" (about 10^10 guesses and more).
MIN_SCORE = 3
#: Only this much of a password is scored: zxcvbn's time grows fast with length, and a long
#: password whose beginning is already strong is strong.
_SCORED_LENGTH = 64


def hash_password(password: str, method: str = ARGON2ID) -> str:
    """The hash to store for ``password``."""
    if method == ARGON2ID:
        return _ARGON2.hash(password)
    return generate_password_hash(password, method=method)


def verify_password(stored: str, password: str) -> bool:
    """True when ``password`` matches ``stored`` (any method this module ever stored)."""
    if stored.startswith("$argon2"):
        try:
            return _ARGON2.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
    try:
        return check_password_hash(stored, password)
    except ValueError:  # an unknown method in the stored hash
        return False


@functools.cache
def dummy_hash(method: str) -> str:
    """A hash made as real ones are, checked when no account matches, so both cost the same work."""
    return hash_password("not a real password", method)


def _prefix(stored: str) -> str:
    """The method and cost part of a Werkzeug hash ("pbkdf2:sha256:1000"), or an argon2 hash's parameters."""
    if stored.startswith("$argon2"):
        return "$".join(stored.split("$")[:4])
    return stored.split("$", 1)[0]


def needs_rehash(stored: str, method: str = ARGON2ID) -> bool:
    """True when ``stored`` was made another way (or at other costs) than ``method`` makes hashes now."""
    if method == ARGON2ID:
        if not stored.startswith("$argon2"):
            return True
        try:
            return _ARGON2.check_needs_rehash(stored)
        except InvalidHashError:
            return True
    return not hmac.compare_digest(_prefix(stored), _prefix(dummy_hash(method)))


def check_policy(password: str, *, related: tuple[str, ...] = ()) -> None:
    """Refuse a password that is too short, too long, or easy to guess (common, leaked-style, a pattern,
    or made of ``related`` words such as the account's email). Raises InvalidInput with advice."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_LENGTH} characters; a few unrelated words make "
                           "a long one that is easy to remember.")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"A password can have at most {MAX_LENGTH} characters.")
    inputs = [part for word in related for part in {word, *word.replace("@", " ").replace(".", " ").split()} if part]
    result = zxcvbn(password[:_SCORED_LENGTH], user_inputs=[*inputs, "factcheck"])
    if result["score"] < MIN_SCORE:
        feedback = result.get("feedback") or {}
        warning = (feedback.get("warning") or "").strip()
        hint = " ".join(s.strip() for s in feedback.get("suggestions") or [] if s.strip())
        reason = warning or "It would be easy to guess."
        raise InvalidInput(f"This password is too easy to guess. {reason} {hint}".strip()
                           + " Try a few unrelated words.")
