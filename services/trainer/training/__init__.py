"""SageMaker training entry point (script contract): features table -> model bundle.

`train.py` is the script SageMaker runs; `train_bundle` (in `training.pipeline`) is the Python API
behind it, also used by `airline train` and the local cloud.
"""
