"""`train_bundle`: features table -> model bundle folder (manifest.json, model.npz, lookups.json, report.html)."""

import platform
from collections.abc import Callable
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import numpy as np
from airline_shared.bundle import (
    LOOKUPS_FILE,
    MANIFEST_FILE,
    MODEL_FILE,
    REPORT_FILE,
    BaselineMetrics,
    BundleManifest,
    TrainingData,
)
from airline_shared.features import MODEL_FEATURES, SEED_MODEL_FEATURES
from airline_shared.scoring import sha256_hex

from training.config import TrainingConfig
from training.data import (
    FeaturesFrame,
    ReadPlan,
    ReadStats,
    cap_rows,
    period,
    read_features_with_stats,
    split_by_time,
    validate_split,
)
from training.evaluate import (
    BASELINE_FEATURES,
    baseline_metrics,
    compute_metrics,
    permutation_importance,
    tier_thresholds,
)
from training.export import check_parity, export_model
from training.fit import fit_model
from training.lookups import build_lookups
from training.report import render_report

Progress = Callable[[str], None]
UTC = timezone.utc  # datetime.UTC needs Python 3.11; the SageMaker container runs 3.10


def feature_names_for(model: str) -> tuple[str, ...]:
    """MODEL_FEATURES for hgb, SEED_MODEL_FEATURES for seed-rf (the manifest's feature order)."""
    return MODEL_FEATURES if model == "hgb" else SEED_MODEL_FEATURES


def library_versions() -> dict[str, str]:
    """Versions that shaped the bundle (recorded in the manifest)."""
    versions = {"python": platform.python_version()}
    for dist in ("numpy", "scikit-learn", "pyarrow", "pydantic"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "unknown"
    return versions


def bundle_version(created_at: datetime, model_bytes: bytes) -> str:
    """`v<UTC YYYYMMDDTHHMMSSZ>-<first 8 hex of the model's SHA-256>`."""
    return f"v{created_at.astimezone(UTC):%Y%m%dT%H%M%SZ}-{sha256_hex(model_bytes)[:8]}"


def write_bundle(model_dir: Path, files: dict[str, bytes], manifest: BundleManifest) -> None:
    """Write the listed files, then manifest.json last (its presence marks a complete bundle)."""
    model_dir.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (model_dir / name).write_bytes(data)
    (model_dir / MANIFEST_FILE).write_text(manifest.model_dump_json(indent=2))


def train_bundle(
    features_dir: Path,
    model_dir: Path,
    model: Literal["hgb", "seed-rf"] = "hgb",
    eval_months: int = 2,
    *,
    config: TrainingConfig | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    progress: Progress | None = None,
) -> BundleManifest:
    """Train, calibrate, export, check parity, evaluate and write the bundle to model_dir.

    `config` overrides every other knob (then `model`/`eval_months` are ignored).
    Raises TrainingDataError subclasses for unusable data and ExportParityError when the
    exported model disagrees with scikit-learn; nothing is written to model_dir then.
    """
    cfg = config or TrainingConfig(model=model, eval_months=eval_months)
    say = progress or (lambda _msg: None)
    plan = ReadPlan(
        population=cfg.population,
        window_months=cfg.window_months,
        fit_row_budget=cfg.fit_row_budget,
        holdout_months=cfg.eval_months + cfg.calibration_months,
        seed=cfg.random_state,
    )
    frame, stats = read_features_with_stats(features_dir, plan)
    split = split_by_time(frame, cfg.eval_months, cfg.calibration_months)
    validate_split(frame, split, cfg.min_train_rows, cfg.min_eval_rows)
    say(
        f"{frame.rows:,} rows read of {stats.window_rows:,} in the window "
        f"(fit negatives kept at rate {stats.negative_rate:.3g}); fit {split.fit_months[0]}..{split.fit_months[-1]}, "
        f"calibration {split.calibration_months}, eval {split.eval_months}"
    )
    names = feature_names_for(cfg.model)
    X_eval, y_eval = frame.matrix(names, split.eval), frame.label[split.eval]
    fit_rows = cap_rows(split.fit, cfg.max_fit_rows, cfg.random_state)
    fitted = fit_model(
        frame.matrix(names, fit_rows), frame.label[fit_rows],
        frame.matrix(names, split.calibration), frame.label[split.calibration], cfg,
        sample_weight=frame.weight[fit_rows] if stats.negative_rate < 1 else None,
    )  # fmt: skip
    say(f"fitted {cfg.model} ({fitted.iterations} trees) in {fitted.seconds:.1f} s")
    model_bytes = export_model(fitted, cfg.model, len(names))
    ensemble, p_eval, worst = check_parity(model_bytes, fitted, X_eval)
    say(f"parity ok: max |numpy - sklearn| = {worst:.2g} on {y_eval.size} eval rows")
    metrics = compute_metrics(y_eval, p_eval, int(split.train.sum()), fitted.seconds)
    thresholds = tier_thresholds(y_eval, p_eval, cfg)
    baselines = simple_baselines(frame, split.eval, y_eval)
    say(
        "eval "
        + ", ".join(f"{b.feature} alone ROC-AUC {b.roc_auc:.4f}" for b in baselines)
        + f", model {metrics.roc_auc:.4f}"
    )
    lookups = build_lookups(features_dir)
    created_at = now()
    version = bundle_version(created_at, model_bytes)
    importances = permutation_importance(ensemble, X_eval, y_eval, names, cfg.importance_rows, cfg.random_state)
    report = render_report(
        title=f"Model {version} ({cfg.model})",
        y=y_eval, p=p_eval, metrics=metrics, thresholds=thresholds, importances=importances, baselines=baselines,
        facts=_facts(cfg, frame, split, stats, fitted.iterations, worst),
    )  # fmt: skip
    files = {
        MODEL_FILE: model_bytes,
        LOOKUPS_FILE: lookups.model_dump_json(indent=2).encode(),
        REPORT_FILE: report.encode(),
    }
    manifest = BundleManifest(
        version=version,
        created_at=created_at,
        model_kind=cfg.model,
        training_data=TrainingData(
            uri=cfg.training_data_uri or str(features_dir),
            rows=int((split.train | split.eval).sum()),
            train_period=period(frame.flight_date[split.train]),
            eval_period=period(frame.flight_date[split.eval]),
        ),
        feature_names=list(names),
        library_versions=library_versions(),
        metrics=metrics,
        thresholds=thresholds,
        files={name: sha256_hex(data) for name, data in files.items()},
        baselines=baselines,
    )
    write_bundle(model_dir, files, manifest)
    say(f"wrote bundle {version} to {model_dir}")
    return manifest


def simple_baselines(frame: FeaturesFrame, rows: np.ndarray, y: np.ndarray) -> list[BaselineMetrics]:
    """The simple rules (`depdelay` alone, `prevflightarrdelay` alone) on the model's eval rows."""
    return [baseline_metrics(y, frame.matrix((name,), rows)[:, 0], name) for name in BASELINE_FEATURES]


def _facts(
    cfg: TrainingConfig, frame: FeaturesFrame, split: Any, stats: ReadStats, iterations: int, worst: float
) -> dict[str, str]:
    return {
        "model": cfg.model,
        "population": cfg.population + (f", fit capped at {cfg.max_fit_rows} rows" if cfg.max_fit_rows else ""),
        "window": f"{stats.months[0]} .. {stats.months[-1]} ({len(stats.months)} months, {stats.window_rows:,} rows)",
        "fit sampling": (
            f"{stats.fit_positives:,} positives kept, negatives kept at rate {stats.negative_rate:.4g} "
            f"(weighted 1/rate) of {stats.fit_rows_before_sampling:,} fit rows"
        ),
        "trees": str(iterations),
        "rows (fit / calibration / eval)": f"{int(split.fit.sum())} / {int(split.calibration.sum())} / {int(split.eval.sum())}",
        "fit months": f"{split.fit_months[0]} .. {split.fit_months[-1]}",
        "calibration months": ", ".join(split.calibration_months),
        "eval months": ", ".join(split.eval_months),
        "eval positives": str(int(frame.label[split.eval].sum())),
        "export parity (max abs diff)": f"{worst:.2g}",
    }
