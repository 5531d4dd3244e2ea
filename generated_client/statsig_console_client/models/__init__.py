"""Contains all the data models used in inputs/outputs"""

from .assignment_source import AssignmentSource
from .assignment_source_create import AssignmentSourceCreate
from .assignment_source_patch import AssignmentSourcePatch
from .assignment_source_update import AssignmentSourceUpdate
from .create_assignment_source_response import CreateAssignmentSourceResponse
from .delete_assignment_source_response import DeleteAssignmentSourceResponse
from .error_detail import ErrorDetail
from .error_response import ErrorResponse
from .id_type_mapping import IdTypeMapping
from .list_assignment_sources_response import ListAssignmentSourcesResponse
from .owner import Owner
from .pagination import Pagination
from .patch_assignment_source_response import PatchAssignmentSourceResponse
from .update_assignment_source_response import UpdateAssignmentSourceResponse

__all__ = (
    "AssignmentSource",
    "AssignmentSourceCreate",
    "AssignmentSourcePatch",
    "AssignmentSourceUpdate",
    "CreateAssignmentSourceResponse",
    "DeleteAssignmentSourceResponse",
    "ErrorDetail",
    "ErrorResponse",
    "IdTypeMapping",
    "ListAssignmentSourcesResponse",
    "Owner",
    "Pagination",
    "PatchAssignmentSourceResponse",
    "UpdateAssignmentSourceResponse",
)
