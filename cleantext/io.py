"""The edge: decoding bytes, reading JSON Lines, writing output files whole or not at all."""

from __future__ import annotations

import codecs
import json
import os
import re
import secrets
import stat
from functools import lru_cache
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from cleantext.patterns import HAN, KANA, decode_block, lazy_compile

__all__ = ["DecodeError", "atomic_output", "decode_bytes", "json_line", "json_line_bytes"]

# The encodings `--encoding auto` chooses among when the input is not UTF-8
# and carries no byte-order mark: the legacy encodings of Chinese, Japanese
# and Korean pages.
AUTO_CANDIDATES = ["gb18030", "big5", "shift_jis", "euc_jp", "euc_kr", "utf_16"]

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


@lru_cache(maxsize=1)
def common_cjk_characters() -> frozenset[str]:
    """The frequent characters of Chinese, Japanese and Korean, as the legacy codecs rank them.

    GB2312 level 1 (the 3,755 most frequent simplified hanzi), Big5's frequent
    block (5,401 traditional), JIS X 0208 level 1 (2,965 kanji) with kana and
    the full-width punctuation rows, and the 2,350 hangul syllables of KS X 1001.
    Built from Python's own codecs, so nothing is shipped or downloaded.
    """
    return frozenset(
        decode_block("gb2312", range(0xA1, 0xA4), range(0xA1, 0xFF))  # punctuation and fullwidth forms
        + decode_block("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))  # level 1 hanzi
        + decode_block("big5", range(0xA1, 0xA3), range(0x40, 0xFF))  # punctuation
        + decode_block("big5", range(0xA4, 0xC7), range(0x40, 0xFF))  # frequent hanzi
        + decode_block("euc_jp", range(0xA1, 0xA6), range(0xA1, 0xFF))  # punctuation, hiragana, katakana
        + decode_block("euc_jp", range(0xB0, 0xD0), range(0xA1, 0xFF))  # level 1 kanji
        + decode_block("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))  # hangul syllables
    )


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters of `text` that are frequent CJK characters (1.0 if none)."""
    common = common_cjk_characters()
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return 1.0
    return sum(ch in common for ch in wide) / len(wide)


_KANA = lazy_compile(f"[{KANA}]")
_SPACED_HAN = lazy_compile(f"[{HAN}] [{HAN}]")


def _score(text: str, codec: str) -> float:
    score = plausibility(text)
    wide = sum(ord(ch) > 0x7F for ch in text) or 1
    if codec in ("gb18030", "big5"):
        # GB2312 has kana where JIS has them: kana in a Chinese decoding means Japanese bytes.
        score -= len(_KANA.findall(text)) / wide
    if codec != "euc_kr":
        # Hanzi separated by spaces like words: hangul bytes read as hanzi.
        score -= 2 * len(_SPACED_HAN.findall(text)) / wide
    return score


class DecodeError(ValueError):
    """Input bytes that cannot be decoded; `offset` is the first bad byte."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def decode_bytes(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """Decode `data`; return the text and the encoding used.

    ``auto``: UTF-8 if the bytes are valid UTF-8; else the encoding a byte-order
    mark names; else the best of GB18030, Big5, Shift_JIS, EUC-JP, EUC-KR and
    UTF-16 according to charset-normalizer. A `DecodeError` names the offset of
    the first byte that does not decode.

    >>> decode_bytes("中文新闻报道，今天发布。".encode("gbk"))
    ('中文新闻报道，今天发布。', 'gb18030')
    """
    if encoding != "auto":
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as err:
            msg = f"not valid {encoding}: byte 0x{data[err.start]:02x} at offset {err.start}"
            raise DecodeError(msg, err.start) from None
        except LookupError:
            msg = f"unknown encoding {encoding!r}"
            raise DecodeError(msg, 0) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            return decode_bytes(data, name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    # Every legacy codec decodes some wrong bytes without error, so each clean
    # decoding is scored by how much of it is frequent CJK text.
    scored = []
    for rank, candidate in enumerate(AUTO_CANDIDATES):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        scored.append((_score(text[:20000], candidate), -rank, text, candidate))
    if scored:
        score, _rank, text, candidate = max(scored)
        if score >= 0.8:
            return text, candidate
    import charset_normalizer  # imported here: only unusual input needs it

    best = charset_normalizer.from_bytes(data, cp_isolation=AUTO_CANDIDATES).best()
    if best is not None:
        return str(best), best.encoding
    offset = utf8_error.start
    msg = (
        f"not UTF-8 (byte 0x{data[offset]:02x} at offset {offset}) and not GB18030, Big5, Shift_JIS, "
        "EUC-JP, EUC-KR or UTF-16 either; name the encoding with --encoding"
    )
    raise DecodeError(msg, offset)


def _create_beside(path: str) -> tuple[int, str]:
    """Create a new empty temporary file in `path`'s directory; return its descriptor and name.

    Not `tempfile.mkstemp`: that creates the file with mode 0600, and the
    output renamed into place would be unreadable by the other users of a
    shared corpus. Here the mode is what `open` would give `path`: the old
    file's mode when there is one, else 0666 less the umask.
    """
    directory = os.path.dirname(os.path.abspath(path))
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = None
    for _attempt in range(100):
        tmp = os.path.join(directory, f".cleantext-{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        if mode is not None:
            os.chmod(fd, mode)
        return fd, tmp
    msg = f"{directory}: cannot create a temporary file"
    raise FileExistsError(msg)


@contextmanager
def atomic_output(path: str, mode: str = "w") -> Iterator[IO]:
    """Write `path` through a temporary file renamed into place on success.

    A run that fails or is killed leaves the old file (or none), never half a file.
    The new file gets the old file's permissions, or those of a new file.
    """
    fd, tmp = _create_beside(path)
    try:
        with open(fd, mode, encoding=None if "b" in mode else "utf-8", newline=None if "b" in mode else "") as out:
            yield out
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_line(value: object) -> str:
    r"""`value` as one line of JSON Lines: UTF-8 text as is, lone surrogates escaped.

    JSON's ``\ud83d`` escape reads as a lone surrogate, which scraped text has
    (an emoji cut in half) and UTF-8 cannot encode. It is written back as the
    same escape, so the line is valid UTF-8 and reads back to the same value.

    >>> json_line({"text": "半个表情\ud83d"})
    '{"text": "半个表情\\ud83d"}\n'
    """
    line = json.dumps(value, ensure_ascii=False) + "\n"
    return _escape_surrogates(line) if _SURROGATE.search(line) else line


def json_line_bytes(value: object) -> bytes:
    """`json_line(value)` encoded as UTF-8, with one pass over the line where there is no surrogate.

    >>> json_line_bytes({"text": "中文"}) == json_line({"text": "中文"}).encode()
    True
    """
    line = json.dumps(value, ensure_ascii=False) + "\n"
    try:
        return line.encode("utf-8")
    except UnicodeEncodeError:
        return _escape_surrogates(line).encode("utf-8")


def _escape_surrogates(line: str) -> str:
    # A surrogate in JSON text can only be inside a string, where its escape is valid JSON.
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)
