from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="IdTypeMapping")


@_attrs_define
class IdTypeMapping:
    """Which column of the query holds the ID of one Statsig unit type.

    Attributes:
        statsig_unit_id (str): ID for the Statsig unit.
        column (str): Column name associated with the ID type mapping.
    """

    statsig_unit_id: str
    column: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        statsig_unit_id = self.statsig_unit_id

        column = self.column

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "statsigUnitID": statsig_unit_id,
                "column": column,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        statsig_unit_id = d.pop("statsigUnitID")

        column = d.pop("column")

        id_type_mapping = cls(
            statsig_unit_id=statsig_unit_id,
            column=column,
        )

        id_type_mapping.additional_properties = d
        return id_type_mapping

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
