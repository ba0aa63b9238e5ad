"""Sub-commands of ``tanya``: every module here defines ``register(subparsers)``.

Contract: ``register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None`` adds one
or more parsers and sets ``func=<callable(args: argparse.Namespace) -> int>`` on each.
"""
