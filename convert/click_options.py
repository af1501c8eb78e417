"""Groups of click options that reach a command as one object, for commands that share them."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import click

from convert.settings import Kind, Setting

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

        return apply(options)(functools.wraps(func)(command))

    return decorate


def _param_name(option: Decorator) -> str:
    probe = option(lambda: None)
    return str(probe.__click_params__[-1].name)  # type: ignore[attr-defined]


Callback = Callable[[click.Context, click.Parameter, Any], Any]


def setting_option(setting: Setting, callback: Callback | None = None) -> Decorator:
    """The click option of ``setting``, as its declaration says (``convert.settings``)."""
    kwargs: dict[str, Any] = {"help": setting.help}
    match setting.kind:
        case Kind.FLAG:
            kwargs["is_flag"] = True
        case Kind.TEXTS:
            kwargs["multiple"] = True
        case Kind.LIST:
            # Given twice, an option click takes once would keep only its last value, silently.
            kwargs["multiple"] = True
            callback = _joined(callback)
        case Kind.CHOICE:
            kwargs["type"] = click.Choice(setting.choices, case_sensitive=setting.case_sensitive)
        case Kind.SECONDS:
            kwargs["type"] = click.FloatRange(min=0)
        case Kind.POSITIVE_SECONDS:
            kwargs["type"] = click.FloatRange(min=0, min_open=True)
        case Kind.FILE:
            kwargs["type"] = click.Path(dir_okay=False, path_type=Path)
        case Kind.FOLDER:
            kwargs["type"] = click.Path(file_okay=False, path_type=Path)
        case Kind.PATH:
            kwargs["type"] = click.Path(path_type=Path)
        case Kind.COUNT:
            kwargs["type"] = click.IntRange(setting.low, setting.high)
    for name in ("default", "metavar", "callback"):
        value = callback if name == "callback" else getattr(setting, name)
        if name == "default" and setting.kind is Kind.LIST and value is not None:
            value = (value,)
        if value is not None:
            kwargs[name] = value
    if setting.show_default:
        kwargs["show_default"] = True
    if setting.required:
        kwargs["required"] = True
    return click.option(*setting.flags, setting.param_name, **kwargs)


def _joined(callback: Callback | None) -> Callback:
    """A callback giving a repeated list option's values as one comma-separated string (None when
    it was not given and has no default), then ``callback``'s."""

    def join(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> Any:
        text = ",".join(value) if value else None
        return callback(ctx, param, text) if callback is not None else text

    return join


def setting_options(settings: Iterable[Setting], callbacks: Mapping[str, Callback] | None = None) -> list[Decorator]:
    """The click options of ``settings``, in order; ``callbacks`` check or convert values, by setting key."""
    return [setting_option(s, (callbacks or {}).get(s.key)) for s in settings]


def apply(options: list[Decorator]) -> Decorator:
    """One decorator adding ``options`` in order (the first listed first in ``--help``)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate
