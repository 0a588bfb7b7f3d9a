"""Methods that forward to functions: the signature, types and docstring written once.

:class:`~geoconflict.Conflict`'s methods call the public functions with the conflict as
their first argument. :func:`method_of` makes such a method from the function itself, so an
option added to the function is an option of the method, with the same default, type and
documentation (``help(conflict.territories)`` and ``inspect.signature`` show the function's
parameters, without ``conflict``).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

__all__ = ["method_of"]

P = ParamSpec("P")
R = TypeVar("R")


def method_of(function: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """A method calling ``function(self, ...)``, with ``function``'s signature and docstring.

    Examples
    --------
    >>> def area(shape, *, unit="km2"):
    ...     '''Area of a shape.'''
    ...     return f"{shape.name} in {unit}"
    >>> class Shape:
    ...     name = "square"
    ...     area = method_of(area)
    >>> Shape().area(unit="m2")
    'square in m2'
    >>> import inspect
    >>> str(inspect.signature(Shape().area))
    "(*, unit='km2')"
    """

    @functools.wraps(function)
    def method(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return function(self, *args, **kwargs)

    name = getattr(function, "__name__", "function")
    method.__doc__ = (
        f"The conflict's :func:`geoconflict.{name}` (the conflict is its first argument).\n\n"
        + inspect.cleandoc(function.__doc__ or "")
    )
    return method
