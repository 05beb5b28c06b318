"""Every filter documented: a summary, a why, a runnable CJK example, a README entry; the package is typed."""

from importlib.metadata import version
from pathlib import Path

import pytest

import cleantext

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cleantext.FILTERS))
def test_filter_documented(name):
    f = cleantext.get_filter(name)
    assert f.summary, "first docstring line is the --list-filters summary"
    assert ">>>" in f.doc, "a doctest example"
    assert len(f.doc.splitlines()) >= 8, "the docstring says why it exists and when it would be wrong"
    assert f"`{name}`" in README, "README filter table"


def test_version_matches_metadata():
    assert cleantext.__version__ == version("cleantext-cjk")


def test_public_api():
    for name in cleantext.__all__:
        assert hasattr(cleantext, name)
    assert (ROOT / "cleantext" / "py.typed").exists()


def test_readme_commands_first():
    blocks = README.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert blocks[0].startswith("pip install . && cleantext seeds/")
    assert blocks[1] == "pip install -e '.[test]' && pytest"
