"""The layer registry: every layer type is declared once, and everything else reads that entry.

The palette, the inspector, shape inference, the compiler, code export and the project file
all look layer types up here, so adding a layer is adding one :class:`LayerSpec` (plus its
tests). Type ids are namespaced (``"core.linear"``) and never reused; a renamed type keeps
its old id through :func:`register_alias` so old projects still load.

Example::

    from app.core.graph.registry import LayerSpec, ParamSpec, PortSpec, register_layer

    def _rule(params, inputs):
        (shape,) = inputs
        return shape                      # output shape, or raise ShapeError("why")

    def _build(params, inputs):
        import torch.nn as nn             # torch only when a model is really built
        return nn.Hardswish()

    register_layer(LayerSpec(
        type_id="act.hardswish", display_name="Hardswish", category="Activation",
        description="A cheap smooth activation used in mobile networks.",
        params=(), shape_rule=_rule, build=_build,
        count_params=no_params, count_flops=no_flops, id_prefix="hardswish",
    ))

This module never imports torch: builders import it when they run, so the GUI can edit and
check graphs without paying for torch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from app.core.graph.errors import InvalidParamError, RegistryError, UnknownLayerError

Shape = tuple  # ("B", 64, 14, 14): the batch dimension is the string "B", the rest are ints
ShapeRule = Callable[[Mapping[str, Any], Sequence[Shape]], Shape]
Builder = Callable[[Mapping[str, Any], Sequence[Shape]], Any]
Counter = Callable[[Mapping[str, Any], Sequence[Shape], Shape], int]

#: The largest whole number a parameter may hold (floats stop being exact above it).
MAX_WHOLE_NUMBER = 2**53

PARAM_TYPES = ("int", "float", "bool", "choice", "str", "int-list", "node")
_TYPE_ID = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")  # fullmatch only
_PARAM_NAME = re.compile(r"[a-z][a-z0-9_]*")


def no_params(params: Mapping[str, Any], inputs: Sequence[Shape], output: Shape) -> int:
    """Parameter counter for layers without learnable weights."""
    return 0


def no_flops(params: Mapping[str, Any], inputs: Sequence[Shape], output: Shape) -> int:
    """FLOP counter for layers that do no multiply-adds worth counting."""
    return 0


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of a layer type, as the inspector shows it and the file stores it.

    ``type`` is one of int, float, bool, choice, str, int-list, node (the id of another
    node, e.g. the Embedding an LM head shares its weights with; "" means none).
    """

    name: str
    type: str
    default: Any
    help: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    label: str | None = None

    @property
    def display_name(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    def coerce(self, value: Any) -> Any:
        """Return ``value`` in this parameter's type, or raise InvalidParamError saying why."""
        t = self.type
        if t == "bool":
            if isinstance(value, bool):
                return value
            raise InvalidParamError(f"'{self.name}' must be true or false, not {value!r}.")
        if t == "int":
            value = self._as_int(value, self.name)
            self._check_range(value)
            return value
        if t == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InvalidParamError(f"'{self.name}' must be a number, not {value!r}.")
            value = float(value)
            self._check_range(value)
            return value
        if t == "choice":
            if value not in (self.choices or ()):
                raise InvalidParamError(
                    f"'{self.name}' must be one of {', '.join(self.choices or ())}, not {value!r}."
                )
            return value
        if t in ("str", "node"):
            if not isinstance(value, str):
                raise InvalidParamError(f"'{self.name}' must be text, not {value!r}.")
            return value
        if t == "int-list":
            if not isinstance(value, (list, tuple)):
                raise InvalidParamError(f"'{self.name}' must be a list of whole numbers, not {value!r}.")
            items = [self._as_int(v, self.name) for v in value]
            for v in items:
                self._check_range(v)
            return items
        raise InvalidParamError(f"'{self.name}' has an unknown parameter type '{t}'.")

    @staticmethod
    def _as_int(value: Any, name: str) -> int:
        if isinstance(value, bool):
            raise InvalidParamError(f"'{name}' must be a whole number, not {value!r}.")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            # Beyond 2**53 a JSON number is no longer an exact whole number (1e308 is 309 digits),
            # and no layer size, count or id comes near it.
            if abs(value) > MAX_WHOLE_NUMBER:
                shown = f"{value:.3g}" if abs(value) < 1e307 else f"a {int(value.bit_length() * 0.30103) + 1}-digit number"
                raise InvalidParamError(f"'{name}' is {shown}, far too large; whole-number settings must "
                                        f"be at most {MAX_WHOLE_NUMBER:,}.")
            return value
        raise InvalidParamError(f"'{name}' must be a whole number, not {value!r}.")

    def _check_range(self, value: float) -> None:
        if self.min is not None and value < self.min:
            raise InvalidParamError(f"'{self.name}' must be at least {_num(self.min)}, not {_num(value)}.")
        if self.max is not None and value > self.max:
            raise InvalidParamError(f"'{self.name}' must be at most {_num(self.max)}, not {_num(value)}.")


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


@dataclass(frozen=True)
class PortSpec:
    """An input port. A variadic port (merges) takes two or more edges, in edge order."""

    name: str = "in"
    variadic: bool = False


@dataclass(frozen=True)
class LayerSpec:
    """Everything the app knows about one layer type.

    * ``shape_rule(params, input_shapes) -> output_shape`` raises ShapeError with a
      plain-words message when the inputs do not fit.
    * ``build(params, input_shapes) -> torch.nn.Module``; sizes such as ``in_features``
      come from the input shapes, never from the user. The module's ``forward`` takes one
      tensor per connected input edge, in port then edge order.
    * ``count_params`` / ``count_flops(params, input_shapes, output_shape) -> int``:
      learnable parameters and multiply-adds per sample, computed without torch.
    * ``check_refs(params, input_shapes, referenced)``: optional, for ``node`` parameters;
      ``referenced`` maps the parameter name to ``(type_id, params)`` of the named node.
    * ``after_build(module, params, modules)``: optional, links a built module to others
      (weight tying); ``modules`` maps node ids to built modules.
    """

    type_id: str
    display_name: str
    category: str
    description: str
    params: tuple[ParamSpec, ...]
    shape_rule: ShapeRule | None
    build: Builder | None
    count_params: Counter | None
    count_flops: Counter | None
    id_prefix: str
    inputs: tuple[PortSpec, ...] = (PortSpec("in"),)
    outputs: tuple[str, ...] = ("out",)
    check_refs: Callable[..., None] | None = None
    after_build: Callable[..., None] | None = None
    _param_index: dict = field(default_factory=dict, repr=False, compare=False)

    def param(self, name: str) -> ParamSpec:
        return self._param_index[name]

    def has_param(self, name: str) -> bool:
        return name in self._param_index

    def port(self, name: str) -> PortSpec | None:
        for p in self.inputs:
            if p.name == name:
                return p
        return None

    def default_params(self) -> dict[str, Any]:
        return {p.name: _copy(p.default) for p in self.params}


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, (list, tuple)) else value


_SPECS: dict[str, LayerSpec] = {}
_ALIASES: dict[str, str] = {}
_builtins_loaded = False


def _ensure_builtins() -> None:
    """Import the built-in layer families once (they register themselves on import)."""
    global _builtins_loaded
    if not _builtins_loaded:
        _builtins_loaded = True
        import app.core.graph.layers  # noqa: F401  (registers every built-in layer)


def register_layer(spec: LayerSpec) -> LayerSpec:
    """Add a layer type; refuses incomplete entries and ids that are taken."""
    _ensure_builtins()  # built-ins first, so palette order and id clashes do not depend on import order
    where = f"Layer type '{spec.type_id}'"
    if not _TYPE_ID.fullmatch(spec.type_id or ""):
        raise RegistryError(f"{where}: ids are namespaced lowercase words like 'core.linear'.")
    if spec.type_id in _SPECS or spec.type_id in _ALIASES:
        raise RegistryError(f"{where} is already registered; type ids are never reused.")
    for attr in ("display_name", "category", "description", "id_prefix"):
        if not getattr(spec, attr):
            raise RegistryError(f"{where} has no {attr.replace('_', ' ')}.")
    for attr in ("shape_rule", "build", "count_params", "count_flops"):
        if not callable(getattr(spec, attr)):
            raise RegistryError(f"{where} has no {attr.replace('_', ' ')} (every layer needs one).")
    if spec.outputs != ("out",):
        raise RegistryError(f"{where}: layers have exactly one output port named 'out'.")
    port_names = [p.name for p in spec.inputs]
    if len(set(port_names)) != len(port_names):
        raise RegistryError(f"{where} declares an input port twice.")
    index: dict[str, ParamSpec] = {}
    for p in spec.params:
        if not _PARAM_NAME.fullmatch(p.name) or p.name in index:
            raise RegistryError(f"{where}: parameter name '{p.name}' is malformed or repeated.")
        if p.type not in PARAM_TYPES:
            raise RegistryError(f"{where}: parameter '{p.name}' has unknown type '{p.type}'.")
        if p.type == "choice" and not p.choices:
            raise RegistryError(f"{where}: choice parameter '{p.name}' lists no choices.")
        if not p.help:
            raise RegistryError(f"{where}: parameter '{p.name}' has no help text.")
        try:
            p.coerce(p.default)
        except InvalidParamError as exc:
            raise RegistryError(f"{where}: default of '{p.name}' is invalid: {exc}") from exc
        index[p.name] = p
    spec._param_index.update(index)
    _SPECS[spec.type_id] = spec
    return spec


def register_alias(old_id: str, new_id: str) -> None:
    """Keep an old type id loading after a rename: ``old_id`` now means ``new_id``."""
    if old_id in _SPECS or old_id in _ALIASES:
        raise RegistryError(f"Layer type '{old_id}' is already registered; type ids are never reused.")
    if new_id not in _SPECS:
        raise RegistryError(f"Cannot alias '{old_id}' to unknown layer type '{new_id}'.")
    _ALIASES[old_id] = new_id


def resolve_type_id(type_id: str) -> str:
    """The current id for ``type_id`` (follows aliases)."""
    return get_layer_spec(type_id).type_id


def get_layer_spec(type_id: str) -> LayerSpec:
    """The entry for ``type_id`` (or its alias); unknown ids raise UnknownLayerError."""
    spec = _SPECS.get(type_id)
    if spec is not None:
        return spec
    _ensure_builtins()
    seen = 0
    while type_id in _ALIASES and seen < 16:
        type_id = _ALIASES[type_id]
        seen += 1
    spec = _SPECS.get(type_id)
    if spec is None:
        raise UnknownLayerError(
            f"Unknown layer type '{type_id}'. It may come from a newer version of Modelwright; "
            "update the app or replace the node."
        )
    return spec


def layer_specs() -> list[LayerSpec]:
    """All layer types in palette order (the order they were registered)."""
    _ensure_builtins()
    return list(_SPECS.values())


def aliases() -> dict[str, str]:
    """Old type id -> current type id."""
    _ensure_builtins()
    return dict(_ALIASES)


def normalize_params(spec: LayerSpec, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Defaults filled in and values checked; raises UnknownParamError / InvalidParamError.

    The messages do not name the node; :class:`~app.core.graph.graph.Graph` adds it.
    """
    from app.core.graph.errors import UnknownParamError

    out = spec.default_params()
    for name, value in (params or {}).items():
        if not spec.has_param(name):
            known = ", ".join(p.name for p in spec.params) or "none"
            raise UnknownParamError(
                f"{spec.display_name} has no parameter '{name}' (its parameters: {known})."
            )
        out[name] = spec.param(name).coerce(value)
    return out
