"""A datatrove formatter step that runs a cleantext pipeline.

Needs ``pip install 'cleantext-cjk[datatrove]'``. Drop it into a datatrove
pipeline, which then runs it with any of datatrove's executors (local,
Slurm, Ray)::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleantext.integrations.datatrove import CleanTextFormatter

    LocalPipelineExecutor(
        [JsonlReader("raw/"), CleanTextFormatter(to="hans"), JsonlWriter("clean/")], tasks=8
    ).run()

The step holds a `Pipeline`, which pickles by reference to the filter
functions; heavy objects are built once in each worker process. Importing
this module never fails: without datatrove, creating the step raises an
`ImportError` that says what to install.
"""

from __future__ import annotations

from typing import Any

from cleantext.pipeline import Pipeline, Spec, build

__all__ = ["CleanTextFormatter"]

try:
    from datatrove.pipeline.formatters.base import BaseFormatter
except ImportError:  # the extra is not installed
    BaseFormatter = None


if BaseFormatter is not None:

    class CleanTextFormatter(BaseFormatter):
        """Clean each document's text with a cleantext pipeline (the default preset unless `filters`).

        `filters` is a spec string (``"fix-mojibake,strip-chrome"``), a list of
        names or filters, or a `Pipeline`; `to` converts the script afterwards
        (``hans``, ``hant``, ``tw``, ``twp``, ``hk``). Besides datatrove's
        ``total`` count, the step counts the documents it ``changed``.
        """

        name = "cleantext"
        # (import name, distribution): jfilter's clean-text also installs a `cleantext` module.
        _requires_dependencies = (("cleantext", "cleantext-cjk"),)

        def __init__(self, filters: Pipeline | Spec | None = None, *, to: str | None = None) -> None:
            super().__init__()
            self.pipeline = filters if isinstance(filters, Pipeline) and to is None else build(filters, to)

        def format(self, text: str) -> str:
            if not isinstance(text, str):
                # datatrove's readers give a record whose text is null a None text:
                # it passes as it is, like a null in a Parquet column or a Dask bag.
                return text
            cleaned = self.pipeline(text)
            if cleaned != text:
                self.stat_update("changed")
            return cleaned

else:

    class CleanTextFormatter:  # type: ignore[no-redef]
        """Stands in for the step when datatrove is not installed: creating it says what to install."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            msg = "CleanTextFormatter needs datatrove: pip install 'cleantext-cjk[datatrove]'"
            raise ImportError(msg)
