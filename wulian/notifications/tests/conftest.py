import pytest

from .robot_server import RobotServer


@pytest.fixture
def robot():
    server = RobotServer().start()
    yield server
    server.stop()


@pytest.fixture
def loop(users):
    """The 企呼我应 set-up (categories, a rule to 经信局, ent_demo's enterprise) with e-mail
    addresses on the accounts."""
    from wulian.service.tests.factories import setup_loop

    for user in users.values():
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])
    return setup_loop(users)
