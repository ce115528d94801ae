from django.db import models


class RotationCheckpoint(models.Model):
    """How far key rotation got through one model, so an interrupted run resumes there."""

    model_label = models.CharField(max_length=100, unique=True)
    data_key = models.CharField(max_length=32)
    blind_index_key = models.CharField(max_length=32)
    last_pk = models.UUIDField(null=True)
    rows_done = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.model_label}: {self.rows_done} rows"


class KeyState(models.Model):
    """Which blind-index root the stored tokens were built with (an id, never a key)."""

    name = models.CharField(max_length=32, primary_key=True)
    key_id = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.name}={self.key_id}"
