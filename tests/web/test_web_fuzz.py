"""The JSON API fuzzed from its OpenAPI document (Hypothesis): no input makes it answer 500.

Each read operation's path and query parameters are drawn from its schema (valid values,
values of the wrong type, hostile text and edge numbers), signed with an API token for
workspace 'main'; every answer must be below 500. The plan operation (a write) is fuzzed
with JSON bodies drawn from its schema, some of which plan for real.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from covey.web.accounts import AppDB, secret_key  # noqa: E402

HOSTILE = st.sampled_from(
    ["", " ", "'", "\"; DROP TABLE accounts; --", "<script>alert(1)</script>", "../../etc/passwd", "%00",
     "1e309", "-1", "NaN", "inf", "9" * 40, "instagram:1", "ü" * 300]
)  # fmt: skip


def _values(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values for one parameter: what its schema allows, and what it does not."""
    options: list[st.SearchStrategy[Any]] = [HOSTILE, st.text(max_size=60)]
    for s in schema.get("anyOf", [schema]):
        if "enum" in s:
            options.append(st.sampled_from(s["enum"]))
        if s.get("type") == "integer":
            options.append(st.integers(min_value=-(2**70), max_value=2**70))
        if s.get("type") == "number":
            options.append(st.floats(allow_nan=True, allow_infinity=True))
    return st.one_of(options)


def _requests(doc: dict[str, Any]) -> st.SearchStrategy[str]:
    """URLs of read operations with drawn parameters."""
    ops = [
        (path, op) for path, item in doc["paths"].items() for method, op in item.items() if method == "get"
    ]

    @st.composite
    def draw(d: st.DrawFn) -> str:
        path, op = d(st.sampled_from(ops))
        query = []
        for p in op.get("parameters", []):
            if p["name"] == "ws":
                continue
            if p["in"] == "path":
                path = path.replace(
                    "{" + p["name"] + "}", quote(str(d(_values(p["schema"]))), safe="") or "x"
                )
            elif d(st.booleans()):
                query.append(f"{p['name']}={quote(str(d(_values(p['schema']))), safe='')}")
        return path.replace("{ws}", "main") + ("?" + "&".join(query) if query else "")

    return draw()


def test_no_input_makes_the_api_fail(app_client: TestClient) -> None:
    s = app_client.app.state.covey.settings  # type: ignore[attr-defined]
    db = AppDB(s.app_db(), secret_key(s.secret_key_file()))
    token = db.new_api_token("viewer@example.org", "fuzz")
    db.close()
    headers = {"Authorization": f"Bearer {token}"}
    doc = app_client.get("/api/openapi.json").json()
    seen: set[int] = set()

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    @given(_requests(doc))
    def check(url: str) -> None:
        r = app_client.get(url, headers=headers)
        seen.add(r.status_code)
        assert r.status_code < 500, (url, r.text[:300])

    check()
    assert 200 in seen and (422 in seen or 404 in seen), seen


def _body(doc: dict[str, Any], op: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """JSON bodies for a write operation: each field drawn from its schema, hostile values, or
    a value that plans (so some draws run the whole planner); fields left out at random."""
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
    good = {
        "brief": "crohn's and colitis",
        "budget": 6000,
        "currency": "EUR",
        "min_creators": 2,
        "max_creators": 6,
    }

    @st.composite
    def draw(d: st.DrawFn) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for name, prop in schema["properties"].items():
            pick = d(st.integers(0, 3))
            if pick == 0 and name in good:
                body[name] = good[name]
            elif pick == 1:
                body[name] = d(_values(prop))
            elif pick == 2:
                body[name] = good.get(name, d(_values(prop)))
        return body

    return draw()


def test_no_plan_body_makes_the_api_fail(app_client: TestClient) -> None:
    """POST /api/w/main/plans with bodies drawn from its schema: 200, 4xx, never 500."""
    s = app_client.app.state.covey.settings  # type: ignore[attr-defined]
    db = AppDB(s.app_db(), secret_key(s.secret_key_file()))
    token = db.new_api_token("editor@example.org", "fuzz-plans")
    db.close()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    doc = app_client.get("/api/openapi.json").json()
    op = doc["paths"]["/api/w/{ws}/plans"]["post"]
    seen: set[int] = set()

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    @given(_body(doc, op))
    def check(body: dict[str, Any]) -> None:
        import json

        # NaN and infinities are sent as JSON's non-standard tokens, as a careless client would.
        r = app_client.post("/api/w/main/plans", content=json.dumps(body), headers=headers)
        seen.add(r.status_code)
        assert r.status_code < 500, (body, r.text[:300])

    check()
    assert 200 in seen and (422 in seen or 400 in seen), seen  # some plans ran, some bodies refused
