"""Presidio checks e-mail and URL domains with tldextract, whose default extractor
downloads the public suffix list on first use (and there is no network here): use
the copy shipped inside the package instead."""

from __future__ import annotations

import tldextract

ORIGINAL = tldextract.extract


def apply() -> None:
    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
