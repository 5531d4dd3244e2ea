from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.id_type_mapping import IdTypeMapping
    from ..models.owner import Owner


T = TypeVar("T", bound="AssignmentSourceUpdate")


@_attrs_define
class AssignmentSourceUpdate:
    """The body of an Update Assignment Source request: the whole source. `name`, when given, is the source's new name.

    Attributes:
        sql (str): SQL query defining the data source for assignments.
        timestamp_column (str): Column name representing the timestamp of assignments.
        experiment_id_column (str): Column name for the experiment ID associated with the assignments.
        group_id_column (str): Column name for the group ID linked to the assignments.
        id_type_mapping (list[IdTypeMapping]): Mappings of Statsig units to their respective columns.
        name (str | Unset): The new name of the assignment source (how a source is renamed); leave it out to keep the
            name.
        description (str | Unset): Detailed context for the assignment source.
        is_verified (bool | Unset): Marks the assignment source as verified for internal trustworthiness.
        tags (list[str] | Unset): Tags for categorization.
        is_read_only (bool | Unset): Specifies if the source can only be edited via the Console API.
        owner (None | Owner | Unset): Schema for owner data including ID, type, name. May be null.
        team (None | str | Unset): The team name responsible for the source.
        team_id (None | str | Unset): The team ID responsible for the source.
        dry_run (bool | Unset): Validates the input and changes nothing.
    """

    sql: str
    timestamp_column: str
    experiment_id_column: str
    group_id_column: str
    id_type_mapping: list[IdTypeMapping]
    name: str | Unset = UNSET
    description: str | Unset = UNSET
    is_verified: bool | Unset = UNSET
    tags: list[str] | Unset = UNSET
    is_read_only: bool | Unset = UNSET
    owner: None | Owner | Unset = UNSET
    team: None | str | Unset = UNSET
    team_id: None | str | Unset = UNSET
    dry_run: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.owner import Owner  # noqa: PLC0415

        sql = self.sql

        timestamp_column = self.timestamp_column

        experiment_id_column = self.experiment_id_column

        group_id_column = self.group_id_column

        id_type_mapping = []
        for id_type_mapping_item_data in self.id_type_mapping:
            id_type_mapping_item = id_type_mapping_item_data.to_dict()
            id_type_mapping.append(id_type_mapping_item)

        name = self.name

        description = self.description

        is_verified = self.is_verified

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

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

        dry_run = self.dry_run

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sql": sql,
                "timestampColumn": timestamp_column,
                "experimentIDColumn": experiment_id_column,
                "groupIDColumn": group_id_column,
                "idTypeMapping": id_type_mapping,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if is_verified is not UNSET:
            field_dict["isVerified"] = is_verified
        if tags is not UNSET:
            field_dict["tags"] = tags
        if is_read_only is not UNSET:
            field_dict["isReadOnly"] = is_read_only
        if owner is not UNSET:
            field_dict["owner"] = owner
        if team is not UNSET:
            field_dict["team"] = team
        if team_id is not UNSET:
            field_dict["teamID"] = team_id
        if dry_run is not UNSET:
            field_dict["dryRun"] = dry_run

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.id_type_mapping import IdTypeMapping  # noqa: PLC0415
        from ..models.owner import Owner  # noqa: PLC0415

        d = dict(src_dict)
        sql = d.pop("sql")

        timestamp_column = d.pop("timestampColumn")

        experiment_id_column = d.pop("experimentIDColumn")

        group_id_column = d.pop("groupIDColumn")

        id_type_mapping = []
        _id_type_mapping = d.pop("idTypeMapping")
        for id_type_mapping_item_data in _id_type_mapping:
            id_type_mapping_item = IdTypeMapping.from_dict(id_type_mapping_item_data)

            id_type_mapping.append(id_type_mapping_item)

        name = d.pop("name", UNSET)

        description = d.pop("description", UNSET)

        is_verified = d.pop("isVerified", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

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

        dry_run = d.pop("dryRun", UNSET)

        assignment_source_update = cls(
            sql=sql,
            timestamp_column=timestamp_column,
            experiment_id_column=experiment_id_column,
            group_id_column=group_id_column,
            id_type_mapping=id_type_mapping,
            name=name,
            description=description,
            is_verified=is_verified,
            tags=tags,
            is_read_only=is_read_only,
            owner=owner,
            team=team,
            team_id=team_id,
            dry_run=dry_run,
        )

        assignment_source_update.additional_properties = d
        return assignment_source_update

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
