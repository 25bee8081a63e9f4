"""OpenAPI generation: every operation documents the error responses it can give, in the
one error shape, so that generated clients and schemathesis know them."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorResponseSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. `invalid`.")
    message = serializers.CharField(help_text="What went wrong, in words a person can act on.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; nested rows are dotted (`risks.2.owner`).",
    )
    current_version = serializers.IntegerField(
        required=False, help_text="On 412 only: the version the object is at now."
    )

    class Meta:
        ref_name = "ErrorResponse"


ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `errors` names each field at fault.",
    "401": "Not authenticated: send a token or sign in.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "No such object, or not visible to you.",
    "409": "The object's current state refuses this operation.",
    "412": "The version you based this update on is no longer current; nothing changed.",
    "413": "The request body is too large.",
    "415": "The body's Content-Type is not one this operation accepts.",
    "428": "The update must state the version it is based on (If-Match or `version`).",
    "429": "Too many requests: wait the number of seconds in Retry-After, then try again.",
}


class RegistryAutoSchema(AutoSchema):
    #: Extra error codes a view may declare, e.g. ("409", "412", "428").
    def _extra_error_codes(self) -> tuple[str, ...]:
        return tuple(getattr(self.view, "extra_error_codes", ()))

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = ["400", "401", "403"]
        if "{" in self.path:
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH"):
            codes.extend(["413", "415"])
        codes.extend(self._extra_error_codes())
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorResponseSerializer, code, direction=direction
                )
                responses[code]["description"] = ERROR_DESCRIPTIONS[code]
        return responses
