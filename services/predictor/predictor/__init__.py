"""Predictor service: the predict API and the model reload on ModelUpdated."""
