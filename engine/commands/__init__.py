"""CLI subcommands. Each module has `register(subparsers)`, which adds its parser with `run` as default."""

from engine.commands import check, classify, evaluate, export, summary, train

COMMANDS = (summary, check, train, evaluate, classify, export)
