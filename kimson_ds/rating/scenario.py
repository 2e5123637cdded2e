"""The rating what-if as a scenario file (``kimson-ds rate DATASET --scenario FILE``).

A rating scenario says which year is rated under the rules of which date,
optionally compared with the rules of a second date, how the excellent-share
quota groups are formed, whether cadres outside the Standing Committee's
management are rated too, and which regulation parameters are changed
(``rating.point_thresholds`` …). The app's rating form saves exactly this.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from kimson_ds.config import StrictModel

__all__ = ["GROUP_CHOICES", "RatingScenario"]

#: Ways to form the groups of equivalent posts for the excellent-share quota (``--group``).
GROUP_CHOICES = ("group", "title", "post_unit_id", "cap_unit_id", "all")


class RatingScenario(StrictModel):
    """Scenario of the ``rate`` command (YAML; unknown keys are rejected).

    ``as_of`` None: 31 December of ``year`` (as the command's default);
    ``compare_as_of`` None: no comparison.
    """

    name: str = "Xếp loại cán bộ"
    year: int = Field(ge=1900, le=2100)
    as_of: dt.date | None = None
    compare_as_of: dt.date | None = None
    group: Literal["group", "title", "post_unit_id", "cap_unit_id", "all"] = "group"
    all_cadres: bool = False
    parameters: dict[str, Any] = Field(default_factory=dict)

    def rule_date(self) -> dt.date:
        """The date whose rules apply (``as_of`` or 31-12 of the year)."""
        return self.as_of or dt.date(self.year, 12, 31)
