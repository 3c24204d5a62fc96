"""One module per command, each with ``main(args) -> exit code``; ``drill.cli`` imports only
the one that runs."""
