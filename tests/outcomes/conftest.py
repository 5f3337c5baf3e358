"""The referrals tests' person (with sentinel details), their practice, link worker and open episode."""

from tests.referrals.conftest import episode, goal, link_worker, person, practice  # noqa: F401
