"""Pure run-scheduling logic; adapters are passed in (see ports.TriggerDeps).

Entry points the local cloud calls with EventBridge envelopes:
`handle_raw_files_accepted(envelopes, deps)`, `handle_glue_state_change(envelope, deps)`, `handle_schedule(deps)`.
"""

from etl_trigger.logic.settle_run import handle_glue_state_change, settle_glue_run
from etl_trigger.logic.start_run import accept_raw_files, handle_raw_files_accepted, handle_schedule, start_pending_run

__all__ = [
    "accept_raw_files",
    "handle_glue_state_change",
    "handle_raw_files_accepted",
    "handle_schedule",
    "settle_glue_run",
    "start_pending_run",
]
