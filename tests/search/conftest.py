from ..cases.conftest import publisher  # noqa: F401  (case-management staff who approve documents)
