"""Pure trainer logic; adapters are passed in (see `trainer.logic.ports`)."""
