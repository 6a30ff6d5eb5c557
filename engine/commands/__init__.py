"""CLI subcommands. Each module has `register(subparsers)`, which adds its parser with `run` as default."""

from engine.commands import check, classify, export, summary

COMMANDS = (summary, check, classify, export)
