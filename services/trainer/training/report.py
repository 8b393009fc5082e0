"""Self-contained HTML report: ROC and calibration curves, importances, metrics, tiers (PNG embedded as base64)."""

import base64
import html
import io
from typing import Any

import numpy as np
from airline_shared.bundle import BaselineMetrics, ModelMetrics, TierThresholds
from sklearn.metrics import roc_curve


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _figures(y: np.ndarray, p: np.ndarray, metrics: ModelMetrics, importances: dict[str, float]) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    images = {}
    fig, ax = plt.subplots(figsize=(5, 4))
    fpr, tpr, _ = roc_curve(y.astype(bool), p)
    ax.plot(fpr, tpr, label=f"ROC-AUC {metrics.roc_auc:.3f}")
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey")
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC curve (eval period)")
    ax.legend(loc="lower right")
    images["ROC curve"] = _png(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 4))
    xs = [b.mean_predicted for b in metrics.calibration]
    ys = [b.observed_rate for b in metrics.calibration]
    top = max([*xs, *ys, 0.01]) * 1.05
    ax.plot([0, top], [0, top], linestyle="--", color="grey", label="perfect")
    ax.plot(xs, ys, marker="o", label="model (deciles)")
    ax.set(xlabel="mean predicted probability", ylabel="observed cascade rate", title="Calibration (eval period)")
    ax.legend(loc="upper left")
    images["Calibration curve"] = _png(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 0.35 * max(3, len(importances)) + 1))
    names = list(importances)[::-1]
    ax.barh(names, [importances[n] for n in names])
    ax.set(xlabel="ROC-AUC drop when shuffled", title="Permutation importance (eval sample)")
    images["Feature importance"] = _png(fig)
    plt.close(fig)
    return images


def _table(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def _comparison(metrics: ModelMetrics, baselines: list[BaselineMetrics]) -> str:
    """Model and simple rules side by side on the same eval rows."""
    rows = [("model", metrics.roc_auc, metrics.pr_auc)]
    rows += [(f"{b.feature} alone", b.roc_auc, b.pr_auc) for b in baselines]
    body = "".join(f"<tr><th>{html.escape(n)}</th><td>{r:.4f}</td><td>{a:.4f}</td></tr>" for n, r, a in rows)
    return f"<table><tr><th>ranking by</th><th>ROC-AUC</th><th>PR-AUC</th></tr>{body}</table>"


def render_report(
    *,
    title: str,
    y: np.ndarray,
    p: np.ndarray,
    metrics: ModelMetrics,
    thresholds: TierThresholds,
    importances: dict[str, float],
    facts: dict[str, str],
    baselines: list[BaselineMetrics] | None = None,
) -> str:
    """The report.html text; needs matplotlib (training only)."""
    images = _figures(y, p, metrics, importances)
    metric_rows = [(k, f"{v:.6g}") for k, v in metrics.headline().items()]
    tier_rows = [(k, f"{v:.6g}") for k, v in thresholds.model_dump().items()]
    calib_rows = [
        (f"{b.count} flights", f"predicted {b.mean_predicted:.4f} / observed {b.observed_rate:.4f}")
        for b in metrics.calibration
    ]
    figures = "".join(
        f'<figure><img alt="{html.escape(name)}" src="data:image/png;base64,{data}"><figcaption>{html.escape(name)}</figcaption></figure>'
        for name, data in images.items()
    )
    style = "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}figure{display:inline-block;margin:0 1em 1em 0}"
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>{style}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{_table(list(facts.items()))}"
        f"<h2>Metrics (eval period)</h2>{_table(metric_rows)}"
        f"<h2>Model vs simple rules (same eval rows; missing values ranked lowest)</h2>{_comparison(metrics, baselines or [])}"
        f"<h2>Tier thresholds</h2>{_table(tier_rows)}"
        f"<h2>Curves and importances</h2>{figures}"
        f"<h2>Calibration table</h2>{_table(calib_rows)}"
        "</body></html>"
    )
