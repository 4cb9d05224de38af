"""A Chinese certificate PDF in a warm process: typeset only, typeset and sealed (PAdES, the
department's development key), and the worker's memory over 500 sealed renders with the gunicorn
worker's garbage-collector settings (gunicorn.conf.py's post_worker_init). Goals (issue 15):
sealed under 250 ms, memory growth under 50 MB."""

from __future__ import annotations

import gc
import os
import runpy
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _scale(full: int, short_form: int) -> int:
    try:
        from tests.bench.util import scale
    except ImportError:  # a runner without the short form
        return full
    return scale(full, short_form)


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _median_ms(fn, n: int) -> float:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def run(report) -> None:
    from approvals.proactive.models import Certificate
    from approvals.proactive.services import certificates
    from portal.signing import services as signing

    certificate = (
        Certificate.objects.select_related("type__item__department", "company")
        .order_by("pk")
        .first()
    )
    authority, name = certificates.certificate_authority(certificate)

    def unsigned() -> bytes:
        return certificates.certificate_pdf_bytes(certificate)

    def signed() -> bytes:
        return signing.sign_pdf(
            unsigned(), authority, authority_name=name, code=certificate.verification_code
        )

    for _ in range(3):  # warm: fonts, templates, the key and the seal image loaded
        signed()
    typeset = unsigned()
    n = _scale(30, 1)
    # interleaved, so a machine busy with something else slows both alike
    plain_ms, signed_ms, seal_ms = [], [], []
    for _ in range(n):
        plain_ms.append(_median_ms(unsigned, 1))
        signed_ms.append(_median_ms(signed, 1))
        seal_ms.append(
            _median_ms(lambda: signing.sign_pdf(typeset, authority, authority_name=name), 1)
        )
    report.line(
        "certificate PDF (Chinese) unsigned render median", statistics.median(plain_ms), "ms"
    )
    report.line(
        "certificate PDF (Chinese) signed render median", statistics.median(signed_ms), "ms"
    )
    report.line(
        "certificate PDF seal alone (sign the typeset PDF) median", statistics.median(seal_ms), "ms"
    )

    # the worker's collector settings, as gunicorn applies them after loading the portal
    hook = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_worker_init"]
    saved = gc.get_threshold()
    os.environ.pop("GUNICORN_GC_THRESHOLD", None)
    hook(worker=None)
    try:
        renders = _scale(500, 5)
        for _ in range(20):
            signed()
        before = _rss_mb()
        peak = before
        for i in range(renders):
            signed()
            if i % 50 == 0:
                peak = max(peak, _rss_mb())
        after = _rss_mb()
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved)
    report.line(
        f"certificate PDF worker RSS growth over {renders} signed renders", after - before, "MB"
    )
    report.line("certificate PDF worker RSS peak", max(peak, after), "MB")
