"""Public names report their public module (private).

Each public package calls :func:`publish` at the end of its ``__init__``: the
classes and functions in its ``__all__`` that are defined in one of its
private modules (``contractcore.pricing._period``) then report the package
(``contractcore.pricing``) as their ``__module__``, so reprs, pickles and the
API reference show the path people import from.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
from typing import Any, ForwardRef

__all__ = ["DEFINED_IN", "publish"]

#: Where each moved name was written: ``{"contractcore.pricing.Service":
#: "contractcore.pricing._service"}`` (the docstring examples run there).
DEFINED_IN: dict[str, str] = {}


def _resolve_annotations(cls: type, module: str) -> None:
    """Evaluate ``cls``'s string annotations where it was written.

    ``typing.get_type_hints`` reads a class's string annotations in the module
    named by ``__module__``; once that is the public package, names the private
    module imported (``Decimal``, ``date``) would be missing there. An
    annotation that cannot be evaluated yet (a name imported only for type
    checking) stays a string.
    """
    annotations = inspect.get_annotations(cls)
    if not annotations:
        return
    namespace = vars(sys.modules[module])
    resolved: dict[str, Any] = {}
    for name, written in annotations.items():
        resolved[name] = written
        text = written.__forward_arg__ if isinstance(written, ForwardRef) else written
        if isinstance(text, str):  # a NamedTuple holds ForwardRefs, other classes strings
            # A name imported only for type checking stays as written (resolved later, or never).
            with contextlib.suppress(Exception):
                resolved[name] = eval(text, dict(namespace))
    cls.__annotations__ = resolved


def _keep_method_examples(cls: type, module: str) -> None:
    """List ``cls``'s methods with examples in ``module.__test__``.

    A doctest finder looks for a class's methods in the module the class
    reports, and skips those whose globals are another module's: listed in
    the module they were written in, their examples still run there.
    """
    tests: dict[str, object] = vars(sys.modules[module]).setdefault("__test__", {})
    for attribute, value in vars(cls).items():
        function = getattr(value, "__func__", value)  # a staticmethod or classmethod
        if inspect.isfunction(function) and ">>>" in (function.__doc__ or ""):
            tests.setdefault(f"{cls.__name__}.{attribute}", function)


def publish(package: str) -> None:
    """Make the names in ``package.__all__`` from its private modules report ``package``."""
    namespace = vars(sys.modules[package])
    private = f"{package}._"
    for name in namespace.get("__all__", ()):
        obj = namespace.get(name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        module = getattr(obj, "__module__", None)
        if not isinstance(module, str) or not module.startswith(private):
            continue
        if inspect.isclass(obj):
            _resolve_annotations(obj, module)
            _keep_method_examples(obj, module)
            for parameter in getattr(obj, "__parameters__", ()):  # Versioned[T]: T too
                if parameter.__module__.startswith(private):
                    parameter.__module__ = package
        obj.__module__ = package
        DEFINED_IN[f"{package}.{name}"] = module
