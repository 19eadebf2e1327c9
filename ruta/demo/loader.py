"""Find the apps' demo modules, in ``INSTALLED_APPS`` order, without naming any app.

An app takes part by having a ``demo`` module with ``load_demo()`` and, if it can take
its data away again, ``remove_demo()`` (see ``ruta.lib.demo``). Loading runs from the
bottom layer up (organizations and accounts first); removal runs the other way.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from ruta.lib.demo import Described


def demo_modules() -> list[ModuleType]:
    """The ``demo`` module of every Ruta app that has one, in ``INSTALLED_APPS`` order."""
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("ruta.") and module_has_submodule(config.module, "demo"):
            modules.append(import_module(f"{config.name}.demo"))
    return modules


def loaders() -> list[Callable[[], Described]]:
    return [module.load_demo for module in demo_modules() if hasattr(module, "load_demo")]


def removers() -> list[Callable[[], Described]]:
    """Each app's ``remove_demo``, top layer first, so nothing is deleted under a reference."""
    modules = reversed(demo_modules())
    return [module.remove_demo for module in modules if hasattr(module, "remove_demo")]
