"""Developer tooling of the airline efficiency pipeline (not deployed): the `airline` command."""
