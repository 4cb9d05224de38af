"""The walk builders of every workflow (each app's section registers its own)."""

from __future__ import annotations
