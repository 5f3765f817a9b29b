"""One module per command: the work behind it, apart from argument parsing."""
