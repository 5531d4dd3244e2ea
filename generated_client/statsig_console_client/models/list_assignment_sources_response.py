from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.assignment_source import AssignmentSource
    from ..models.pagination import Pagination


T = TypeVar("T", bound="ListAssignmentSourcesResponse")


@_attrs_define
class ListAssignmentSourcesResponse:
    """The body of a successful (200) List Assignment Sources response.

    Attributes:
        message (str): A simple string explaining the result of the operation. Statsig's own example names another
            entity, so do not depend on its text.
        data (list[AssignmentSource]): The sources of this page.
        pagination (Pagination): Where a list page sits. The counts are JSON numbers, as Statsig's document types them
            (not integers). `nextPage` and `previousPage` are relative URLs, or null on the last and first page.
    """

    message: str
    data: list[AssignmentSource]
    pagination: Pagination
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
                "data": data,
                "pagination": pagination,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.assignment_source import AssignmentSource  # noqa: PLC0415
        from ..models.pagination import Pagination  # noqa: PLC0415

        d = dict(src_dict)
        message = d.pop("message")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = AssignmentSource.from_dict(data_item_data)

            data.append(data_item)

        pagination = Pagination.from_dict(d.pop("pagination"))

        list_assignment_sources_response = cls(
            message=message,
            data=data,
            pagination=pagination,
        )

        list_assignment_sources_response.additional_properties = d
        return list_assignment_sources_response

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
