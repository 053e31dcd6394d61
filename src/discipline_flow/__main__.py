"""``python -m discipline_flow`` runs the command line."""

from discipline_flow.cli import main

raise SystemExit(main())
