"""The OpenAPI schema declares the errors every operation can answer, not only its success.

drf-spectacular documents the success response of each operation. A client (and the schema
conformance test) also needs the errors: this AutoSchema adds them from what the operation is,
the way the API's exception handler (`core.api.exceptions`) answers them:

- 400 always: field errors where it takes a body or parameters, and for any request the refusal
  of a NUL character in a header, a cookie or the path (`core.middleware.RefuseNulMiddleware`);
- 401 and 403 when it needs a signed-in user (no or a bad token; a role or scope that may not);
- 404 when its path names an object, or it lists a page of objects (a page past the last).

An operation that declares one of these itself (with `extend_schema`) keeps its own. Open311
answers in its own format and declares its errors itself, so only `/api/` paths get these.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorDetail = inline_serializer(
    name="ErrorDetail",
    fields={"detail": serializers.CharField(help_text="错误说明（中文）")},
)
VALIDATION_ERROR = {
    "type": "object",
    "description": "按字段给出的错误（字段名 → 错误说明列表），或 `detail` 给出的整体错误。",
    "additionalProperties": True,
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response" or not self.path.startswith("/api/"):
            return responses
        for code, response in self._error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def _error_responses(self) -> dict[str, OpenApiResponse]:
        errors = {"400": OpenApiResponse(VALIDATION_ERROR, description="输入不合法，未作任何处理")}
        if self.get_auth() and {} not in self.get_auth():
            errors["401"] = OpenApiResponse(ErrorDetail, description="未登录，或令牌无效、已过期")
            errors["403"] = OpenApiResponse(ErrorDetail, description="无权访问该接口或该对象")
        if "{" in self.path or self._paginated():
            errors["404"] = OpenApiResponse(ErrorDetail, description="对象不存在，或不在可见范围内")
        return errors

    def _paginated(self) -> bool:
        return self.method == "GET" and self._is_list_view() and self._get_paginator() is not None
