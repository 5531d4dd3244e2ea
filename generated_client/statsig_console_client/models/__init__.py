"""Contains all the data models used in inputs/outputs"""

from .assignment_source import AssignmentSource
from .assignment_source_create import AssignmentSourceCreate
from .create_assignment_source_response import CreateAssignmentSourceResponse
from .error_response import ErrorResponse
from .id_type_mapping import IdTypeMapping
from .owner import Owner

__all__ = (
    "AssignmentSource",
    "AssignmentSourceCreate",
    "CreateAssignmentSourceResponse",
    "ErrorResponse",
    "IdTypeMapping",
    "Owner",
)
