from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.id_type_mapping import IdTypeMapping
    from ..models.owner import Owner


T = TypeVar("T", bound="AssignmentSource")


@_attrs_define
class AssignmentSource:
    """An assignment source as Statsig stores it: the `data` of every answer that returns one, and each item of a list
    page.

        Attributes:
            name (str): Unique identifier for the assignment source.
            description (str): Detailed context and purpose of the assignment source (`""` when none was given).
            tags (list[str]): Tags for categorization and search (`[]` when none were given).
            sql (str): SQL query defining the data source for assignments.
            timestamp_column (str): Column name representing the timestamp of assignments.
            experiment_id_column (str): Column name for the experiment ID associated with the assignments.
            group_id_column (str): Column name for the group ID linked to the assignments.
            id_type_mapping (list[IdTypeMapping]): Mappings of Statsig units to their respective columns.
            is_verified (bool | Unset): Marks the assignment source as verified for internal trustworthiness.
            group_name_column (str | Unset): Optional column name for the group name linked to the assignments.
            is_read_only (bool | Unset): Specifies if the source can only be edited via the Console API.
            owner (None | Owner | Unset): Schema for owner data including ID, type, name. Note that if Entity is created by
                CONSOLE API, owner will be undefined. May be null.
            team (None | str | Unset): Optional field indicating the team name responsible for the metric, aiding in
                accountability and management.
            team_id (None | str | Unset): Optional field indicating the team ID responsible for the metric, aiding in
                accountability and management.
            scheduled_reload_hour (int | None | Unset): Optional field indicating what UTC hour to run a scheduled scan for
                the assignment source; Statsig answers null when none is set.
    """

    name: str
    description: str
    tags: list[str]
    sql: str
    timestamp_column: str
    experiment_id_column: str
    group_id_column: str
    id_type_mapping: list[IdTypeMapping]
    is_verified: bool | Unset = UNSET
    group_name_column: str | Unset = UNSET
    is_read_only: bool | Unset = UNSET
    owner: None | Owner | Unset = UNSET
    team: None | str | Unset = UNSET
    team_id: None | str | Unset = UNSET
    scheduled_reload_hour: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.owner import Owner  # noqa: PLC0415

        name = self.name

        description = self.description

        tags = self.tags

        sql = self.sql

        timestamp_column = self.timestamp_column

        experiment_id_column = self.experiment_id_column

        group_id_column = self.group_id_column

        id_type_mapping = []
        for id_type_mapping_item_data in self.id_type_mapping:
            id_type_mapping_item = id_type_mapping_item_data.to_dict()
            id_type_mapping.append(id_type_mapping_item)

        is_verified = self.is_verified

        group_name_column = self.group_name_column

        is_read_only = self.is_read_only

        owner: dict[str, Any] | None | Unset
        if isinstance(self.owner, Unset):
            owner = UNSET
        elif isinstance(self.owner, Owner):
            owner = self.owner.to_dict()
        else:
            owner = self.owner

        team: None | str | Unset
        if isinstance(self.team, Unset):
            team = UNSET
        else:
            team = self.team

        team_id: None | str | Unset
        if isinstance(self.team_id, Unset):
            team_id = UNSET
        else:
            team_id = self.team_id

        scheduled_reload_hour: int | None | Unset
        if isinstance(self.scheduled_reload_hour, Unset):
            scheduled_reload_hour = UNSET
        else:
            scheduled_reload_hour = self.scheduled_reload_hour

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "description": description,
                "tags": tags,
                "sql": sql,
                "timestampColumn": timestamp_column,
                "experimentIDColumn": experiment_id_column,
                "groupIDColumn": group_id_column,
                "idTypeMapping": id_type_mapping,
            }
        )
        if is_verified is not UNSET:
            field_dict["isVerified"] = is_verified
        if group_name_column is not UNSET:
            field_dict["groupNameColumn"] = group_name_column
        if is_read_only is not UNSET:
            field_dict["isReadOnly"] = is_read_only
        if owner is not UNSET:
            field_dict["owner"] = owner
        if team is not UNSET:
            field_dict["team"] = team
        if team_id is not UNSET:
            field_dict["teamID"] = team_id
        if scheduled_reload_hour is not UNSET:
            field_dict["scheduledReloadHour"] = scheduled_reload_hour

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.id_type_mapping import IdTypeMapping  # noqa: PLC0415
        from ..models.owner import Owner  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description")

        tags = cast(list[str], d.pop("tags"))

        sql = d.pop("sql")

        timestamp_column = d.pop("timestampColumn")

        experiment_id_column = d.pop("experimentIDColumn")

        group_id_column = d.pop("groupIDColumn")

        id_type_mapping = []
        _id_type_mapping = d.pop("idTypeMapping")
        for id_type_mapping_item_data in _id_type_mapping:
            id_type_mapping_item = IdTypeMapping.from_dict(id_type_mapping_item_data)

            id_type_mapping.append(id_type_mapping_item)

        is_verified = d.pop("isVerified", UNSET)

        group_name_column = d.pop("groupNameColumn", UNSET)

        is_read_only = d.pop("isReadOnly", UNSET)

        def _parse_owner(data: object) -> None | Owner | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                owner_type_0 = Owner.from_dict(data)

                return owner_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Owner | Unset, data)

        owner = _parse_owner(d.pop("owner", UNSET))

        def _parse_team(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        team = _parse_team(d.pop("team", UNSET))

        def _parse_team_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        team_id = _parse_team_id(d.pop("teamID", UNSET))

        def _parse_scheduled_reload_hour(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        scheduled_reload_hour = _parse_scheduled_reload_hour(d.pop("scheduledReloadHour", UNSET))

        assignment_source = cls(
            name=name,
            description=description,
            tags=tags,
            sql=sql,
            timestamp_column=timestamp_column,
            experiment_id_column=experiment_id_column,
            group_id_column=group_id_column,
            id_type_mapping=id_type_mapping,
            is_verified=is_verified,
            group_name_column=group_name_column,
            is_read_only=is_read_only,
            owner=owner,
            team=team,
            team_id=team_id,
            scheduled_reload_hour=scheduled_reload_hour,
        )

        assignment_source.additional_properties = d
        return assignment_source

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
