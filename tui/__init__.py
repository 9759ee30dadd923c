"""diffnews terminal interface: the Typer CLI and the Textual viewer."""
