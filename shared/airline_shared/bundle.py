"""The model bundle manifest: what the trainer writes and the predictor verifies and loads.

A bundle is a folder (or S3 prefix) holding `manifest.json` plus the files it lists with their
SHA-256. The model file is a NumPy `.npz` of tree arrays, loaded with allow_pickle=False.
"""

from datetime import date, datetime
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MANIFEST_FILE: Final = "manifest.json"
MODEL_FILE: Final = "model.npz"
LOOKUPS_FILE: Final = "lookups.json"
REPORT_FILE: Final = "report.html"
MODEL_FORMAT: Final = "tree-ensemble-npz/1"

Sha256 = str


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TierThresholds(_Frozen):
    """Probability cut points: Low < medium <= Medium < high <= High < critical <= Critical."""

    medium: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)
    critical: float = Field(ge=0, le=1)
    decision: float = Field(ge=0, le=1, description="risk_class = 1 at or above this probability.")

    @model_validator(mode="after")
    def _ordered(self) -> "TierThresholds":
        if not self.medium <= self.high <= self.critical:
            raise ValueError(
                f"tier thresholds must satisfy medium <= high <= critical, got {self.medium}, {self.high}, {self.critical}"
            )
        return self


class CalibrationBin(_Frozen):
    mean_predicted: float
    observed_rate: float
    count: int = Field(ge=0)


class ModelMetrics(_Frozen):
    roc_auc: float
    pr_auc: float
    brier: float
    positive_rate: float
    eval_rows: int = Field(ge=0)
    train_rows: int = Field(ge=0)
    train_seconds: float = Field(ge=0)
    calibration: list[CalibrationBin] = Field(default_factory=list)

    def headline(self) -> dict[str, float]:
        """The scalar metrics, as carried by events and compared by the quality gate."""
        return {k: float(v) for k, v in self.model_dump(exclude={"calibration"}).items()}


class BaselineMetrics(_Frozen):
    """A simple rule on the same eval rows: rank flights by one raw feature (missing values lowest)."""

    feature: str
    roc_auc: float
    pr_auc: float


class TrainingData(_Frozen):
    uri: str
    rows: int = Field(ge=0)
    train_period: tuple[date, date]
    eval_period: tuple[date, date]


class BundleManifest(_Frozen):
    schema_version: Literal[1] = 1
    version: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
    created_at: datetime
    model_kind: Literal["hgb", "seed-rf"]
    model_format: Literal["tree-ensemble-npz/1"] = MODEL_FORMAT
    training_data: TrainingData
    feature_names: list[str] = Field(min_length=1)
    library_versions: dict[str, str]
    metrics: ModelMetrics
    thresholds: TierThresholds
    files: dict[str, Sha256] = Field(description="File name -> SHA-256 hex of every bundle file except the manifest.")
    baselines: list[BaselineMetrics] = Field(
        default_factory=list, description="Optional: simple one-feature rules on the eval rows, for comparison."
    )


class DelayLookups(_Frozen):
    """Latest 90-day mean arrival delays, so the predictor can fill omitted inputs."""

    as_of: date
    route_avg_arr_delay: dict[str, float] = Field(description='Keyed "ORIGIN-DEST".')
    carrier_avg_arr_delay: dict[str, float]
    global_route_avg_arr_delay: float
    global_carrier_avg_arr_delay: float
