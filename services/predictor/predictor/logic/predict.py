"""Answer predict requests with one loaded model (one version per call)."""

import numpy as np
from airline_shared.api import FlightInfo, PredictRequest, PredictResponse, RiskAssessment

from predictor.logic.features import build_feature_row, derive_inputs, fill_from_lookups
from predictor.logic.risk import classify_class, classify_tier, recommend
from predictor.models.domain import LoadedModel


def predict_flights(requests: list[PredictRequest], model: LoadedModel) -> list[PredictResponse]:
    """Score every request with `model` in one matrix pass and build the seed-shaped responses."""
    filled = [fill_from_lookups(r, model.lookups) for r in requests]
    rows = [build_feature_row(derive_inputs(r, f), model.feature_names) for r, f in zip(requests, filled, strict=True)]
    probabilities = model.ensemble.predict_proba(np.vstack(rows) if len(rows) > 1 else rows[0])
    thresholds = model.manifest.thresholds
    responses = []
    for request, fills, p in zip(requests, filled, probabilities.tolist(), strict=True):
        tier = classify_tier(p, thresholds)
        responses.append(
            PredictResponse(
                flight_info=FlightInfo(carrier=request.carrier, route=f"{request.origin}-{request.destination}"),
                risk_assessment=RiskAssessment(
                    risk_probability=p, risk_class=classify_class(p, thresholds), risk_tier=tier
                ),
                recommendations=recommend(request, tier),
                model_version=model.version,
                filled_fields=fills,
            )
        )
    return responses
