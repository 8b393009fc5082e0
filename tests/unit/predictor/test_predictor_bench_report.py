"""The predictor benchmark: partial runs render, and the cold start runs with the deployed environment."""

from airline.bench.predict import predict_function_environment, render_markdown


def _cold(total: float) -> dict[str, object]:
    return {
        "runs": 7, "python": "3.12.1", "imports_ms": total - 8, "load_and_first_answer_ms": 8.0, "total_ms": total,
        "total_ms_min_max": [total - 5, total + 5], "cpu_ms": total, "process_wall_ms_incl_interpreter": total + 70,
    }  # fmt: skip


def test_a_cold_start_only_run_renders_the_lambda_like_figure_as_the_headline() -> None:
    # Given the result of `airline bench predict --only cold-start`
    result = {
        "machine": "x86_64, 2 cores, Python 3.11.7",
        "load_average_1m": {"before": 1.0, "after": 1.1},
        "command": "airline bench predict --only cold-start",
        "cold_start": {
            "lambda_like": {"platform": "Python 3.12 x86_64", "precompiled": _cold(258.0), "source_only": _cold(690.0)},
            "dev_venv": _cold(300.0),
        },
    }
    # When it is rendered
    markdown = render_markdown(result)
    # Then the bytecode-shipped package is the bold figure, the others follow, and absent parts are left out
    assert "**258.0 ms**" in markdown
    assert "from source" in markdown and "690.0 ms" in markdown
    assert "Dev venv" in markdown and "300.0 ms" in markdown
    assert "Load test" not in markdown and "| measure |" not in markdown


def test_a_failed_lambda_like_build_is_reported_not_hidden() -> None:
    result = {
        "machine": "m", "load_average_1m": {"before": 1.0, "after": 1.0}, "command": "c",
        "cold_start": {"lambda_like": {"error": "pip failed"}, "dev_venv": _cold(300.0)},
    }  # fmt: skip
    assert "Lambda-like package: not measured (pip failed)" in render_markdown(result)


def test_the_predict_function_environment_pins_openblas_to_one_thread() -> None:
    environment = predict_function_environment()
    assert environment["OPENBLAS_NUM_THREADS"] == "1"
    assert environment["POWERTOOLS_SERVICE_NAME"] == "predictor"
