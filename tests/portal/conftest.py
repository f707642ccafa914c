"""The authorization matrix runs in the security stage's world, built once per module."""

from tests.security.conftest import security_media, users, world  # noqa: F401 (fixtures)
