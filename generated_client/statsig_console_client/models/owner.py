from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Owner")


@_attrs_define
class Owner:
    """Schema for owner data including ID, type, name. Note that if Entity is created by CONSOLE API, owner will be
    undefined.

        Attributes:
            owner_id (str | Unset): ID of the owner
            owner_type (str | Unset): Type of the owner (e.g., SDK_KEY or USER)
            owner_name (str | Unset): The name of the owner. This field is optional.
            owner_email (str | Unset): The email of the owner. This field is optional.
    """

    owner_id: str | Unset = UNSET
    owner_type: str | Unset = UNSET
    owner_name: str | Unset = UNSET
    owner_email: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        owner_id = self.owner_id

        owner_type = self.owner_type

        owner_name = self.owner_name

        owner_email = self.owner_email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if owner_id is not UNSET:
            field_dict["ownerID"] = owner_id
        if owner_type is not UNSET:
            field_dict["ownerType"] = owner_type
        if owner_name is not UNSET:
            field_dict["ownerName"] = owner_name
        if owner_email is not UNSET:
            field_dict["ownerEmail"] = owner_email

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        owner_id = d.pop("ownerID", UNSET)

        owner_type = d.pop("ownerType", UNSET)

        owner_name = d.pop("ownerName", UNSET)

        owner_email = d.pop("ownerEmail", UNSET)

        owner = cls(
            owner_id=owner_id,
            owner_type=owner_type,
            owner_name=owner_name,
            owner_email=owner_email,
        )

        owner.additional_properties = d
        return owner

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
