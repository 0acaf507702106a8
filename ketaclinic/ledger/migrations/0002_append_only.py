"""Make the ledger's records append-only in the database itself, not only in the ORM."""

from django.db import migrations

from ketaclinic.ledger import db_guards


def forward(apps, schema_editor):
    db_guards.install(schema_editor.connection)


def backward(apps, schema_editor):
    db_guards.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
