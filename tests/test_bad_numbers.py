"""Numbers no database column can hold are refused as bad input (400), never a server error."""

import pytest

HUGE = "-147379754033114349693757035436427055897"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/meetings/?series={HUGE}",
        f"/api/v1/tasks/?meeting={HUGE}",
        f"/api/v1/projects/?link={HUGE}",
        f"/api/v1/enterprises/?page={HUGE}",
    ],
)
def test_huge_numbers_in_filters(api_client, users, url):
    api_client.force_authenticate(users["leader"])
    response = api_client.get(url)
    assert response.status_code in (400, 404)
