"""Python 3.10 support: the SageMaker scikit-learn container (1.4-2) runs 3.10; Lambda runs 3.12, Glue 3.11."""

import sys
from enum import Enum

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # pragma: no cover - exercised inside the 3.10 training container

    class StrEnum(str, Enum):
        """`enum.StrEnum` for 3.10: members are their values, also under str() and format()."""

        def __str__(self) -> str:
            return str(self.value)

        def __format__(self, spec: str) -> str:
            return format(str(self.value), spec)


__all__ = ["StrEnum"]
