"""sitegen: a static archive site generator for news articles."""

__version__ = "0.1.0"
