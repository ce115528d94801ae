import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crisis_ops.settings")
application = get_wsgi_application()

from crisis_ops.encryption.keys import require_keyring_in_production  # noqa: E402

require_keyring_in_production()
