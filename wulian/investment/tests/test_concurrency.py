"""Two people moving the same project at once: exactly one wins, the other is told why."""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from wulian.investment import services
from wulian.investment.models import Project, ProjectEvent

from .factories import ProjectFactory


@pytest.mark.django_db(transaction=True)
def test_two_workers_advance_the_same_project_exactly_one_wins(users):
    project = ProjectFactory(stage="lead")
    barrier = threading.Barrier(2)
    results = []
    # As in the service workflow test: on PostgreSQL both run at once and select_for_update
    # makes one wait; the shared in-memory SQLite test database cannot wait, so the writers
    # take turns there — both still start from the same stale copy.
    writer = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def act():
        try:
            stale = Project.objects.get(pk=project.pk)
            barrier.wait(timeout=10)
            with writer:
                services.transition_project(
                    actor=users["leader"], project=stale, to_stage="negotiating"
                )
            results.append("won")
        except ValidationError as exc:
            results.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=act) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 2 and results.count("won") == 1
    loser = next(r for r in results if r != "won")
    assert "不能从“洽谈”转为“洽谈”" in loser
    project.refresh_from_db()
    assert project.stage == "negotiating"
    assert ProjectEvent.objects.filter(project=project, to_stage="negotiating").count() == 1
