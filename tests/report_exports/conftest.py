import uuid

import pytest

from crisis_ops.report_exports import services
from tests.reports.exports.factories import published


@pytest.fixture(autouse=True)
def _private_export_dir(settings, tmp_path):
    settings.REPORT_EXPORT_DIR = tmp_path / "report-exports"
    return settings.REPORT_EXPORT_DIR


@pytest.fixture
def export_for(django_capture_on_commit_callbacks):
    """export_for(user, "pdf") -> a job built by the (eager) Celery task, as after a request."""

    def make(user, format="pdf", *, run_id=None, build=True):
        with django_capture_on_commit_callbacks(execute=build):
            export = services.export_request(
                actor=user, run_id=run_id or uuid.uuid4(), report=published(), format=format
            )
        export.refresh_from_db()
        return export

    return make
