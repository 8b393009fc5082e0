"""Keep the newest promoted model loaded; swap it atomically when the pointer moves."""

import threading
from collections.abc import Callable, Mapping

from airline_shared.api import HealthResponse

from predictor.logic.bundle import load_model
from predictor.models.domain import (
    BundleRefusedError,
    LoadedModel,
    ModelPointer,
    ModelUnavailableError,
    SourceUnavailableError,
)

NO_MODEL_MESSAGE = (
    "no model has been promoted yet: train one and promote it "
    "(e.g. `airline train ...` locally, or let the trainer publish ModelUpdated) and retry"
)


class ModelHolder:
    """Holds one immutable LoadedModel, replaced by reference when the (cached) pointer changes.

    A request grabs `current()` once and uses that object throughout, so it is answered by
    exactly one version even while another thread swaps in the next one.
    """

    def __init__(
        self,
        read_pointer: Callable[[], ModelPointer | None],
        fetch_bundle: Callable[[str], Mapping[str, bytes]],
        on_refused: Callable[[BundleRefusedError], None] = lambda _error: None,
        on_unavailable: Callable[[SourceUnavailableError], None] = lambda _error: None,
    ) -> None:
        self._read_pointer = read_pointer
        self._fetch_bundle = fetch_bundle
        self._on_refused = on_refused
        self._on_unavailable = on_unavailable
        self._lock = threading.Lock()
        self._model: LoadedModel | None = None
        self._pointer: ModelPointer | None = None
        self._refused: tuple[ModelPointer, str] | None = None

    @property
    def loaded(self) -> LoadedModel | None:
        """The model serving right now, without looking at the pointer."""
        return self._model

    def current(self) -> LoadedModel:
        """The model to answer this request with; raises ModelUnavailableError (503) when there is none.

        While the pointer or a new bundle cannot be read (SourceUnavailableError), the loaded model keeps serving.
        """
        try:
            pointer = self._read_pointer()
            if pointer is not None and pointer == self._pointer:
                self._refused = None  # the pointer is back on the serving model: an earlier refusal is moot
            elif pointer is not None and (self._refused is None or self._refused[0] != pointer):
                with self._lock:
                    if pointer != self._pointer:
                        self._swap_to(pointer)
        except SourceUnavailableError as error:
            if self._model is None:
                raise ModelUnavailableError(f"the model cannot be loaded right now: {error}; retry shortly") from error
            self._on_unavailable(error)
        model = self._model
        if model is not None:
            return model
        if self._refused is not None:
            refused, reason = self._refused
            raise ModelUnavailableError(f"the promoted model {refused.version!r} could not be loaded: {reason}")
        raise ModelUnavailableError(NO_MODEL_MESSAGE)

    def current_or_none(self) -> LoadedModel | None:
        """Like current(), but None instead of ModelUnavailableError (for health checks)."""
        try:
            return self.current()
        except ModelUnavailableError:
            return None

    @property
    def refused(self) -> tuple[str, str] | None:
        """(version, reason) of the promoted bundle this holder refused to serve, while the pointer still names it."""
        return None if self._refused is None else (self._refused[0].version, self._refused[1])

    def _swap_to(self, pointer: ModelPointer) -> None:
        try:
            model = load_model(self._fetch_bundle(pointer.bundle_uri), source=pointer.bundle_uri)
        except BundleRefusedError as error:
            self._refused = (pointer, error.reason)
            self._on_refused(error)
            return
        self._model, self._pointer, self._refused = model, pointer, None


def health_report(holder: ModelHolder) -> HealthResponse:
    """What GET /health says: the serving version, and the promoted bundle that was refused, if any."""
    model = holder.current_or_none()
    version, loaded_at = (model.version, model.loaded_at) if model is not None else (None, None)
    refused = holder.refused
    if refused is not None:
        return HealthResponse(
            status="refused", model_version=version, loaded_at=loaded_at, refused_version=refused[0], reason=refused[1]
        )
    return HealthResponse(status="ok" if model else "no_model", model_version=version, loaded_at=loaded_at)
