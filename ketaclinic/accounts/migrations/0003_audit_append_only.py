"""Make the audit trail append-only in the database itself, not only in the ORM."""

from django.db import migrations

from ketaclinic.accounts import db_guards


def forward(apps, schema_editor):
    db_guards.install(schema_editor.connection)


def backward(apps, schema_editor):
    db_guards.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(forward, backward)]
