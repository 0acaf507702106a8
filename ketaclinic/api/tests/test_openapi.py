"""The OpenAPI document describes every request and response truthfully."""

from collections import defaultdict

from ninja import Schema

from ketaclinic.api.api import api


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_api_schemas_share_a_name():
    # The document keys its components by class name: two classes of one name collapse into one, and an endpoint
    # is then documented (and fuzzed) with the other area's shape, e.g. billing's insurance plan for a treatment plan.
    api.get_openapi_schema()  # imports every router and its schemas
    modules = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("ketaclinic."):
            modules[schema.__name__].add(schema.__module__)
    assert {name: sorted(found) for name, found in modules.items() if len(found) > 1} == {}


def test_every_component_is_a_valid_schema_object():
    # OpenAPI 3.1: "items" is one schema, never a list of them (what a tuple annotation produces).
    document = api.get_openapi_schema()

    def walk(node, path):
        if isinstance(node, dict):
            if "items" in node:
                assert isinstance(node["items"], dict), f"{path}.items is {node['items']!r}"
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(document["components"]["schemas"], "components.schemas")
