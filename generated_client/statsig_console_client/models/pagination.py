from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Pagination")


@_attrs_define
class Pagination:
    """Where a list page sits. The counts are JSON numbers, as Statsig's document types them (not integers). `nextPage` and
    `previousPage` are relative URLs, or null on the last and first page.

        Attributes:
            items_per_page (float): How many sources a page holds.
            page_number (float): The number of this page, counted from 1.
            next_page (None | str): The relative URL of the next page, or null on the last page.
            previous_page (None | str): The relative URL of the previous page, or null on the first page.
            total_items (float | Unset): How many sources the project has in all; Statsig may leave it out.
            all_ (str | Unset): The relative URL of the whole collection; Statsig may leave it out.
    """

    items_per_page: float
    page_number: float
    next_page: None | str
    previous_page: None | str
    total_items: float | Unset = UNSET
    all_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items_per_page = self.items_per_page

        page_number = self.page_number

        next_page: None | str
        next_page = self.next_page

        previous_page: None | str
        previous_page = self.previous_page

        total_items = self.total_items

        all_ = self.all_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "itemsPerPage": items_per_page,
                "pageNumber": page_number,
                "nextPage": next_page,
                "previousPage": previous_page,
            }
        )
        if total_items is not UNSET:
            field_dict["totalItems"] = total_items
        if all_ is not UNSET:
            field_dict["all"] = all_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        items_per_page = d.pop("itemsPerPage")

        page_number = d.pop("pageNumber")

        def _parse_next_page(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_page = _parse_next_page(d.pop("nextPage"))

        def _parse_previous_page(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_page = _parse_previous_page(d.pop("previousPage"))

        total_items = d.pop("totalItems", UNSET)

        all_ = d.pop("all", UNSET)

        pagination = cls(
            items_per_page=items_per_page,
            page_number=page_number,
            next_page=next_page,
            previous_page=previous_page,
            total_items=total_items,
            all_=all_,
        )

        pagination.additional_properties = d
        return pagination

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
