from wulian.notifications.tests.conftest import loop, robot  # noqa: F401
