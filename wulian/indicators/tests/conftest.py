import pytest


@pytest.fixture
def seeded(base_config):
    """The indicators demo: catalogue, the seed's figures and the synthetic fill."""
    from wulian.indicators import demo

    demo.load()
