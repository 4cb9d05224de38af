"""Authorities' signing keys: from configuration (a PKCS#12 file or a PKCS#11 token per
authority) and, in development and tests, from a development CA made under ``SIGNING["DIR"]``.

``settings.SIGNING``::

    DIR                 where make_dev_ca keeps the development CA and keys (var/signing/)
    DEVELOPMENT_KEYS    True in development and tests: an authority without a configured key
                        gets one from the development CA, made on first use
    AUTHORITIES         {code: {"p12": path, "passphrase_env": NAME}}
                        or {code: {"pkcs11": {"module": path, "token": label, "key_label": label,
                        "cert_label": label, "pin_env": NAME}}}
    DEFAULT_AUTHORITY   the code whose key signs for an authority without its own ("" = none)
    TRUST_ROOTS         PEM files: the CA chain that verification trusts and the portal publishes

Every certificate made here says 开发测试用印章 / DEVELOPMENT KEY – NOT VALID in its subject, and
every page such a key signs carries the same words (``services.sign_pdf``).
"""

from __future__ import annotations

import datetime
import os
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

DEVELOPMENT_MARK = "开发测试用印章 DEVELOPMENT KEY – NOT VALID"
DEV_CA_NAME = "青岛政务服务门户开发测试CA DEVELOPMENT CA"


class KeyNotConfigured(Exception):
    """No key signs for this authority (neither its own, a default, nor a development one)."""


@dataclass(frozen=True)
class AuthorityKey:
    code: str
    name: str  # the holder's name in the signing certificate (printed in the seal)
    signer: Any  # a pyhanko Signer
    development: bool


def conf() -> dict[str, Any]:
    value = getattr(settings, "SIGNING", {}) or {}
    return {
        "DIR": Path(value.get("DIR") or Path(settings.BASE_DIR) / "var" / "signing"),
        "DEVELOPMENT_KEYS": bool(value.get("DEVELOPMENT_KEYS", False)),
        "AUTHORITIES": dict(value.get("AUTHORITIES") or {}),
        "DEFAULT_AUTHORITY": value.get("DEFAULT_AUTHORITY") or "",
        "TRUST_ROOTS": [Path(p) for p in value.get("TRUST_ROOTS") or []],
    }


# ----- the development CA ------------------------------------------------------------------


def _file_name(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", code) + ".p12"


def dev_paths(directory: Path | None = None) -> dict[str, Path]:
    directory = directory or conf()["DIR"]
    return {
        "dir": directory,
        "ca_cert": directory / "ca.pem",
        "ca_key": directory / "ca-key.pem",
        "passphrase": directory / "passphrase",
        "keys": directory / "authorities",
    }


_dev_lock = threading.Lock()


def ensure_dev_ca(directory: Path | None = None, *, development: bool = True) -> bool:
    """Make the development CA under ``directory`` unless it is there; True when made.
    (``development=False`` leaves the DEVELOPMENT mark out: for tests of the production
    profile only.)"""
    paths = dev_paths(directory)
    with _dev_lock:
        if paths["ca_cert"].exists() and paths["ca_key"].exists():
            return False
        paths["keys"].mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEV_CA_NAME),
                *(
                    [x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEVELOPMENT_MARK)]
                    if development
                    else []
                ),
                x509.NameAttribute(NameOID.COMMON_NAME, DEV_CA_NAME),
            ]
        )
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                _key_usage("key_cert_sign", "crl_sign"),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        paths["passphrase"].write_text(secrets.token_urlsafe(24))
        _write_private(
            paths["ca_key"],
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(paths["passphrase"].read_bytes()),
            ),
        )
        paths["ca_cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return True


_KEY_USAGES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


def _key_usage(*allowed: str) -> x509.KeyUsage:
    """A key-usage extension allowing only ``allowed`` (a CA signs certificates and lists; an
    authority's key signs documents, non-repudiably)."""
    return x509.KeyUsage(**{usage: usage in allowed for usage in _KEY_USAGES})


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def make_authority_p12(
    path: Path,
    name: str,
    passphrase: bytes,
    ca_cert: x509.Certificate,
    ca_key: Any,
    *,
    development: bool = True,
) -> None:
    """A signing key and certificate for ``name`` issued by ``ca_cert``, written as PKCS#12
    (the CA certificate included, so the chain travels with every signature)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = name[:64]  # the longest a certificate's name may be
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
        x509.NameAttribute(NameOID.COMMON_NAME, name),
    ]
    if development:
        attributes.insert(2, x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEVELOPMENT_MARK))
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            _key_usage("digital_signature", "content_commitment"),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        name.encode(),
        key,
        cert,
        [ca_cert],
        serialization.BestAvailableEncryption(passphrase),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_private(path, data)


def ensure_dev_key(code: str, name: str, directory: Path | None = None) -> Path:
    """The development key of authority ``code`` (made, with the CA, when missing)."""
    paths = dev_paths(directory)
    ensure_dev_ca(directory)
    path = paths["keys"] / _file_name(code)
    with _dev_lock:
        if not path.exists():
            passphrase = paths["passphrase"].read_bytes()
            ca_cert = x509.load_pem_x509_certificate(paths["ca_cert"].read_bytes())
            ca_key = serialization.load_pem_private_key(
                paths["ca_key"].read_bytes(), password=passphrase
            )
            make_authority_p12(path, name, passphrase, ca_cert, ca_key, development=True)
    return path


# ----- loading signers ---------------------------------------------------------------------

_signers: dict[str, AuthorityKey] = {}
_signers_lock = threading.Lock()


def reset_cache() -> None:
    """Forget the loaded keys (tests, or after the configuration changed)."""
    with _signers_lock:
        _signers.clear()


def _load_p12(path: Path, passphrase: bytes | None) -> Any:
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=passphrase)
    if signer is None:
        raise KeyNotConfigured(f"The PKCS#12 file {path} could not be read (passphrase?).")
    return signer


def _load_pkcs11(spec: dict[str, Any]) -> Any:  # pragma: no cover - needs a token
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    pin = os.environ.get(spec.get("pin_env", ""), "") or None
    session = open_pkcs11_session(
        spec["module"],
        slot_no=spec.get("slot"),
        token_criteria=TokenCriteria(label=spec.get("token")),
        user_pin=pin,
    )
    return PKCS11Signer(
        session,
        key_label=spec.get("key_label"),
        cert_label=spec.get("cert_label") or spec.get("key_label"),
        other_certs_to_pull=None,  # the whole chain on the token travels with the signature
    )


def _holder_name(signer: Any) -> str:
    cert: asn1_x509.Certificate = signer.signing_cert
    subject = cert.subject.native
    return str(subject.get("common_name") or subject.get("organization_name") or "")


def is_development_certificate(cert: asn1_x509.Certificate) -> bool:
    return "DEVELOPMENT KEY" in str(cert.subject.native.get("organizational_unit_name", ""))


def configured_key(code: str) -> AuthorityKey | None:
    """The key configured for ``code`` in ``SIGNING["AUTHORITIES"]`` (None when none is)."""
    spec = conf()["AUTHORITIES"].get(code)
    if not spec:
        return None
    if "pkcs11" in spec:
        signer = _load_pkcs11(spec["pkcs11"])
    else:
        passphrase = os.environ.get(spec.get("passphrase_env", ""), "")
        if not passphrase and spec.get("passphrase_file"):
            passphrase = Path(spec["passphrase_file"]).read_text().strip()
        signer = _load_p12(Path(spec["p12"]), passphrase.encode() or None)
    return AuthorityKey(
        code,
        _holder_name(signer),
        signer,
        is_development_certificate(signer.signing_cert),
    )


def authority_key(code: str, name: str = "") -> AuthorityKey:
    """The key that signs for authority ``code``: its own, else the default authority's, else
    (development keys on) a development key in ``name``. Loaded once per process."""
    with _signers_lock:
        cached = _signers.get(code)
    if cached is not None:
        return cached
    options = conf()
    key = configured_key(code)
    if key is None and options["DEVELOPMENT_KEYS"]:
        path = ensure_dev_key(code, name or code)
        passphrase = dev_paths()["passphrase"].read_bytes()
        signer = _load_p12(path, passphrase)
        key = AuthorityKey(code, _holder_name(signer), signer, True)
    if key is None and options["DEFAULT_AUTHORITY"] and options["DEFAULT_AUTHORITY"] != code:
        key = authority_key(options["DEFAULT_AUTHORITY"])
    if key is None:
        raise KeyNotConfigured(code)
    with _signers_lock:
        _signers[code] = key
    return key


# ----- trust roots (what verification trusts, what the portal publishes) -------------------


def trust_root_pems() -> list[bytes]:
    """The published CA certificates, PEM: the configured roots, and the development CA when
    development keys are on."""
    options = conf()
    pems = [path.read_bytes() for path in options["TRUST_ROOTS"] if path.exists()]
    if options["DEVELOPMENT_KEYS"]:
        ensure_dev_ca()
        pems.append(dev_paths()["ca_cert"].read_bytes())
    return pems


def trust_roots() -> list[asn1_x509.Certificate]:
    from asn1crypto import pem

    roots = []
    for data in trust_root_pems():
        for _type, _headers, der in pem.unarmor(data, multiple=True):
            roots.append(asn1_x509.Certificate.load(der))
    return roots
