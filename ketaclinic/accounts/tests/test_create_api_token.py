from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ketaclinic.accounts.models import ApiToken


def test_it_prints_a_token_that_works_and_stores_only_its_digest(client, alice, patient):
    out = StringIO()
    call_command("create_api_token", "alice", stdout=out)
    token = out.getvalue().strip()
    row = ApiToken.objects.get()
    assert token.startswith("kc_") and row.digest != token and row.digest == ApiToken.digest_of(token)
    assert client.get("/api/v1/patients", HTTP_AUTHORIZATION=f"Bearer {token}").json()["count"] == 1


def test_an_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No active user called 'nobody'"):
        call_command("create_api_token", "nobody")
