"""The filters, one module per family. Importing this package registers them.

To add a filter: write a verb-named function in the module of its family (or
a new module imported below) and register it there with `register(Filter(...))`.
"""

from cleantext.filters import chrome, dedupe, mojibake, noise, punct, ruby, script, unicode, whitespace  # noqa: F401  (imported to register)
