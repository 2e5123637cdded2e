"""Subcommands of the ``kimson-ds`` command line.

Each module in this package exposes ``register(subparsers)``, which adds one
sub-parser and sets ``func`` to a callable ``run(args) -> int``. The modules
are discovered automatically, so adding a command is adding a module.
"""
