"""The campaign web layer's private modules stay behind their packages: every public name of a
service module is re-exported, and every stage's routes are reachable through the one router."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from fastapi.routing import APIRoute

import covey.web.campaign_pages as pages
import covey.web.campaign_services as services


def _stages(package: ModuleType) -> list[ModuleType]:
    return [
        importlib.import_module(f"{package.__name__}.{m.name}")
        for m in pkgutil.iter_modules(package.__path__)
        if m.name.startswith("_")
    ]


def test_every_public_service_name_is_re_exported_once_and_sorted() -> None:
    defined = [
        name
        for module in _stages(services)
        for name, value in vars(module).items()
        if not name.startswith("_")
        and getattr(value, "__module__", module.__name__) == module.__name__
        and (callable(value) or name.isupper())
    ]
    assert sorted(defined) == sorted(services.__all__)
    assert len(set(defined)) == len(defined)
    assert services.__all__ == sorted(
        services.__all__, key=lambda n: (not n.isupper(), not n[0].isupper(), n)
    )
    for name in services.__all__:
        assert getattr(services, name) is not None


def test_every_stage_router_is_reachable_through_the_campaign_router() -> None:
    stages = [m for m in _stages(pages) if hasattr(m, "router")]
    assert len(stages) == 7
    for module in stages:
        for r in module.router.routes:
            assert isinstance(r, APIRoute)
            params = {name: "1" for name in r.param_convertors}
            first = next(x for x in module.router.routes if isinstance(x, APIRoute) and x.name == r.name)
            expected = "/w/x" + first.url_path_for(r.name, **params)
            assert pages.router.url_path_for(r.name, ws="x", **params) == expected, (module.__name__, r.path)
