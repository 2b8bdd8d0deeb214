"""Let `python -m sitegen` work like the `sitegen` command."""

from sitegen.cli import main

main()
