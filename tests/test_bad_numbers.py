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


@pytest.mark.parametrize("year", ["20000", "0", "99999999999999999999", "abc"])
def test_out_of_range_years_mean_all_years(client, api_client, users, year):
    client.force_login(users["dispatcher"])
    assert client.get(f"/service/stats/?year={year}").status_code == 200
    assert client.get(f"/service/overview/?year={year}").status_code == 200
    api_client.force_authenticate(users["dispatcher"])
    assert api_client.get(f"/api/v1/service-stats/?year={year}").status_code == 200
