"""Normalisation of Vietnamese text at the edge, and the folded form used for matching."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from pipelines.text.reference import read_seed

_TAG = re.compile(r"<[^>]+>")
_MARKDOWN = re.compile(r"(\*\*|__|^#+\s*)", re.MULTILINE)
_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^0-9a-z ]+")
# OCR and old fonts write the Icelandic eth or the African D for "Đ".
_D_VARIANTS = str.maketrans({"Đ": "d", "đ": "d", "Ð": "d", "ð": "d", "Ɖ": "d", "ɖ": "d"})


def nfc(text: str) -> str:
    """Unicode NFC, the one form text takes inside the pipeline."""
    return unicodedata.normalize("NFC", text)


def clean_text(text: str) -> str:
    """NFC text without HTML tags or markdown emphasis, whitespace collapsed to single spaces."""
    text = _MARKDOWN.sub(" ", _TAG.sub(" ", nfc(text)))
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case ASCII form: diacritics removed, đ → d. 'Sở Nội vụ' → 'so noi vu'. Cached: a report
    folds the same labels and cells file after file."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_VARIANTS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


@cache
def _abbreviations() -> dict[str, str]:
    return {
        fold(row["abbreviation"]): " ".join(_NOT_WORD.sub(" ", fold(row["expansion"])).split())
        for row in read_seed("abbreviations")
    }


def match_key(text: str) -> str:
    """The form two spellings of one name share: folded, '&' read as 'và', punctuation dropped,
    known abbreviations expanded. 'VP UBND tỉnh' and 'Văn phòng Ủy ban nhân dân tỉnh' give the same key.
    """
    folded = fold(clean_text(text)).replace("&", " va ")
    words = _NOT_WORD.sub(" ", folded).split()
    abbreviations = _abbreviations()
    return " ".join(abbreviations.get(word, word) for word in words)
