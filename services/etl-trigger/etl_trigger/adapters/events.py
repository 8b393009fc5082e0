"""Publish the service's custom events on the custom bus."""

from functools import cached_property
from typing import Any

import boto3
from airline_shared.events import EventDetail, put_events_entry
from botocore.exceptions import ClientError

from etl_trigger.logic.errors import EventPublishError


class EventBridgePublisher:
    def __init__(self, event_bus_name: str) -> None:
        self.event_bus_name = event_bus_name

    @cached_property
    def _events(self) -> Any:
        return boto3.client("events")

    def publish(self, detail: EventDetail) -> None:
        """Raises EventPublishError when EventBridge rejects the entry or the bus does not exist."""
        try:
            response = self._events.put_events(Entries=[put_events_entry(detail, self.event_bus_name)])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                raise
            raise EventPublishError(
                f"{detail.DETAIL_TYPE} not published: bus {self.event_bus_name} does not exist"
            ) from exc
        if response.get("FailedEntryCount", 0):
            entry = response["Entries"][0]
            raise EventPublishError(
                f"{detail.DETAIL_TYPE} rejected by bus {self.event_bus_name}: "
                f"{entry.get('ErrorCode')} {entry.get('ErrorMessage')}"
            )
