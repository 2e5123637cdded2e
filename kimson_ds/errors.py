"""One exception hierarchy for the whole package.

Every error a user can cause derives from :class:`KimsonError` and carries a
Vietnamese message and the exit code the command line returns for it.
"""

from __future__ import annotations


class KimsonError(Exception):
    """Base class of every error kimson_ds raises on purpose."""

    exit_code = 1


class DataError(KimsonError):
    """The dataset does not satisfy the data contract (exit code 2).

    Parameters
    ----------
    message : str
        Vietnamese summary.
    issues : list, optional
        The :class:`kimson_ds.data.validate.Issue` objects found.
    """

    exit_code = 2

    def __init__(self, message: str, issues: list | None = None):
        super().__init__(message)
        self.issues = list(issues or [])


class ParameterError(KimsonError):
    """A regulation parameter is missing, malformed or not yet in force."""

    exit_code = 2


class ScenarioError(KimsonError):
    """A scenario file is malformed or names unknown ids (exit code 2)."""

    exit_code = 2


class InfeasibleError(KimsonError):
    """An optimisation request cannot be met (exit code 3).

    The message is the Vietnamese diagnosis naming the blocking rule.
    """

    exit_code = 3

    def __init__(self, message: str, diagnosis: list[str] | None = None, result=None):
        super().__init__(message)
        self.diagnosis = list(diagnosis or [message])
        self.result = result


class ReportError(KimsonError):
    """A report notebook failed to execute or render (exit code 1)."""

    exit_code = 1
