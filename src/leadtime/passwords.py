"""Passwords for the servers leadtime signs in to (CalDAV, the team's PostgreSQL).

A password is never stored, printed or part of an address. It comes, in order, from an
environment variable, the system keyring (when the optional ``keyring`` package is
installed and has a backend), or a prompt that does not echo, which callers pass only when
standard input is a terminal. Cheap to import: the keyring is loaded only when asked.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Mapping
from typing import Literal, overload

from leadtime.errors import InputError

__all__ = ["KeyringLookup", "Prompt", "find_password", "keyring_lookup", "terminal_prompt"]

Prompt = Callable[[str], str]
KeyringLookup = Callable[[str, str], "str | None"]


def keyring_lookup(service: str, user: str) -> str | None:
    """The system keyring's password for ``service`` and ``user``, or None (no ``keyring``
    package, no usable backend, a locked store, no entry)."""
    try:
        import keyring
    except ImportError:
        return None
    try:
        password = keyring.get_password(service, user)
    except Exception:  # no usable backend, a locked store: fall through to the prompt
        return None
    return password if isinstance(password, str) else None


@overload
def find_password(
    *,
    what: str,
    variable: str,
    service: str,
    user: str,
    host: str,
    environ: Mapping[str, str],
    prompt: Prompt | None,
    keyring_lookup: KeyringLookup = ...,
    required: Literal[True] = ...,
) -> str: ...


@overload
def find_password(
    *,
    what: str,
    variable: str,
    service: str,
    user: str,
    host: str,
    environ: Mapping[str, str],
    prompt: Prompt | None,
    keyring_lookup: KeyringLookup = ...,
    required: bool,
) -> str | None: ...


def find_password(
    *,
    what: str,
    variable: str,
    service: str,
    user: str,
    host: str,
    environ: Mapping[str, str],
    prompt: Prompt | None,
    keyring_lookup: KeyringLookup = keyring_lookup,
    required: bool = True,
) -> str | None:
    """The password of ``user`` at ``host``: ``environ[variable]``, the keyring entry for
    ``service`` and ``user``, or ``prompt(question)``, in that order.

    ``what`` names the server in the question and the error (``CalDAV``, ``team``).
    Without any of them, :class:`InputError` (or None when not ``required``: the caller
    then lets the server say whether it needs one).
    """
    password = environ.get(variable)
    if password:
        return password
    password = keyring_lookup(service, user)
    if password:
        return password
    if prompt is not None:
        password = prompt(f"{what} password for {user} at {host}: ")
        if password:
            return password
    if not required:
        return None
    raise InputError(
        f"no {what} password for {user} at {host}",
        hint=f"set {variable}, or store it with: keyring set {service} {user}",
    )


def terminal_prompt(question: str) -> str:
    """A prompt that does not echo (use it on a terminal only)."""
    return getpass.getpass(question)
