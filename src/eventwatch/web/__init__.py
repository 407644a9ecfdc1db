"""The analyst's desk in the browser: pages (``pages.py``), what they show of an event
(``render.py``), the map's outlines (``outlines.py``), templates and static scripts."""
