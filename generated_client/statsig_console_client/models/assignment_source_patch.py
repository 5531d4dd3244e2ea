from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.id_type_mapping import IdTypeMapping
    from ..models.owner import Owner


T = TypeVar("T", bound="AssignmentSourcePatch")


@_attrs_define
class AssignmentSourcePatch:
    """The body of a Patch Assignment Source request: only the fields to change, every one optional. `sql` is not among
    them: Statsig's document marks it read-only for a patch (a query change goes through the full update). It does not
    say whether a `sql` key is rejected or ignored, so this schema does not forbid one; the generated client offers no
    field for it.

        Attributes:
            name (str | Unset): The new name of the assignment source (how a source is renamed).
            description (str | Unset): Detailed context for the assignment source.
            is_verified (bool | Unset): Marks the assignment source as verified for internal trustworthiness.
            tags (list[str] | Unset): Tags for categorization; replaces the stored tags.
            timestamp_column (str | Unset): Column name representing the timestamp of assignments.
            experiment_id_column (str | Unset): Column name for the experiment ID associated with the assignments.
            group_id_column (str | Unset): Column name for the group ID linked to the assignments.
            id_type_mapping (list[IdTypeMapping] | Unset): Mappings of Statsig units to their respective columns; replaces
                the stored mapping.
            is_read_only (bool | Unset): Specifies if the source can only be edited via the Console API.
            owner (None | Owner | Unset): Schema for owner data including ID, type, name. May be null.
            team (None | str | Unset): The team name responsible for the source.
            team_id (None | str | Unset): The team ID responsible for the source.
            dry_run (bool | Unset): Validates the input and changes nothing.
    """

    name: str | Unset = UNSET
    description: str | Unset = UNSET
    is_verified: bool | Unset = UNSET
    tags: list[str] | Unset = UNSET
    timestamp_column: str | Unset = UNSET
    experiment_id_column: str | Unset = UNSET
    group_id_column: str | Unset = UNSET
    id_type_mapping: list[IdTypeMapping] | Unset = UNSET
    is_read_only: bool | Unset = UNSET
    owner: None | Owner | Unset = UNSET
    team: None | str | Unset = UNSET
    team_id: None | str | Unset = UNSET
    dry_run: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.owner import Owner  # noqa: PLC0415

        name = self.name

        description = self.description

        is_verified = self.is_verified

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        timestamp_column = self.timestamp_column

        experiment_id_column = self.experiment_id_column

        group_id_column = self.group_id_column

        id_type_mapping: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.id_type_mapping, Unset):
            id_type_mapping = []
            for id_type_mapping_item_data in self.id_type_mapping:
                id_type_mapping_item = id_type_mapping_item_data.to_dict()
                id_type_mapping.append(id_type_mapping_item)

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
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if is_verified is not UNSET:
            field_dict["isVerified"] = is_verified
        if tags is not UNSET:
            field_dict["tags"] = tags
        if timestamp_column is not UNSET:
            field_dict["timestampColumn"] = timestamp_column
        if experiment_id_column is not UNSET:
            field_dict["experimentIDColumn"] = experiment_id_column
        if group_id_column is not UNSET:
            field_dict["groupIDColumn"] = group_id_column
        if id_type_mapping is not UNSET:
            field_dict["idTypeMapping"] = id_type_mapping
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
        name = d.pop("name", UNSET)

        description = d.pop("description", UNSET)

        is_verified = d.pop("isVerified", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        timestamp_column = d.pop("timestampColumn", UNSET)

        experiment_id_column = d.pop("experimentIDColumn", UNSET)

        group_id_column = d.pop("groupIDColumn", UNSET)

        _id_type_mapping = d.pop("idTypeMapping", UNSET)
        id_type_mapping: list[IdTypeMapping] | Unset = UNSET
        if _id_type_mapping is not UNSET:
            id_type_mapping = []
            for id_type_mapping_item_data in _id_type_mapping:
                id_type_mapping_item = IdTypeMapping.from_dict(id_type_mapping_item_data)

                id_type_mapping.append(id_type_mapping_item)

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

        assignment_source_patch = cls(
            name=name,
            description=description,
            is_verified=is_verified,
            tags=tags,
            timestamp_column=timestamp_column,
            experiment_id_column=experiment_id_column,
            group_id_column=group_id_column,
            id_type_mapping=id_type_mapping,
            is_read_only=is_read_only,
            owner=owner,
            team=team,
            team_id=team_id,
            dry_run=dry_run,
        )

        assignment_source_patch.additional_properties = d
        return assignment_source_patch

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
