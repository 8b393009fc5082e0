"""The local cloud: moto server + real handlers + Glue/SageMaker stand-ins (issue 6)."""
