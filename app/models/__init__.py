"""Domain models; importing this package registers every table on the metadata."""

from app.models import (  # noqa: F401
    audit,
    cases,
    clients,
    files,
    group_guidance,
    guidance,
    letters,
    mobile,
    staff,
    tpp,
    travel_permits,
    workflow,
)
