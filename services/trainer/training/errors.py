"""Typed training failures; each message is what lands in SageMaker's failure file."""


class TrainingError(Exception):
    """Training cannot produce a bundle; the message says why and what to do."""


class TrainingConfigError(TrainingError):
    """Bad hyperparameters or a missing input/output location."""


class TrainingDataError(TrainingError):
    """The features table cannot be read or is unusable."""


class MissingColumnsError(TrainingDataError):
    """The features table lacks columns the model or the lookups need."""


class InsufficientDataError(TrainingDataError):
    """Too few rows or months for the temporal split."""


class SingleClassError(TrainingDataError):
    """A split holds only one label class, so no model or metric can be computed."""


class ExportParityError(TrainingError):
    """The exported numpy model does not reproduce scikit-learn's probabilities."""
