"""ModelHolder: no model -> 503 error, swap on pointer change, refused bundles, atomic swaps."""

import threading
from collections.abc import Mapping

import pytest
from airline_shared.api import PredictRequest
from airline_shared.bundle import MODEL_FILE
from predictor.logic.predict import predict_flights
from predictor.logic.serving import ModelHolder, health_report
from predictor.models.domain import BundleRefusedError, ModelPointer, ModelUnavailableError, SourceUnavailableError
from predictor_testkit import bundle_files, seed_request


class FakeStore:
    """In-memory pointer + bundles, counting fetches."""

    def __init__(self) -> None:
        self.pointer: ModelPointer | None = None
        self.bundles: dict[str, dict[str, bytes]] = {}
        self.fetches = 0

    def publish(self, version: str, files: dict[str, bytes] | None = None, bias: float = 0.0) -> None:
        uri = f"s3://models/bundles/{version}/"
        self.bundles[uri] = files or bundle_files(version, bias)
        self.pointer = ModelPointer(version=version, bundle_uri=uri)

    def read(self) -> ModelPointer | None:
        return self.pointer

    def fetch(self, uri: str) -> Mapping[str, bytes]:
        self.fetches += 1
        return self.bundles[uri]


def _holder(store: FakeStore, refused: list[BundleRefusedError] | None = None) -> ModelHolder:
    return ModelHolder(store.read, store.fetch, (refused if refused is not None else []).append)


def test_no_promoted_model_raises_unavailable_with_a_hint() -> None:
    holder = _holder(FakeStore())
    with pytest.raises(ModelUnavailableError, match="no model has been promoted yet: train one and promote it"):
        holder.current()


def test_first_pointer_loads_the_model_once() -> None:
    store = FakeStore()
    store.publish("v1")
    holder = _holder(store)
    assert holder.current().version == "v1"
    assert holder.current().version == "v1"
    assert store.fetches == 1


def test_pointer_change_swaps_to_the_new_version_and_keeps_the_old_object_intact() -> None:
    # Given a holder serving v1, and a request that grabbed it
    store = FakeStore()
    store.publish("v1")
    holder = _holder(store)
    grabbed = holder.current()
    # When v2 is promoted
    store.publish("v2")
    # Then new requests get v2, the grabbed object still is v1
    assert holder.current().version == "v2"
    assert grabbed.version == "v1"


def test_refused_bundle_keeps_the_previous_model_and_is_not_refetched() -> None:
    # Given v1 serving and a corrupted v2 promoted
    store, refused = FakeStore(), list[BundleRefusedError]()
    store.publish("v1")
    holder = _holder(store, refused)
    holder.current()
    broken = bundle_files("v2") | {MODEL_FILE: b"garbage"}
    store.publish("v2", broken)
    # When requests arrive
    first, second = holder.current(), holder.current()
    # Then v1 keeps answering, the refusal is reported once and v2 is fetched once
    assert (first.version, second.version) == ("v1", "v1")
    assert [e.version for e in refused] == ["v2"]
    assert store.fetches == 2


def test_refused_first_bundle_reports_why_there_is_no_model() -> None:
    store = FakeStore()
    store.publish("v1", bundle_files("v1") | {MODEL_FILE: b"garbage"})
    with pytest.raises(ModelUnavailableError, match="'v1' could not be loaded"):
        _holder(store).current()


def test_concurrent_requests_are_each_answered_by_exactly_one_version() -> None:
    # Given two models giving different probabilities, and the answers each gives alone
    store = FakeStore()
    store.publish("v2", bias=3.0)
    store.publish("v1", bias=-3.0)
    holder = _holder(store)
    requests = [PredictRequest.model_validate(seed_request(depdelay=d)) for d in range(0, 60, 3)]
    pointers = {v: ModelPointer(version=v, bundle_uri=f"s3://models/bundles/{v}/") for v in ("v1", "v2")}
    expected = {}
    for version, pointer in pointers.items():
        store.pointer = pointer
        expected[version] = [a.risk_assessment.risk_probability for a in predict_flights(requests, holder.current())]
    assert expected["v1"] != expected["v2"]
    mixed: list[str] = []
    served: set[str] = set()
    stop = threading.Event()
    progress = threading.Semaphore(0)

    def serve() -> None:
        while not stop.is_set():
            model = holder.current()  # grabbed once per request
            answers = predict_flights(requests, model)
            served.add(model.version)
            versions = {a.model_version for a in answers}
            probabilities = [a.risk_assessment.risk_probability for a in answers]
            if versions != {model.version} or probabilities != expected[model.version]:
                mixed.append(f"{versions} {probabilities[:2]}")
            progress.release()

    workers = [threading.Thread(target=serve) for _ in range(4)]
    for w in workers:
        w.start()
    # When the pointer flips 100 times while they run
    for i in range(100):
        store.pointer = pointers["v2" if i % 2 == 0 else "v1"]
        holder.current()
        assert progress.acquire(timeout=10)  # let at least one request finish per flip
    stop.set()
    for w in workers:
        w.join()
    # Then every answer came wholly from the version the request grabbed
    assert mixed == []
    assert served == {"v1", "v2"}


def test_unreadable_pointer_keeps_the_loaded_model_serving() -> None:
    # Given v1 serving, then SSM failing
    store = FakeStore()
    store.publish("v1")
    reported: list[SourceUnavailableError] = []
    failing = {"on": False}

    def read() -> ModelPointer | None:
        if failing["on"]:
            raise SourceUnavailableError("ThrottlingException")
        return store.read()

    holder = ModelHolder(read, store.fetch, on_unavailable=reported.append)
    holder.current()
    failing["on"] = True
    # When a request arrives, Then v1 answers and the failure is reported
    assert holder.current().version == "v1"
    assert len(reported) == 1


def test_unreadable_source_without_a_model_is_unavailable() -> None:
    def read() -> ModelPointer | None:
        raise SourceUnavailableError("AccessDenied")

    with pytest.raises(ModelUnavailableError, match="cannot be loaded right now"):
        ModelHolder(read, FakeStore().fetch).current()


def test_health_reports_a_refused_promoted_bundle_beside_the_serving_model() -> None:
    # Given v1 serving and a corrupted v2 named by the pointer
    store = FakeStore()
    store.publish("v1")
    holder = _holder(store)
    holder.current()
    store.publish("v2", bundle_files("v2") | {MODEL_FILE: b"garbage"})
    # When health is asked
    report = health_report(holder)
    # Then it says v1 serves and v2 was refused, with the reason
    assert (report.status, report.model_version, report.refused_version) == ("refused", "v1", "v2")
    assert report.reason is not None and "model.npz" in report.reason


def test_health_is_ok_again_once_the_pointer_returns_to_the_serving_model() -> None:
    # Given v1 serving and v2 refused
    store = FakeStore()
    store.publish("v1")
    holder = _holder(store)
    holder.current()
    store.publish("v2", bundle_files("v2") | {MODEL_FILE: b"garbage"})
    holder.current()
    # When the pointer is rolled back to v1
    store.publish("v1")
    # Then health is ok on v1
    assert (health_report(holder).status, health_report(holder).model_version) == ("ok", "v1")
