"""eventwatch: sourced event records of political violence from news text.

The Python API is as short as the CLI::

    from eventwatch import extract_text
    result = extract_text(open("article.txt").read(), published="2024-11-10")
    for event in result.events:
        print(event.to_dict())
"""

from .models import Article, DocumentResult, Event
from .pipeline import extract_article, extract_text

__all__ = ["Article", "DocumentResult", "Event", "extract_article", "extract_text"]
__version__ = "0.1.0"
