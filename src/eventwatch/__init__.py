"""eventwatch: sourced event records of political violence from news text.

The Python API is as short as the CLI::

    from eventwatch import extract_text
    result = extract_text(open("article.txt").read(), published="2024-11-10")
    for event in result.events:
        print(event.to_dict())
"""

from __future__ import annotations

from typing import Any

__all__ = ["Article", "DocumentResult", "Event", "extract_article", "extract_text"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Imported on first use: the store, exports and API server start without loading spaCy.
    if name in ("Article", "DocumentResult", "Event"):
        from . import models

        return getattr(models, name)
    if name in ("extract_article", "extract_text"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'eventwatch' has no attribute {name!r}")
