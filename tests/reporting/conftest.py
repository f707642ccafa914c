"""The export tests' shared world (`tests.reporting.measures`)."""

from tests.reporting.measures import world  # noqa: F401 -- a fixture
