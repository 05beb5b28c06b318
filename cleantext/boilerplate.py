"""Corpus-level boilerplate: lines a site repeats across its pages are chrome.

Rules name the chrome they know (share bars, disclaimers, app promos); every
site also has chrome no rule names: its own slogan, its section menu, its
"follow our official account" line. What gives it away is repetition: the
same line on many pages of the same site. Cleaning a corpus then takes two
passes, as CCNet does:

1. `learn_boilerplate` reads the documents and, per source, counts in how
   many documents each normalized line occurs (once per document, however
   often it repeats inside one). It keeps 8-byte BLAKE2b digests, never the
   lines: about 90 bytes per distinct line of a source while counting
   (measured: 88 MB for a million distinct lines), and afterwards only the
   repeated lines' digests. A corpus too big for that is learned on a
   sample of each source's documents, which finds the same repeated lines.
2. The `BoilerplateModel` it returns hands out, per source, a `Filter` that
   removes the lines whose digest was learned, with rule id
   ``corpus-repeat``. The filter explains itself like every other, so every
   removal can be audited, and it pickles (the learned digests are its
   options) to worker processes.

**The threshold.** A line is boilerplate in a source when it occurs in at
least ``min_docs`` documents of that source (default 5) *and* in at least
``min_share`` of them (default 10%). The count keeps a line two or three
articles happen to share (a quotation, a common heading such as 背景) from
being taken for chrome; the share keeps the same from happening in a big
source, where a short content line ("是的。", "一、基本情况") recurs in dozens of
pages out of thousands while the chrome recurs on most of them. 10% rather
than more because chrome is often per section (a channel's menu, a column's
sign-off), on a fraction of a site's pages. Short and long lines are treated
alike; blank lines never count. Where it would be wrong: a source that is
really many sites (an aggregator, a shared CDN host) or a serial that repeats
its own introduction in every episode: give such documents a finer ``key``,
or raise ``min_share``.

**The source** of a document is its ``source`` field, else the host of its
``url`` field (without ``www.``), else what the ``key`` function says (the
CLI passes the file name).

Lines are compared after NFKC, case folding and removing all whitespace, so
a footer that differs only in spacing or width still matches; digits are
kept, so dates and counters do not make different lines the same.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from hashlib import blake2b
from typing import Any
from urllib.parse import urlsplit

from cleantext.core import Edit, Filter, apply_edits
from cleantext.pipeline import Pipeline, Spec, resolve

__all__ = [
    "BoilerplateModel",
    "find_corpus_repeat_edits",
    "learn_boilerplate",
    "learn_boilerplate_files",
    "line_digest",
    "remove_corpus_repeats",
    "source_of",
]

DEFAULT_MIN_DOCS = 5
DEFAULT_MIN_SHARE = 0.10
FILTER_NAME = "strip-corpus-boilerplate"
RULE = "corpus-repeat"

_NO_WHITESPACE = {
    ord(c): None
    for c in " \t\r\n\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000\ufeff"
}


def line_digest(line: str) -> int | None:
    """The 8-byte digest of a normalized line, as an int; `None` for a blank line.

    >>> line_digest("关注我们的微信公众号") == line_digest(" 关注我们的微信公众号　")
    True
    >>> line_digest("　") is None
    True
    """
    key = unicodedata.normalize("NFKC", line).casefold().translate(_NO_WHITESPACE)
    if not key:
        return None
    return int.from_bytes(blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def _digests(text: str) -> set[int]:
    found = set()
    for line in text.splitlines():  # as find_corpus_repeat_edits splits them
        digest = line_digest(line)
        if digest is not None:
            found.add(digest)
    return found


def find_corpus_repeat_edits(text: str, *, digests: frozenset[int] = frozenset()) -> list[Edit]:
    """Edits removing each line whose digest is in `digests`, with its line break."""
    if not digests:
        return []
    edits = []
    pos = 0
    for line in text.splitlines(keepends=True):
        end = pos + len(line)
        body = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        digest = line_digest(body)
        if digest is not None and digest in digests:
            edits.append(Edit(pos, end, "", RULE))
        pos = end
    return edits


def remove_corpus_repeats(text: str, *, digests: frozenset[int] = frozenset()) -> str:
    """Remove the lines a corpus repeats across many documents of one source (learned boilerplate).

    `digests` are the line digests `learn_boilerplate` found repeated in the
    document's source; `BoilerplateModel.filter(source)` binds them. Each
    removed line goes with its line break, so no blank line is left where it
    was. It would be wrong to use digests learned on another site: the same
    words can be chrome there and content here.

    >>> chrome = frozenset({line_digest("点击关注，获取更多财经资讯")})
    >>> remove_corpus_repeats("央行宣布降准。\\n点击关注，获取更多财经资讯\\n", digests=chrome)
    '央行宣布降准。\\n'
    """
    return apply_edits(text, find_corpus_repeat_edits(text, digests=digests))


def source_of(record: Mapping[str, Any], default: str = "") -> str:
    """A record's source: its ``source`` field, else its ``url``'s host without ``www.``, else `default`.

    >>> source_of({"url": "https://www.Example.com.cn/news/1.html"})
    'example.com.cn'
    """
    source = record.get("source")
    if isinstance(source, str) and source:
        return source
    url = record.get("url")
    if isinstance(url, str) and url:
        try:
            host = urlsplit(url if "//" in url else "//" + url).hostname or ""
        except ValueError:  # a malformed URL still names its site well enough for grouping
            host = url.split("//", 1)[-1].split("/", 1)[0].lower()
        return host.removeprefix("www.")
    return default


@dataclass
class BoilerplateModel:
    """The learned boilerplate: per source, the digests of its repeated lines.

    ``documents`` counts the documents seen per source; ``digests`` holds the
    repeated lines' digests per source. Pickles, so it can be shipped to
    worker processes or saved between the two passes.
    """

    digests: dict[str, frozenset[int]] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)
    min_docs: int = DEFAULT_MIN_DOCS
    min_share: float = DEFAULT_MIN_SHARE

    def filter(self, source: str) -> Filter:
        """The second pass for documents of `source`: a `Filter` whose options carry its digests."""
        return Filter(
            FILTER_NAME,
            remove_corpus_repeats,
            find_corpus_repeat_edits,
            deletes_only=True,
            options={"digests": self.digests.get(source, frozenset())},
        )

    def filter_for(self, record: Mapping[str, Any], default: str = "") -> Filter:
        """The filter for a record, its source found as `learn_boilerplate` found it (`source_of`)."""
        return self.filter(source_of(record, default))

    def clean(self, text: str, source: str = "") -> str:
        return self.filter(source)(text)

    def pipeline(self, source: str, filters: Spec | None = None) -> Pipeline:
        """This source's filter first, then `filters` (the default preset when `None`).

        First, because the lines were learned from the raw documents: other
        filters may change a line (a share counter removed, spaces closed) so
        that it no longer matches.
        """
        return Pipeline([self.filter(source), *resolve(filters)])

    @property
    def lines(self) -> int:
        """How many (source, line) pairs were learned."""
        return sum(len(d) for d in self.digests.values())


def learn_boilerplate(
    items: Iterable[str | Mapping[str, Any] | tuple[str, str]],
    *,
    key: Callable[[Any], str] | None = None,
    field: str = "text",
    min_docs: int = DEFAULT_MIN_DOCS,
    min_share: float = DEFAULT_MIN_SHARE,
) -> BoilerplateModel:
    """The first pass: count each document's distinct lines per source; keep the repeated ones.

    `items` are texts, records (dicts with the text in `field`), or
    ``(source, text)`` pairs. The source of a record is `key(record)` when
    `key` is given, else `source_of(record)`; of a text, `key(text)` or ``""``
    (one source for all). A line is kept as boilerplate when it occurs in at
    least `min_docs` documents of its source and in at least `min_share` of
    them (see the module docstring for why). Records whose text is not a
    string are skipped.

    >>> pages = [f"第{i}篇报道的正文。\\n关注我们，获取更多资讯" for i in range(6)]
    >>> model = learn_boilerplate(pages)
    >>> model.clean(pages[0])
    '第0篇报道的正文。\\n'
    """
    counts: dict[str, Counter[int]] = {}
    documents: Counter[str] = Counter()
    for item in items:
        if isinstance(item, tuple):
            source, text = item
        elif isinstance(item, str):
            source, text = (key(item) if key else ""), item
        else:
            text = item.get(field)
            source = key(item) if key else source_of(item)
        if not isinstance(text, str):
            continue
        documents[source] += 1
        counts.setdefault(source, Counter()).update(_digests(text))
    digests = {}
    for source, counter in counts.items():
        needed = max(min_docs, min_share * documents[source])
        repeated = frozenset(d for d, n in counter.items() if n >= needed)
        if repeated:
            digests[source] = repeated
    return BoilerplateModel(digests, dict(documents), min_docs, min_share)


def _file_documents(
    paths: Iterable[str], jsonl: bool, field: str, encoding: str
) -> Iterable[tuple[str, str]]:
    import json

    from cleantext.io import DecodeError, decode_bytes

    for path in paths:
        if not jsonl:
            with open(path, "rb") as f:
                data = f.read()
            try:
                yield "", decode_bytes(data, encoding)[0]
            except DecodeError:
                continue  # the cleaning pass reports it
            continue
        name = os.path.basename(path)
        with open(path, "rb") as f:
            for raw in f:
                try:
                    # Bytes: json detects UTF-8 (with or without a BOM); another encoding is named.
                    record = json.loads(raw if encoding == "auto" else raw.decode(encoding))
                except ValueError:
                    continue  # blank, malformed or not in `encoding`: the cleaning pass reports it
                if isinstance(record, dict) and isinstance(record.get(field), str):
                    yield source_of(record, name), record[field]


def learn_boilerplate_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    jsonl: bool = True,
    field: str = "text",
    encoding: str = "auto",
    min_docs: int = DEFAULT_MIN_DOCS,
    min_share: float = DEFAULT_MIN_SHARE,
) -> BoilerplateModel:
    """The first pass over files, streamed: JSON Lines records, or one document per text file.

    A record's source is `source_of(record)`, else its file's name. Text
    files (``jsonl=False``) are one document each and all of them one source,
    since a file name says nothing about the site. Malformed records and
    undecodable files are skipped here; the cleaning pass reports them.
    Use the result's `BoilerplateModel.filter_for(record, file_name)` (or
    `filter("")` for text files) in the second pass.
    """
    names = [os.fspath(p) for p in paths]
    return learn_boilerplate(
        _file_documents(names, jsonl, field, encoding), min_docs=min_docs, min_share=min_share
    )
