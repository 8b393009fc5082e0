"""The predict API models. The seed contract's field names are kept exactly; extras are optional."""

import re
from datetime import date, datetime
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.config import JsonDict

RiskTier = Literal["Low", "Medium", "High", "Critical"]

MAX_BATCH_FLIGHTS: Final = 100
MAX_BODY_BYTES: Final = 256 * 1024
#: A request body nests at most this deep (a batch needs 3); deeper bodies are refused before validation.
MAX_JSON_DEPTH: Final = 16
#: Integer literals longer than this are refused while parsing (every numeric field fits in 5 digits).
MAX_INTEGER_DIGITS: Final = 20

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_string(value: Any) -> Any:
    """Only a `YYYY-MM-DD` string (or, from Python, a date) is a flight date: no timestamps, numbers or datetimes."""
    if type(value) is date:
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("must be an ISO date string YYYY-MM-DD")
    return value


def _hhmm(value: int) -> int:
    """A local clock time HHMM: minutes below 60, 0000-2400 (2400 = midnight at the end of the day)."""
    if value % 100 >= 60 or value > 2400:
        raise ValueError("must be a clock time HHMM between 0000 and 2400 with minutes below 60")
    return value


# strict: JSON numbers only (no booleans, no numeric strings); NaN and infinities are no minutes.
AirportCode = Annotated[str, Field(pattern=r"^[A-Z0-9]{3,4}$", examples=["ATL"])]
CarrierCode = Annotated[str, Field(pattern=r"^[A-Z0-9]{2,3}$", examples=["DL"])]
DelayMinutes = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-120, le=1440)]
TurnaroundMinutes = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=1440)]
FlightDate = Annotated[date, BeforeValidator(_iso_date_string), Field(examples=["2025-11-04"])]
ClockTime = Annotated[int, Field(strict=True, ge=0, le=2400), AfterValidator(_hhmm)]


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

    flight_date: FlightDate
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
    crs_dep_time: ClockTime | None = Field(
        default=None, description="Scheduled departure, HHMM local: 0000-2400, minutes below 60."
    )
    distance: float | None = Field(
        default=None, strict=True, allow_inf_nan=False, gt=0, le=10000, description="Route distance, miles."
    )
    leg_number: int | None = Field(
        default=None, strict=True, ge=1, le=30, description="Position of this leg in the aircraft's day."
    )
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
    """`ok`: a model serves; `no_model`: none promoted yet; `refused`: the promoted bundle failed verification (503)."""

    status: Literal["ok", "no_model", "refused"]
    model_version: str | None = Field(description="The version answering requests (an older one while refused).")
    loaded_at: datetime | None
    refused_version: str | None = Field(default=None, description="The promoted version that could not be loaded.")
    reason: str | None = Field(default=None, description="Why it was refused.")


class FieldError(BaseModel):
    field: str
    message: str


class ErrorResponse(BaseModel):
    error: Literal["invalid_json", "validation_error", "payload_too_large", "no_model", "not_found", "internal_error"]
    message: str
    details: list[FieldError] = Field(default_factory=list)
