"""Hyperparameters of a training run (what SageMaker passes as `--name value`)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ModelKind = Literal["hgb", "seed-rf"]


class TrainingConfig(BaseModel):
    """Every knob of `train_bundle`, with the defaults the pipeline ships with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: ModelKind = "hgb"
    # The question the API answers presumes a next leg: learn P(cascade | the aircraft flies again within 24 h).
    # "all" keeps last-legs-of-the-day, whose label is always false (their next_turnaroundminutes is null, so a
    # caller who omits that optional field would be scored as "no next leg" = no risk).
    population: Literal["with_next_leg", "all"] = "with_next_leg"
    max_fit_rows: int | None = Field(
        default=None, ge=1000, description="Deterministic sample of the fit rows (for quick baselines)."
    )
    # Memory that does not grow with history: the latest months only, and a budget for the fit rows
    # (every positive kept, negatives sampled and weighted by 1 / rate). 36 months hold three seasonal
    # cycles of today's operations; older schedules, fleets and hubs teach less than they cost.
    window_months: int | None = Field(default=36, ge=4, description="Train on the latest N months of the features.")
    fit_row_budget: int | None = Field(
        default=4_000_000,
        ge=1000,
        description="At most about this many fit rows: all positives, negatives sampled and weighted.",
    )
    eval_months: int = Field(default=2, ge=1, le=24)
    calibration_months: int = Field(default=1, ge=1, le=12)
    min_train_rows: int = Field(default=1000, ge=1)
    min_eval_rows: int = Field(default=200, ge=1)
    # hgb
    learning_rate: float = Field(default=0.1, gt=0, le=1)
    max_iter: int = Field(default=300, ge=1, le=5000)
    max_leaf_nodes: int = Field(default=31, ge=2)
    min_samples_leaf: int = Field(default=100, ge=1)
    l2_regularization: float = Field(default=1.0, ge=0)
    n_iter_no_change: int = Field(default=20, ge=1)
    # seed-rf (the seed's settings)
    rf_trees: int = Field(default=200, ge=1)
    rf_max_depth: int = Field(default=15, ge=1)
    rf_min_samples_split: int = Field(default=100, ge=2)
    rf_min_samples_leaf: int = Field(default=50, ge=1)
    # tiers by alert budget on the eval period: share of flights at or above each threshold
    critical_share: float = Field(default=0.02, gt=0, lt=1)
    high_share: float = Field(default=0.07, gt=0, lt=1)
    medium_share: float = Field(default=0.20, gt=0, lt=1)
    # report
    importance_rows: int = Field(default=5000, ge=100)
    random_state: int = 42
    training_data_uri: str | None = Field(
        default=None, description="Where the features came from (s3://...); default the local path."
    )

    @model_validator(mode="after")
    def _budgets_nested(self) -> "TrainingConfig":
        if not self.critical_share < self.high_share < self.medium_share:
            raise ValueError(
                f"alert budgets must satisfy critical_share < high_share < medium_share, got "
                f"{self.critical_share}, {self.high_share}, {self.medium_share}"
            )
        return self
