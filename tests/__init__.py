"""Unit tests mirror `pipelines/` (tests/unit/<package>/test_<module>.py); integration tests follow a
user's path (a clerk's file, a rebuild, a crash)."""

from pathlib import Path

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
