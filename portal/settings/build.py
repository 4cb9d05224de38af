"""Building the container image (deploy/Containerfile): `collectstatic` with production's static
storage (hashed, compressed names, the manifest production reads) but without production's
required secrets, none of which collecting files needs. Never used to serve."""

import os
from pathlib import Path

from whitenoise.compress import Compressor

from .base import *  # noqa: F403
from .base import BASE_DIR, STORAGES

STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
