"""etl-trigger service: starts the Glue feature-engineering run for accepted raw files and reports its outcome.

Entry points (logic, callable by the local cloud with EventBridge envelopes; build `deps` with
`etl_trigger.adapters.deps.build_trigger_deps(settings)`, `dataclasses.replace(deps, catalog=None)`
to skip repointing the Athena table):
- `etl_trigger.logic.handle_raw_files_accepted(envelopes, deps) -> AcceptOutcome`
- `etl_trigger.logic.handle_glue_state_change(envelope, deps) -> StateChangeOutcome`
- `etl_trigger.logic.handle_schedule(deps) -> StartOutcome`
Lambda handlers: `etl_trigger/handlers/{raw_files_accepted,glue_state_change,schedule}.lambda_handler`.

Run state (DynamoDB `RUNS_TABLE`, keys pk/sk):
- `FILE/<s3 uri>`: every accepted file, status pending -> running (in the run in flight) ->
  published (in a successful run) | failed (its run failed) | rejected (a run could not read it:
  copied to `quarantine/<key>` + `.reason.json` in the raw bucket) | missing (deleted after it was
  accepted: HeadObject 404 before a run starts, or reported by the run; only the reason note).
  Rejected and missing files are inputs of no later run. A new etag (or the key accepted again)
  resets it to pending.
- `LOCK/LOCK`: the single run in flight (conditional put; expires after RUN_LOCK_TTL_MINUTES).
- `RUN/<run_id>`: run record (job run id, inputs, the files it picked up, outcome).
Each run is a full recompute over every accepted file (inputs.json lists them all). A file event
or a finished run starts a run when pending flight-data files exist (a carriers lookup alone does
not); the daily schedule also retries files whose run failed. Glue's ConcurrentRunsExceeded leaves
files pending. On SUCCEEDED the Athena `features` table is pointed at the new snapshot, then
FeaturesReady is emitted; FAILED/TIMEOUT/STOPPED (or a missing/invalid run summary, state ERROR)
emit EtlFailed. Both name the files the run left out (`rejected_files`: the summary's, plus files
found deleted when it started). A redelivered state change of a settled run is ignored.
"""
