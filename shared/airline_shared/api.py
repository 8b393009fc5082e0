"""The predict API models. The seed contract's field names are kept exactly; extras are optional."""

from datetime import date, datetime
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

RiskTier = Literal["Low", "Medium", "High", "Critical"]

MAX_BATCH_FLIGHTS: Final = 100
MAX_BODY_BYTES: Final = 256 * 1024

AirportCode = Annotated[str, Field(pattern=r"^[A-Z0-9]{3,4}$", examples=["ATL"])]
CarrierCode = Annotated[str, Field(pattern=r"^[A-Z0-9]{2,3}$", examples=["DL"])]
DelayMinutes = Annotated[float, Field(ge=-120, le=1440)]
TurnaroundMinutes = Annotated[float, Field(ge=0, le=1440)]


#: The seed's documented request (README example); it must keep answering 200 with the seed's response shape.
SEED_REQUEST_EXAMPLE: JsonDict = {
    "flight_date": "2025-11-04",
    "carrier": "DL",
    "origin": "ATL",
    "destination": "LAX",
    "depdelay": 25,
    "prevflightarrdelay": 30,
    "turnaroundminutes": 45,
    "routeavgarrdelay": 15.5,
    "carrieravgarrdelay": 12.3,
}


class PredictRequest(BaseModel):
    """One flight about to leave. Missing live values stay missing (NaN to the model), never 0."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [SEED_REQUEST_EXAMPLE]},
    )

    flight_date: date
    carrier: CarrierCode
    origin: AirportCode
    destination: AirportCode
    depdelay: DelayMinutes | None = None
    prevflightarrdelay: DelayMinutes | None = None
    turnaroundminutes: TurnaroundMinutes | None = None
    routeavgarrdelay: DelayMinutes | None = Field(
        default=None, description="Filled from the model bundle when omitted."
    )
    carrieravgarrdelay: DelayMinutes | None = Field(
        default=None, description="Filled from the model bundle when omitted."
    )
    crs_dep_time: int | None = Field(default=None, ge=0, le=2400, description="Scheduled departure, HHMM local.")
    distance: float | None = Field(default=None, gt=0, le=10000, description="Route distance, miles.")
    leg_number: int | None = Field(default=None, ge=1, le=30, description="Position of this leg in the aircraft's day.")
    next_turnaroundminutes: TurnaroundMinutes | None = Field(
        default=None, description="Scheduled turnaround before the aircraft's next leg."
    )


class FlightInfo(BaseModel):
    carrier: str
    route: str = Field(examples=["ATL-LAX"])


class RiskAssessment(BaseModel):
    risk_probability: float = Field(ge=0, le=1)
    risk_class: Literal[0, 1]
    risk_tier: RiskTier


class PredictResponse(BaseModel):
    flight_info: FlightInfo
    risk_assessment: RiskAssessment
    recommendations: list[str]
    model_version: str
    filled_fields: dict[str, float] = Field(
        default_factory=dict, description="Inputs filled from the bundle's lookups, with the value used."
    )


class BatchPredictRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    flights: list[PredictRequest] = Field(min_length=1, max_length=MAX_BATCH_FLIGHTS)


class BatchPredictResponse(BaseModel):
    predictions: list[PredictResponse]
    model_version: str


class HealthResponse(BaseModel):
    status: Literal["ok", "no_model"]
    model_version: str | None
    loaded_at: datetime | None


class FieldError(BaseModel):
    field: str
    message: str


class ErrorResponse(BaseModel):
    error: Literal["invalid_json", "validation_error", "payload_too_large", "no_model", "not_found", "internal_error"]
    message: str
    details: list[FieldError] = Field(default_factory=list)
