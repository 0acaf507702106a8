"""Append-only records: the ORM refuses to change or delete them; database triggers (``db_guards``) refuse too."""

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Ledger records are append-only; correct a mistake with a reversing entry.")

    def delete(self):
        raise PermissionError("Ledger records are append-only; correct a mistake with a reversing entry.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Ledger records are append-only; correct a mistake with a reversing entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Ledger records are append-only; correct a mistake with a reversing entry.")
