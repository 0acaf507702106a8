import pytest

from ketaclinic.accounts.models import ApiToken


@pytest.fixture
def api(client):
    """api(user) -> a function calling /api/v1/ with that user's fresh personal token."""

    def for_user(user, kind=ApiToken.Kind.PERSONAL):
        _, token = ApiToken.issue(user, kind=kind)

        def call(method, path, json=None):
            kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
            if json is not None:
                kwargs.update(data=json, content_type="application/json")
            return getattr(client, method)(f"/api/v1{path}", **kwargs)

        return call

    return for_user
