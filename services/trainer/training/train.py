"""SageMaker entry point (script contract): `python train.py --model hgb --eval-months 2 ...`.

Reads the Parquet features table from SM_CHANNEL_TRAIN, writes the bundle into SM_MODEL_DIR
(SageMaker tars it to model.tar.gz). On failure writes a one-paragraph reason to the failure
file (SM_FAILURE_FILE, else <parent of SM_OUTPUT_DATA_DIR>/failure, else /opt/ml/output/failure)
and exits 1. Runs from the repo (`services/trainer/training/train.py`) and from the source
archive root (`train.py` next to the `training/` and `airline_shared/` packages).
"""

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

if not __package__:  # run as a script: make the `training` package importable from either layout
    _here = Path(__file__).resolve().parent
    for _root in (_here, _here.parent):
        if (_root / "training" / "__init__.py").is_file():
            sys.path.insert(0, str(_root))
            break

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from training.config import TrainingConfig
from training.errors import TrainingConfigError, TrainingError
from training.pipeline import train_bundle

DEFAULT_FAILURE_FILE = Path("/opt/ml/output/failure")


class SageMakerEnvironment(BaseSettings):
    """The SageMaker container's environment (the script contract)."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    sm_channel_train: Path | None = None
    sm_model_dir: Path | None = None
    sm_output_data_dir: Path | None = None
    sm_failure_file: Path | None = None

    @property
    def failure_file(self) -> Path:
        if self.sm_failure_file is not None:
            return self.sm_failure_file
        if self.sm_output_data_dir is not None:
            return self.sm_output_data_dir.parent / "failure"
        return DEFAULT_FAILURE_FILE


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise TrainingConfigError(f"bad hyperparameters: {message}")


def build_parser() -> argparse.ArgumentParser:
    """One option per TrainingConfig field; SageMaker passes `--name value` (dashes or underscores)."""
    parser = _Parser(prog="train.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, field in TrainingConfig.model_fields.items():
        dashed = name.replace("_", "-")
        flags = [f"--{dashed}"] + ([f"--{name}"] if dashed != name else [])
        parser.add_argument(*flags, dest=name, default=None, help=field.description or f"default {field.default}")
    parser.add_argument("--features", dest="features", type=Path, default=None, help="overrides SM_CHANNEL_TRAIN")
    parser.add_argument("--model-dir", "--model_dir", dest="model_dir", default=None, help="overrides SM_MODEL_DIR")
    return parser


def parse_config(argv: Sequence[str]) -> tuple[TrainingConfig, argparse.Namespace]:
    """Hyperparameters (strings) -> validated TrainingConfig; raises TrainingConfigError."""
    args = build_parser().parse_args(list(argv))
    given = {k: v for k, v in vars(args).items() if k in TrainingConfig.model_fields and v is not None}
    try:
        return TrainingConfig.model_validate(given), args
    except ValidationError as exc:
        problems = "; ".join(f"--{'.'.join(map(str, e['loc'])).replace('_', '-')}: {e['msg']}" for e in exc.errors())
        raise TrainingConfigError(f"bad hyperparameters: {problems}") from exc


def _locations(args: argparse.Namespace, env: SageMakerEnvironment) -> tuple[Path, Path]:
    features = args.features or env.sm_channel_train
    model_dir = (
        Path(args.model_dir) if args.model_dir and not str(args.model_dir).startswith("s3://") else env.sm_model_dir
    )
    if features is None:
        raise TrainingConfigError("no input: set SM_CHANNEL_TRAIN (SageMaker channel 'train') or pass --features DIR")
    if model_dir is None:
        raise TrainingConfigError("no output: set SM_MODEL_DIR or pass --model-dir DIR")
    return Path(features), model_dir


def write_failure(path: Path, message: str) -> None:
    """SageMaker shows the failure file's text as the job's FailureReason (first 1 KB)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(message + "\n")
    except OSError as exc:
        print(f"could not write failure file {path}: {exc}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one training job; 0 on success, 1 (with the failure file written) on any failure."""
    env = SageMakerEnvironment()
    try:
        config, args = parse_config(sys.argv[1:] if argv is None else argv)
        features, model_dir = _locations(args, env)
        manifest = train_bundle(features, model_dir, config=config, progress=lambda msg: print(msg, flush=True))
    except TrainingError as exc:
        message = f"{type(exc).__name__}: {exc}"
        print(message, file=sys.stderr, flush=True)
        write_failure(env.failure_file, message)
        return 1
    except Exception as exc:
        traceback.print_exc()
        write_failure(env.failure_file, f"unexpected {type(exc).__name__} during training: {exc}")
        return 1
    m = manifest.metrics
    print(
        f"bundle {manifest.version}: roc_auc={m.roc_auc:.4f} pr_auc={m.pr_auc:.4f} brier={m.brier:.5f} train_seconds={m.train_seconds}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
