"""The transfer package between Ruta installations: sign, encrypt, open, verify.

No database here: keys come in as arguments, so two installations can be simulated in
one process. The format (a ``.rutapkg`` file, UTF-8 JSON)::

    {"format": "ruta-transfer-package", "version": 1,
     "package_id", "created_at", "expires_at", "sender", "recipient",   # the header
     "ephemeral_key", "nonce", "ciphertext"}                          # base64

The plaintext is JSON ``{"signed": b64(canonical JSON of {"header", "payload"}),
"signature": b64(Ed25519 signature of those bytes)}``: sign, then encrypt. Encryption:
an ephemeral X25519 key agreed with the recipient's X25519 key, HKDF-SHA256 (salt: the
two public keys), AES-256-GCM with the canonical outer header as associated data. The
signed header repeats the outer one, so neither can be swapped. Fingerprints are the
SHA-256 of both public keys.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "ruta-transfer-package"
VERSION = 1
HKDF_INFO = b"ruta-transfer-package-v1"
HEADER_FIELDS = ("package_id", "created_at", "expires_at", "sender", "recipient")
DEFAULT_DAYS = 14


class PackageError(Exception):
    """A package that must not be imported; ``str(error)`` says why, for the person."""


class MalformedPackage(PackageError):
    pass


class MisaddressedPackage(PackageError):
    pass


class UnknownSender(PackageError):
    pass


class TamperedPackage(PackageError):
    pass


class ExpiredPackage(PackageError):
    pass


class ReplayedPackage(PackageError):
    pass


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def fingerprint(signing_public: bytes, encryption_public: bytes) -> str:
    return hashlib.sha256(b"ruta-installation:" + signing_public + encryption_public).hexdigest()


def _raw_public(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class PeerKeys:
    """Another installation's public identity."""

    name: str
    country: str
    signing_public: bytes
    encryption_public: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public, self.encryption_public)

    def as_public_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "country": self.country,
            "ed25519_public_key": b64(self.signing_public),
            "x25519_public_key": b64(self.encryption_public),
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_public_json(cls, data: dict[str, Any]) -> PeerKeys:
        """Read an ``export_installation_key`` document; the fingerprint must match."""
        try:
            peer = cls(
                name=str(data["name"])[:120],
                country=str(data["country"]).upper()[:2],
                signing_public=unb64(data["ed25519_public_key"]),
                encryption_public=unb64(data["x25519_public_key"]),
            )
            Ed25519PublicKey.from_public_bytes(peer.signing_public)
            X25519PublicKey.from_public_bytes(peer.encryption_public)
        except (KeyError, TypeError, ValueError, binascii.Error) as error:
            raise MalformedPackage(_("This is not a valid installation public key.")) from error
        if data.get("fingerprint") and data["fingerprint"] != peer.fingerprint:
            raise MalformedPackage(_("The fingerprint does not match the keys."))
        return peer


@dataclass(frozen=True)
class LocalKeys:
    """This installation's private keys (loaded from ``InstallationKey`` or passed by tests)."""

    name: str
    country: str
    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey

    @classmethod
    def generate(cls, name: str, country: str) -> LocalKeys:
        return cls(name, country, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @classmethod
    def from_raw(cls, name: str, country: str, signing: bytes, encryption: bytes) -> LocalKeys:
        return cls(
            name,
            country,
            Ed25519PrivateKey.from_private_bytes(signing),
            X25519PrivateKey.from_private_bytes(encryption),
        )

    def raw_private(self) -> tuple[bytes, bytes]:
        fmt = (Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return self.signing.private_bytes(*fmt), self.encryption.private_bytes(*fmt)

    @property
    def public(self) -> PeerKeys:
        return PeerKeys(
            self.name,
            self.country,
            _raw_public(self.signing.public_key()),
            _raw_public(self.encryption.public_key()),
        )

    @property
    def fingerprint(self) -> str:
        return self.public.fingerprint


def _aead_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral_public + recipient_public,
        info=HKDF_INFO,
    ).derive(shared)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def seal(
    payload: dict[str, Any],
    *,
    sender: LocalKeys,
    recipient: PeerKeys,
    days: int = DEFAULT_DAYS,
    now: dt.datetime | None = None,
    package_id: uuid.UUID | None = None,
) -> tuple[bytes, dict[str, str]]:
    """Sign ``payload`` and encrypt it to ``recipient``: the file's bytes and its header."""
    now = now or timezone.now()
    header = {
        "package_id": str(package_id or uuid.uuid4()),
        "created_at": _iso(now),
        "expires_at": _iso(now + dt.timedelta(days=days)),
        "sender": sender.fingerprint,
        "recipient": recipient.fingerprint,
    }
    signed = canonical({"header": header, "payload": payload})
    inner = canonical({"signed": b64(signed), "signature": b64(sender.signing.sign(signed))})
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral.public_key())
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient.encryption_public))
    key = _aead_key(shared, ephemeral_public, recipient.encryption_public)
    nonce = os.urandom(12)
    outer = {"format": FORMAT, "version": VERSION, **header, "ephemeral_key": b64(ephemeral_public)}
    ciphertext = AESGCM(key).encrypt(nonce, inner, canonical(outer))
    envelope = {**outer, "nonce": b64(nonce), "ciphertext": b64(ciphertext)}
    return json.dumps(envelope, indent=1).encode(), header


def read_header(data: bytes) -> dict[str, Any]:
    """The envelope, checked for shape only (nothing in it is trusted yet)."""
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise MalformedPackage(
            _("This file is not a Ruta transfer package, or it is damaged.")
        ) from error
    if (
        not isinstance(envelope, dict)
        or envelope.get("format") != FORMAT
        or envelope.get("version") != VERSION
        or not all(isinstance(envelope.get(name), str) for name in HEADER_FIELDS)
    ):
        raise MalformedPackage(_("This file is not a Ruta transfer package, or it is damaged."))
    return envelope


def open_package(
    data: bytes,
    *,
    keys: list[LocalKeys],
    find_peer: Callable[[str], PeerKeys | None],
    now: dt.datetime | None = None,
) -> tuple[dict[str, Any], dict[str, Any], PeerKeys]:
    """Check and open a package: (signed header, payload, sending peer) or ``PackageError``.

    In order: shape; addressed to one of ``keys``; sender is a known, active peer;
    decrypts (else tampered); signature valid (else tampered); the signed header is the
    outer one; not expired. Replay is checked by the caller against stored package ids.
    """
    envelope = read_header(data)
    mine = {key.fingerprint: key for key in keys}
    local = mine.get(envelope["recipient"])
    if local is None:
        raise MisaddressedPackage(
            _("This package is addressed to another installation, not to this one.")
        )
    peer = find_peer(envelope["sender"])
    if peer is None:
        raise UnknownSender(
            _(
                "This package comes from an installation that is not among your trusted "
                "peers. An administrator must add its public key first."
            )
        )
    tampered = TamperedPackage(
        _("The package was altered or damaged after it was sealed. It cannot be trusted.")
    )
    try:
        ephemeral_public = unb64(envelope["ephemeral_key"])
        nonce = unb64(envelope["nonce"])
        ciphertext = unb64(envelope["ciphertext"])
        shared = local.encryption.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _aead_key(shared, ephemeral_public, local.public.encryption_public)
        outer = {k: v for k, v in envelope.items() if k not in ("nonce", "ciphertext")}
        inner = json.loads(AESGCM(key).decrypt(nonce, ciphertext, canonical(outer)))
        signed = unb64(inner["signed"])
        signature = unb64(inner["signature"])
    except (KeyError, TypeError, ValueError, binascii.Error, InvalidTag) as error:
        raise tampered from error
    try:
        Ed25519PublicKey.from_public_bytes(peer.signing_public).verify(signature, signed)
    except InvalidSignature as error:
        raise tampered from error
    content = json.loads(signed)
    header = content.get("header") or {}
    if any(header.get(name) != envelope[name] for name in HEADER_FIELDS):
        raise tampered
    try:
        expires_at = dt.datetime.fromisoformat(header["expires_at"])
    except ValueError as error:
        raise tampered from error
    if (now or timezone.now()) > expires_at:
        raise ExpiredPackage(
            _("This package expired on %(date)s. Ask the sending installation for a new one.")
            % {"date": timezone.localtime(expires_at).strftime("%Y-%m-%d %H:%M")}
        )
    return header, content.get("payload") or {}, peer
