"""Groups of click options that reach a command as one object, for commands that share them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def option_group(
    options: list[Decorator],
    name: str,
    build: Callable[..., Any],
) -> Decorator:
    """Options that reach the command as one object ``name`` made by ``build`` from their values."""
    keys = [_param_name(option) for option in options]

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        def command(*args: Any, **kwargs: Any) -> Any:
            kwargs[name] = build(**{key: kwargs.pop(key) for key in keys})
            return func(*args, **kwargs)

        decorated: Callable[..., Any] = functools.wraps(func)(command)
        for option in reversed(options):
            decorated = option(decorated)
        return decorated

    return decorate


def _param_name(option: Decorator) -> str:
    probe = option(lambda: None)
    return str(probe.__click_params__[-1].name)  # type: ignore[attr-defined]
