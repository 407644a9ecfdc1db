"""Evaluation against annotated corpora: MUC-4 templates (``muc4``) and the extraction runner."""
