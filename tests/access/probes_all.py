"""Imports every domain's probes (each registers itself)."""

import importlib
from pathlib import Path

for _path in sorted(Path(__file__).parent.glob("probes_*.py")):
    if _path.stem != "probes_all":
        importlib.import_module(f"{__package__}.{_path.stem}")
