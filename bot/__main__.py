"""`python -m bot` is the same as the `lingo` command."""

from bot.cli import main

raise SystemExit(main())
