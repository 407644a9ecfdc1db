"""Which language an article is written in.

The text decides when it is long enough for a confident guess (py3langid, a compact n-gram model
that ships in its PyPI package); otherwise the page's declaration (``<html lang>``, metadata)
does. Pages often declare their template's language rather than the article's, which is why the
text comes first. Extraction runs on English only; other articles are stored with their language.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

_MIN_CHARS = 200
_MIN_PROBABILITY = 0.9
_SAMPLE_CHARS = 3000


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def normalise(code: str | None) -> str | None:
    """``"en-US"`` -> ``"en"``; None for empty or implausible declarations."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return primary if 2 <= len(primary) <= 3 and primary.isalpha() else None


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of ``text``, or the declared language, or None when neither is known."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.strip()) >= _MIN_CHARS:
        code, probability = _identifier().classify(sample)
        if probability >= _MIN_PROBABILITY:
            return str(code)
    return normalise(declared)


def is_english(language: str | None) -> bool:
    """Unknown counts as English: short or ambiguous texts are still worth extracting."""
    return language in (None, "en")
