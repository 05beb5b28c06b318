"""Adapters for other data-processing frameworks; each needs its own extra and is imported only when used."""
