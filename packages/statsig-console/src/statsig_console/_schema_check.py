"""A yes-or-no JSON Schema check, compiled once into closures, that agrees with jsonschema.

jsonschema dispatches keyword by keyword and builds a validator per subschema on every
instance: checking one success body cost about as much as the rest of the layer's work
per call. Closures compiled from the schema for the keywords response schemas use answer
the same question in a tenth of the time (a library that compiles schemas, such as
fastjsonschema, would be a new dependency of the production layer). They only say
whether an instance is valid; what is wrong with an invalid one is still jsonschema's to
say. Any node with a keyword not compiled here is checked by jsonschema itself, so the
verdict is always jsonschema's.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator as Validator

Check = Callable[[Any], bool]


def _is_integer(instance: object) -> bool:
    if isinstance(instance, bool):
        return False
    return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())


def _is_number(instance: object) -> bool:
    return isinstance(instance, numbers.Number) and not isinstance(instance, bool)


# Draft 2020-12's JSON types as jsonschema's type checker has them; calling that checker
# cost more than all the closures below.
_IS_TYPE: dict[str, Check] = {
    "array": lambda instance: isinstance(instance, list),
    "boolean": lambda instance: isinstance(instance, bool),
    "integer": _is_integer,
    "null": lambda instance: instance is None,
    "number": _is_number,
    "object": lambda instance: isinstance(instance, dict),
    "string": lambda instance: isinstance(instance, str),
}


def compile_check(validator: Validator) -> Check:
    """Whether an instance is valid against ``validator``'s schema, as its ``is_valid``."""
    return _Compiler(validator).subschema(validator.schema) or validator.is_valid


class _Compiler:
    def __init__(self, validator: Validator) -> None:
        self._validator = validator
        # What jsonschema would assert in a node; it ignores every other keyword, and
        # "format" too when it is given no format checker.
        self._asserted = frozenset(validator.VALIDATORS) - (
            {"format"} if validator.format_checker is None else set()
        )
        self._compilers: dict[str, Callable[[Any, Mapping[str, Any]], Check | None]] = {
            "type": self._type,
            "properties": self._properties,
            "required": self._required,
            "additionalProperties": self._additional_properties,
            "items": self._items,
            "allOf": self._all_of,
            "anyOf": self._any_of,
            "oneOf": self._one_of,
            "not": self._not,
        }

    def subschema(self, schema: object) -> Check | None:
        """The check of ``schema``; None when it is no schema (its parent is then
        jsonschema's, which treats it as it does)."""
        if schema is True:
            return _valid
        if schema is False:
            return _invalid
        if not isinstance(schema, Mapping):
            return None
        checks = self._node(schema)
        if checks is None:
            return self._validator.evolve(schema=schema).is_valid
        return _every(checks)

    def _node(self, schema: Mapping[str, Any]) -> list[Check] | None:
        """One check per assertion of ``schema``; None when any is not compiled here."""
        checks: list[Check] = []
        for keyword, value in schema.items():
            compiler = self._compilers.get(keyword)
            if compiler is None:
                # "$" keywords ($ref, $id, $defs, $anchor, ...) change how references
                # resolve, so they are left to jsonschema too.
                if keyword in self._asserted or (keyword.startswith("$") and keyword != "$comment"):
                    return None
                continue
            check = compiler(value, schema)
            if check is None:
                return None
            checks.append(check)
        return checks

    def _subschemas(self, value: object) -> list[Check] | None:
        if not isinstance(value, list):
            return None
        checks: list[Check] = []
        for each in value:
            check = self.subschema(each)
            if check is None:
                return None
            checks.append(check)
        return checks

    def _type(self, value: object, schema: Mapping[str, Any]) -> Check | None:
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(
            isinstance(name, str) and name in _IS_TYPE for name in names
        ):
            return None  # jsonschema raises UnknownType for those: let it
        if len(names) == 1:
            return _IS_TYPE[names[0]]
        each = [_IS_TYPE[name] for name in names]
        return lambda instance: any(is_type(instance) for is_type in each)

    def _properties(self, value: object, schema: Mapping[str, Any]) -> Check | None:
        if not isinstance(value, Mapping):
            return None
        subschemas = self._subschemas(list(value.values()))
        if subschemas is None:
            return None
        checks = list(zip(value, subschemas, strict=True))

        def properties(instance: object) -> bool:
            if isinstance(instance, dict):
                for name, check in checks:
                    if name in instance and not check(instance[name]):
                        return False
            return True

        return properties

    def _required(self, value: object, schema: Mapping[str, Any]) -> Check | None:
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            return None
        names = frozenset(value)
        return lambda instance: not isinstance(instance, dict) or names <= instance.keys()

    def _additional_properties(self, value: object, schema: Mapping[str, Any]) -> Check | None:
        # Beside patternProperties (not compiled) the node is jsonschema's anyway.
        declared = schema.get("properties", {})
        check = self.subschema(value)
        if not isinstance(declared, Mapping) or check is None:
            return None
        named = frozenset(declared)

        def additional_properties(instance: object) -> bool:
            if isinstance(instance, dict):
                for name, each in instance.items():
                    if name not in named and not check(each):
                        return False
            return True

        return additional_properties

    def _items(self, value: object, schema: Mapping[str, Any]) -> Check | None:
        # Beside prefixItems (not compiled) the node is jsonschema's anyway.
        check = self.subschema(value)
        if check is None:
            return None

        def items(instance: object) -> bool:
            if isinstance(instance, list):
                for item in instance:
                    if not check(item):
                        return False
            return True

        return items

    def _all_of(self, value: object, schema: Mapping[str, Any]) -> Check | None:
        checks = self._subschemas(value)
        return None if checks is None else _every(checks)

    def _any_of(self, value: object, schema: Mapping[str, Any]) -> Check | None:
        checks = self._subschemas(value)
        if checks is None:
            return None
        return lambda instance: any(check(instance) for check in checks)

    def _one_of(self, value: object, schema: Mapping[str, Any]) -> Check | None:
        checks = self._subschemas(value)
        if checks is None:
            return None
        return lambda instance: sum(1 for check in checks if check(instance)) == 1

    def _not(self, value: object, schema: Mapping[str, Any]) -> Check | None:
        check = self.subschema(value)
        if check is None:
            return None
        return lambda instance: not check(instance)


def _every(checks: list[Check]) -> Check:
    if not checks:
        return _valid
    if len(checks) == 1:
        return checks[0]

    def every(instance: object) -> bool:
        # A loop, not all() over a generator: this runs for every node of every body.
        for check in checks:  # noqa: SIM110
            if not check(instance):
                return False
        return True

    return every


def _valid(instance: object) -> bool:
    return True


def _invalid(instance: object) -> bool:
    return False
