"""``python -m discipline_flow`` runs the command line."""

from discipline_flow.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
