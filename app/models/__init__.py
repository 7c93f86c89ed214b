"""Domain models; importing this package registers every table on the metadata."""

from app.models import (  # noqa: F401
    api,
    audit,
    cases,
    clients,
    complaints,
    files,
    group_guidance,
    guidance,
    kinerja,
    letters,
    mobile,
    notifications,
    offices,
    outreach,
    reporting,
    staff,
    tpp,
    transfers,
    travel_permits,
    workflow,
)
