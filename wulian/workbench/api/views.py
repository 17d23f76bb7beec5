"""GET /api/v1/workbench/ — what waits for the signed-in person (the same as 我的待办)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.core.permissions import ALL_ROLES
from wulian.core.worklist import Todo, due_moment

from ..services import workbench_for
from .serializers import WorkbenchSerializer


def _todo(section_key: str, todo: Todo) -> dict:
    return {
        "section": section_key,
        "title": todo.title,
        "detail": todo.detail,
        "url": todo.url,
        "due_at": due_moment(todo.due),
        "overdue": todo.overdue,
        "status": todo.status,
    }


class WorkbenchView(APIView):
    """What waits for me: sections with counts (overdue first) and their most urgent items."""

    allowed_roles = ALL_ROLES

    @extend_schema(responses=WorkbenchSerializer)
    def get(self, request):
        bench = workbench_for(request.user)
        body = {
            "total": bench.total,
            "overdue": bench.overdue,
            "sections": [
                {
                    "key": s.key,
                    "label": s.label,
                    "url": s.url,
                    "count": s.count,
                    "overdue": s.overdue,
                    "items": [_todo(s.key, t) for t in s.items],
                }
                for s in bench.sections
            ],
            "items": [_todo(s.key, t) for s, t in bench.items()],
        }
        return Response(WorkbenchSerializer(body).data)
