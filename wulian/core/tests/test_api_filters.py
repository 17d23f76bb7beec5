"""The list filter backend skips the filterset only where that changes nothing."""

import pytest
from django_filters.filterset import BaseFilterSet

from wulian.core.api.filters import _plain
from wulian.enterprises.filtersets import EnterpriseFilterSet
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.indicators.filtersets import ObservationFilterSet


@pytest.fixture
def built(monkeypatch):
    """How many filtersets were built."""
    count = []
    original = BaseFilterSet.__init__

    def counting(self, *args, **kwargs):
        count.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(BaseFilterSet, "__init__", counting)
    return count


def test_which_filtersets_are_plain():
    assert _plain(EnterpriseFilterSet)
    # the observations' region defaults to the city: never skipped
    assert not _plain(ObservationFilterSet)


def test_an_unfiltered_page_skips_a_plain_filterset(api_client, users, built):
    EnterpriseFactory(region_id="330825")
    api_client.force_authenticate(users["leader"])
    response = api_client.get("/api/v1/enterprises/?page=1&page_size=10")
    assert response.status_code == 200 and response.json()["count"] == 1
    assert built == []
    response = api_client.get("/api/v1/enterprises/?region=330802")
    assert response.status_code == 200 and response.json()["count"] == 0
    assert built == ["EnterpriseFilterSet"]


def test_a_filterset_with_defaults_is_built_without_parameters(api_client, users, built):
    api_client.force_authenticate(users["leader"])
    assert api_client.get("/api/v1/observations/").status_code == 200
    assert built == ["ObservationFilterSet"]
