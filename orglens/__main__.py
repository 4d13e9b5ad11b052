"""``python -m orglens`` runs the command line."""

from orglens.cli import main

main()
