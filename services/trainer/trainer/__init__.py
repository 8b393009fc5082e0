"""Trainer service: starts SageMaker training on FeaturesReady, verifies and gates the result, keeps the model registry.

Logic entry points (each takes one EventBridge envelope, so the local cloud can call them directly):
- `trainer.logic.launch.handle_features_ready(envelope, deps: LaunchDeps) -> LaunchOutcome`
- `trainer.logic.evaluation.handle_training_state_change(envelope, deps: EvaluationDeps) -> TrainingOutcome`
- `trainer.logic.rollback.rollback_model(version, deps: RegistryDeps) -> ModelUpdated`, `list_models(deps)`
Dependencies from settings: `trainer.adapters.wiring.build_launch_deps(TrainingLaunchSettings())`,
`build_evaluation_deps(EvaluationSettings())`, `build_registry_deps(RegistrySettings())`.
Lambda handlers: `trainer/handlers/features_ready.lambda_handler`, `trainer/handlers/training_state_change.lambda_handler`.
"""
