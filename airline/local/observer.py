"""Watch the pipeline's custom events on the local bus (what `make demo` shows as progress)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from airline_shared.events import CUSTOM_EVENTS, EventDetail, parse_detail

from airline.local.cloud import LocalCloud

OBSERVER_NAME = "local-observer"


@dataclass
class EventObserver:
    """Subscribes a private queue to every custom event and keeps what it saw, in order."""

    cloud: LocalCloud
    bus_name: str
    seen: list[tuple[str, EventDetail]] = field(default_factory=list)
    queue_url: str = ""

    def __post_init__(self) -> None:
        sqs = self.cloud.client("sqs")
        self.queue_url = sqs.create_queue(QueueName=OBSERVER_NAME)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events = self.cloud.client("events")
        pattern = {"source": sorted({model.SOURCE for model in CUSTOM_EVENTS})}
        events.put_rule(Name=OBSERVER_NAME, EventBusName=self.bus_name, EventPattern=json.dumps(pattern))
        events.put_targets(Rule=OBSERVER_NAME, EventBusName=self.bus_name, Targets=[{"Id": "observer", "Arn": arn}])

    def poll(self) -> list[tuple[str, EventDetail]]:
        """New custom events since the last poll, parsed with their shared models."""
        sqs = self.cloud.client("sqs")
        fresh: list[tuple[str, EventDetail]] = []
        while True:
            messages = sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                break
            for message in messages:
                envelope: dict[str, Any] = json.loads(message["Body"])
                fresh.append((envelope["detail-type"], parse_detail(envelope["detail-type"], envelope["detail"])))
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        self.seen.extend(fresh)
        return fresh

    def latest(self, detail_type: str) -> EventDetail | None:
        for seen_type, detail in reversed(self.seen):
            if seen_type == detail_type:
                return detail
        return None

    def count(self, detail_type: str) -> int:
        return sum(1 for seen_type, _ in self.seen if seen_type == detail_type)
