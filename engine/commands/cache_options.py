"""The options of the commands that decode photos into the studio cache (train, evaluate), defined once."""

from __future__ import annotations

import argparse

from engine.data.cache_index import LIMIT_ENV, default_cache_limit, parse_size
from engine.errors import ConfigError


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ConfigError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_cache_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache-dir", help="the studio cache: decoded photos, converted backbones (default: user's)")
    parser.add_argument("--cache-limit", type=_size, metavar="SIZE",
                        help=f"most disk the decoded photos keep, e.g. 10GB, 500MB, 2GiB; the least recently used "
                             f"go first (default: ${LIMIT_ENV}, else 10GB)")


def cache_limit(args) -> int:
    """--cache-limit, else the environment's or the default limit: a bad $DENSENET_STUDIO_CACHE_LIMIT is said
    before any work starts."""
    return args.cache_limit if args.cache_limit is not None else default_cache_limit()
