"""`airline bench train` table: the models and the simple rules side by side."""

from airline.bench.train import markdown


def _result(model: str, roc: float) -> dict:
    return {
        "model": model, "roc_auc": roc, "pr_auc": 0.5, "brier": 0.03, "train_seconds": 2.0, "wall_seconds": 9.0,
        "predict_one_row": {"p50_ms": 0.05}, "model_npz_bytes": 200_000, "train_rows": 1000.0, "eval_rows": 200.0,
        "positive_rate": 0.1, "train_period": ["2007-01-01", "2007-10-31"], "eval_period": ["2007-11-01", "2007-12-31"],
        "baselines": [
            {"feature": "depdelay", "roc_auc": 0.81, "pr_auc": 0.41},
            {"feature": "prevflightarrdelay", "roc_auc": 0.71, "pr_auc": 0.31},
        ],
    }  # fmt: skip


def test_table_lists_the_simple_rules_under_the_models() -> None:
    # Given results for both models (the same eval rows, so one set of baselines)
    report = {
        "flights": 1000, "feature_rows": 900, "results": [_result("hgb", 0.9), _result("seed-rf", 0.88)],
        "speedup": 10.0, "machine": "x86_64", "command": "airline bench train",
    }  # fmt: skip
    # When rendering the markdown
    text = markdown(report)
    # Then the baselines appear once each, after the models, with their ROC-AUC and PR-AUC
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    assert [line.split(" | ")[0] for line in lines[1:]] == [
        "| hgb", "| seed-rf", "| depdelay alone (simple rule)", "| prevflightarrdelay alone (simple rule)",
    ]  # fmt: skip
    assert "| 0.8100 | 0.4100 |" in lines[3]
