"""Publishes the ingest events on the custom bus."""

from typing import Any

import boto3
from airline_shared.events import EventDetail, put_events_entry

from ingest.logic.errors import EventPublishFailed


class EventBridgePublisher:
    """PutEvents on EVENT_BUS_NAME; raises EventPublishFailed when the entry is refused."""

    def __init__(self, event_bus_name: str, client: Any = None) -> None:
        self._bus = event_bus_name
        self._client = client

    def publish(self, detail: EventDetail) -> None:
        if self._client is None:
            self._client = boto3.client("events")
        response = self._client.put_events(Entries=[put_events_entry(detail, self._bus)])
        if response.get("FailedEntryCount", 0):
            entry = response["Entries"][0]
            raise EventPublishFailed(
                f"{detail.DETAIL_TYPE} refused by bus {self._bus}: {entry.get('ErrorCode')} {entry.get('ErrorMessage')}"
            )
