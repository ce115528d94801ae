from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from crisis_ops.encryption.keys import get_keyring


@checks.register(checks.Tags.security)
def keyring_is_configured(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        get_keyring()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="encryption.E010")]
    return []
