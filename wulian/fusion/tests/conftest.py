import pytest

from .helpers import build_known_chain, no_modules


@pytest.fixture
def known(users, monkeypatch):
    """The hand-built chain, with the service and investment modules absent."""
    no_modules(monkeypatch)
    return build_known_chain()
