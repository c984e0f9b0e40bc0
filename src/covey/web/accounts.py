"""The app database: users, workspaces, memberships, sessions, API tokens, failed sign-ins.

It is a small SQLite file apart from the workspaces' Covey databases, so accounts never mix
with creators' data and each workspace stays one DuckDB file of its own. Passwords are
argon2id hashes; session and API tokens are random and stored only as keyed hashes, so a
copy of this file signs nobody in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from covey.errors import InputError

Role = Literal["owner", "editor", "viewer"]
ROLES: tuple[Role, ...] = ("owner", "editor", "viewer")
WORKSPACE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MIN_PASSWORD = 10
SEEN_EVERY = 60.0  # seconds: how stale a session's "seen at" may get before it is written again

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL, password_hash TEXT NOT NULL,
    created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS workspaces (
    name TEXT PRIMARY KEY, db_path TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS members (
    user_id INTEGER NOT NULL REFERENCES users(user_id), workspace TEXT NOT NULL REFERENCES workspaces(name),
    role TEXT NOT NULL, PRIMARY KEY (user_id, workspace));
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(user_id),
    csrf TEXT NOT NULL, created_at REAL NOT NULL, seen_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS api_tokens (
    token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(user_id), label TEXT,
    created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS failed_logins (key TEXT NOT NULL, at REAL NOT NULL);
"""


@dataclass(frozen=True)
class User:
    """A signed-in person."""

    user_id: int
    email: str


@dataclass(frozen=True)
class Session:
    """A server-side session: revoked by deleting its row."""

    user: User
    csrf: str


@dataclass(frozen=True)
class Workspace:
    """A workspace: a name and its own Covey database file."""

    name: str
    db_path: Path


def secret_key(path: Path) -> bytes:
    """The server's secret key, created (readable by its owner only) on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(secrets.token_bytes(32))
        path.chmod(0o600)
    key = path.read_bytes()
    if len(key) < 32:
        raise InputError(f"{path}: secret key shorter than 32 bytes", field="web.secret_key_file")
    return key


class AppDB:
    """Accounts and workspaces in one SQLite file; safe to share between the server's threads."""

    def __init__(self, path: Path, key: bytes, *, hasher: PasswordHasher | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._key = key
        self._lock = threading.Lock()
        self._con = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._con.execute("PRAGMA foreign_keys = ON")
        # Every request reads its session and now and then touches it: with a write-ahead log and
        # NORMAL sync a write costs no fsync (a crash may lose the last "seen at", never a user).
        self._con.execute("PRAGMA journal_mode = WAL")
        self._con.execute("PRAGMA synchronous = NORMAL")
        self._con.executescript(_SCHEMA)
        self._hasher = hasher or PasswordHasher()  # argon2id with the library's current defaults

    def close(self) -> None:
        """Close the file."""
        self._con.close()

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return list(self._con.execute(sql, params).fetchall())

    def _hash(self, token: str) -> str:
        return hmac.new(self._key, token.encode(), hashlib.sha256).hexdigest()

    # -- users and workspaces ------------------------------------------------------------
    def add_user(self, email: str, password: str) -> User:
        """Create a user; the password is stored as an argon2id hash."""
        email = email.strip().lower()
        if "@" not in email or len(email) > 254:
            raise InputError(f"not an e-mail address: {email!r}", field="email")
        if len(password) < MIN_PASSWORD:
            raise InputError(f"a password needs at least {MIN_PASSWORD} characters", field="password")
        if self._rows("SELECT 1 FROM users WHERE email = ?", (email,)):
            raise InputError(f"user {email} exists already", field="email")
        with self._lock:
            cur = self._con.execute(
                "INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?)",
                (email, self._hasher.hash(password), time.time()),
            )
        return User(int(cur.lastrowid or 0), email)

    def set_password(self, email: str, password: str) -> None:
        """Replace a user's password (argon2id) and end their sessions, so an old cookie stops working."""
        user = self.user(email)
        if user is None:
            raise InputError(f"no user {email}", field="email")
        if len(password) < MIN_PASSWORD:
            raise InputError(f"a password needs at least {MIN_PASSWORD} characters", field="password")
        with self._lock:
            self._con.execute(
                "UPDATE users SET password_hash = ? WHERE user_id = ?",
                (self._hasher.hash(password), user.user_id),
            )
        self.revoke_all(user)

    def user_count(self) -> int:
        """How many users there are."""
        return int(str(self._rows("SELECT count(*) FROM users")[0][0]))

    def user(self, email: str) -> User | None:
        """The user with this e-mail address, if any."""
        rows = self._rows("SELECT user_id, email FROM users WHERE email = ?", (email.strip().lower(),))
        return User(int(str(rows[0][0])), str(rows[0][1])) if rows else None

    def add_workspace(self, name: str, db_path: Path) -> Workspace:
        """Register a workspace whose Covey database is ``db_path``."""
        if not WORKSPACE_NAME.match(name):
            raise InputError(
                f"workspace name {name!r}: lower-case letters, digits and '-', at most 40", field="name"
            )
        if self.workspace(name):
            raise InputError(f"workspace {name} exists already", field="name")
        with self._lock:
            self._con.execute(
                "INSERT INTO workspaces VALUES (?, ?, ?)", (name, str(db_path.resolve()), time.time())
            )
        return Workspace(name, db_path.resolve())

    def workspace(self, name: str) -> Workspace | None:
        """The workspace called ``name``, if any."""
        rows = self._rows("SELECT name, db_path FROM workspaces WHERE name = ?", (name,))
        return Workspace(str(rows[0][0]), Path(str(rows[0][1]))) if rows else None

    def workspaces(self) -> list[Workspace]:
        """Every workspace."""
        return [
            Workspace(str(n), Path(str(p))) for n, p in self._rows("SELECT name, db_path FROM workspaces")
        ]

    def grant(self, email: str, workspace: str, role: str) -> None:
        """Give a user a role in a workspace (replacing any earlier role there)."""
        if role not in ROLES:
            raise InputError(f"role {role!r}: one of {', '.join(ROLES)}", field="role")
        user = self.user(email)
        if user is None:
            raise InputError(f"no user {email}", field="email")
        if self.workspace(workspace) is None:
            raise InputError(f"no workspace {workspace}", field="workspace")
        with self._lock:
            self._con.execute(
                "INSERT OR REPLACE INTO members VALUES (?, ?, ?)", (user.user_id, workspace, role)
            )

    def role(self, user: User, workspace: str) -> Role | None:
        """The user's role in a workspace, None when they are not a member."""
        rows = self._rows(
            "SELECT role FROM members WHERE user_id = ? AND workspace = ?", (user.user_id, workspace)
        )
        return rows[0][0] if rows else None  # type: ignore[return-value]

    def memberships(self, user: User) -> list[tuple[str, Role]]:
        """(workspace, role) of every workspace the user belongs to."""
        rows = self._rows("SELECT workspace, role FROM members WHERE user_id = ? ORDER BY 1", (user.user_id,))
        return [(str(w), r) for w, r in rows]  # type: ignore[misc]

    # -- signing in ------------------------------------------------------------------------
    def throttled(self, key: str, attempts: int, window: float) -> bool:
        """Whether ``key`` (account and address) failed ``attempts`` times in the last ``window`` s."""
        since = time.time() - window
        rows = self._rows("SELECT count(*) FROM failed_logins WHERE key = ? AND at > ?", (key, since))
        return int(str(rows[0][0])) >= attempts

    def authenticate(self, email: str, password: str, throttle_key: str) -> User | None:
        """The user when the password matches; each failure is recorded for throttling."""
        rows = self._rows(
            "SELECT user_id, email, password_hash FROM users WHERE email = ?", (email.strip().lower(),)
        )
        ok = False
        if rows:
            try:
                ok = self._hasher.verify(str(rows[0][2]), password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            # Spend the same time as a real check so timing does not reveal who has an account.
            self._hasher.hash(password)
        if not ok:
            with self._lock:
                self._con.execute("INSERT INTO failed_logins VALUES (?, ?)", (throttle_key, time.time()))
            return None
        with self._lock:
            self._con.execute("DELETE FROM failed_logins WHERE key = ?", (throttle_key,))
        return User(int(str(rows[0][0])), str(rows[0][1]))

    def new_session(self, user: User) -> tuple[str, Session]:
        """A new session's token (for the cookie) and the session."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = time.time()
        with self._lock:
            self._con.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                (self._hash(token), user.user_id, csrf, now, now),
            )
        return token, Session(user, csrf)

    def session(self, token: str, max_idle: float) -> Session | None:
        """The live session of a cookie token; expired sessions are deleted."""
        h = self._hash(token)
        rows = self._rows(
            "SELECT u.user_id, u.email, s.csrf, s.seen_at FROM sessions s JOIN users u USING (user_id) "
            "WHERE s.token_hash = ?",
            (h,),
        )
        if not rows:
            return None
        uid, email, csrf, seen = rows[0]
        now = time.time()
        if now - float(str(seen)) > max_idle:
            self.revoke(token)
            return None
        if now - float(str(seen)) > SEEN_EVERY:  # idle time counts in minutes: no write per request
            with self._lock:
                self._con.execute("UPDATE sessions SET seen_at = ? WHERE token_hash = ?", (now, h))
        return Session(User(int(str(uid)), str(email)), str(csrf))

    def revoke(self, token: str) -> None:
        """End a session (sign-out)."""
        with self._lock:
            self._con.execute("DELETE FROM sessions WHERE token_hash = ?", (self._hash(token),))

    def revoke_all(self, user: User) -> int:
        """End every session of a user; returns how many."""
        with self._lock:
            return self._con.execute("DELETE FROM sessions WHERE user_id = ?", (user.user_id,)).rowcount

    # -- API tokens ----------------------------------------------------------------------------
    def new_api_token(self, email: str, label: str = "") -> str:
        """A new API token for a user (shown once; only its hash is kept)."""
        user = self.user(email)
        if user is None:
            raise InputError(f"no user {email}", field="email")
        token = "covey_" + secrets.token_urlsafe(32)
        with self._lock:
            self._con.execute(
                "INSERT INTO api_tokens VALUES (?, ?, ?, ?)",
                (self._hash(token), user.user_id, label, time.time()),
            )
        return token

    def token_user(self, token: str) -> User | None:
        """The user an API token belongs to."""
        rows = self._rows(
            "SELECT u.user_id, u.email FROM api_tokens t JOIN users u USING (user_id) WHERE t.token_hash = ?",
            (self._hash(token),),
        )
        return User(int(str(rows[0][0])), str(rows[0][1])) if rows else None
