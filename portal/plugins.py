"""Plug-in registries in the manner of Open Forms' ``plugins/registry.py``: classes register
under a name with ``@plugins.register("name")``; the portal looks them up by name (the identity
providers of the proactive offers, the couriers)."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class Plugins(Generic[T]):
    """The classes of one kind of plug-in, by name (kept on the class as ``attribute``)."""

    def __init__(self, kind: str, attribute: str = "name") -> None:
        self.kind = kind
        self.attribute = attribute
        self._classes: dict[str, type[T]] = {}

    def register(self, name: str):
        """Class decorator: make ``cls`` available as the plug-in ``name``."""

        def decorator(cls: type[T]) -> type[T]:
            if name in self._classes and self._classes[name] is not cls:
                raise ValueError(f"{self.kind} {name!r} is already registered")
            setattr(cls, self.attribute, name)
            self._classes[name] = cls
            return cls

        return decorator

    def unregister(self, name: str) -> None:
        self._classes.pop(name, None)

    def __getitem__(self, name: str) -> type[T]:
        try:
            return self._classes[name]
        except KeyError:
            raise LookupError(f"no {self.kind} {name!r}; known: {self.names()}") from None

    def names(self) -> list[str]:
        return list(self._classes)

    def classes(self) -> list[type[T]]:
        return list(self._classes.values())
