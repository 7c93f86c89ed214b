"""Domain models; importing this package registers every table on the metadata."""

from app.models import audit, cases, clients, files, letters, staff, tpp, travel_permits, workflow  # noqa: F401
