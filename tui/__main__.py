"""`python -m tui` runs the diffnews command."""

from tui.cli import main

main()
