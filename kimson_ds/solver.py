"""The one place where the MILP solver is chosen.

CBC ships inside PuLP 3.x (hence ``pulp>=3.3,<4``). Set ``KIMSON_SOLVER=highs``
to use HiGHS when ``highspy`` is installed. Solves are single-threaded and
silent so that results are deterministic.
"""

from __future__ import annotations

import os

from kimson_ds.errors import KimsonError


def default_solver(time_limit: float | None = None, *, gap_rel: float | None = None, warm_start: bool = False):
    """Return the configured PuLP solver command (CBC unless told otherwise).

    Parameters
    ----------
    time_limit : float, optional
        Seconds before the solver stops with its best solution.
    gap_rel : float, optional
        Stop once the solution is within this relative gap of the bound.
    warm_start : bool
        Start from the current values of the variables (a previous solve).
    """
    import pulp

    name = os.environ.get("KIMSON_SOLVER", "cbc").lower()
    extra = {"gapRel": float(gap_rel)} if gap_rel else {}
    if name == "highs":
        solver = pulp.HiGHS(msg=False, timeLimit=time_limit, threads=1, warmStart=warm_start, **extra)
    elif name == "cbc":
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, threads=1, warmStart=warm_start, **extra)
    else:
        raise KimsonError(f"Bộ giải '{name}' không được hỗ trợ (chọn cbc hoặc highs).")
    if not solver.available():
        raise KimsonError(f"Bộ giải '{name}' không có sẵn trên máy này.")
    return solver


def status_text(status: int) -> str:
    """PuLP status as Vietnamese text."""
    import pulp

    return {
        pulp.LpStatusOptimal: "Tối ưu",
        pulp.LpStatusInfeasible: "Không khả thi",
        pulp.LpStatusUnbounded: "Không bị chặn",
        pulp.LpStatusNotSolved: "Chưa giải",
        pulp.LpStatusUndefined: "Không xác định",
    }.get(status, str(status))
