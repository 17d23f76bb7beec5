import pytest

from .helpers import build_known_chain


@pytest.fixture
def known(users):
    """The hand-built chain, without 企业诉求 or investment projects."""
    return build_known_chain()
