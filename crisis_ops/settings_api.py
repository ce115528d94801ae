"""The API's and the logs' settings, apart from settings.py because they are long and change
for their own reasons (the API contract, what a log line may hold). settings.py calls these
with the values it reads from the environment."""

from __future__ import annotations

from typing import Any


def rest_framework(*, num_proxies: int) -> dict[str, Any]:
    """DRF: token or session, verified users only, JSON in and out, our errors and pages."""
    return {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            # Token first, so an anonymous call gets 401 with WWW-Authenticate, not 403.
            "crisis_ops.accounts.authentication.ApiTokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": ["crisis_ops.core.api.IsVerifiedUser"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        # JSON only (the API contract), with a bound on nesting; no form or multipart bodies.
        "DEFAULT_PARSER_CLASSES": ["crisis_ops.core.api.JSONParser"],
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        "EXCEPTION_HANDLER": "crisis_ops.core.api.exception_handler",
        "DEFAULT_PAGINATION_CLASS": "crisis_ops.core.api.Pagination",
        "PAGE_SIZE": 50,
        "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
        "NUM_PROXIES": num_proxies,
    }


def spectacular() -> dict[str, Any]:
    """The OpenAPI schema: every error status documented, enums named apart."""
    return {
        "TITLE": "Crisis Ops API",
        "DESCRIPTION": "Case tracking for domestic-violence crisis centers. Errors are "
        '{"detail": ..., "errors": {field: [...]}}.',
        "VERSION": "1.0.0",
        "SERVE_INCLUDE_SCHEMA": False,
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
        "COMPONENT_SPLIT_REQUEST": True,
        # Choice sets of one field name in several models: each gets a name of its own.
        "ENUM_NAME_OVERRIDES": {
            "ApiTokenScopeEnum": "crisis_ops.accounts.models.ApiTokenScope",
            "ConsentScopeEnum": "cases.models.choices.ConsentScope",
            "CaseStatusEnum": "cases.models.Case.Status",
            "SourceEnum": "cases.models.choices.Source",
            "HotlineSourceEnum": "cases.models.hotline.HOTLINE_SOURCE_CHOICES",
            "ViolenceTypeEnum": "cases.models.choices.ViolenceType",
            "ReportExportStatusEnum": "crisis_ops.report_exports.models.ReportExport.Status",
        },
        "POSTPROCESSING_HOOKS": [
            "drf_spectacular.hooks.postprocess_schema_enums",
            "crisis_ops.core.schema.document_error_responses",
            "crisis_ops.core.schema.add_idempotency_key_header",
        ],
    }


def logging_config(*, level: str) -> dict[str, Any]:
    """One line per record with its request id; runserver's request lines redacted."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "crisis_ops.core.middleware.RequestIdLogFilter"},
            "redact_query": {"()": "crisis_ops.core.privacy.RedactQueryLogFilter"},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "filters": ["request_id"],
            },
            "server": {"class": "logging.StreamHandler", "filters": ["redact_query"]},
        },
        "root": {"handlers": ["console"], "level": level},
        # runserver's request lines (make run): no name, IIN or phone from a query string.
        "loggers": {
            "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
        },
    }
