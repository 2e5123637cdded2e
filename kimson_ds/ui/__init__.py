"""Interactive panels (ipywidgets) of the analyses, served by ``kimson-ds app`` (Voilà).

Each panel re-runs its analysis through the same library function as the
command line and the reports; see :mod:`kimson_ds.ui.common`.
"""

from kimson_ds.ui.common import (
    ErrorPanel,
    NotebookPanel,
    Panel,
    install_error_display,
    interactive,
    show_dataset,
    show_if_interactive,
)
from kimson_ds.ui.overview import OverviewPanel, overview_panel
from kimson_ds.ui.procedure import ProcedurePanel, procedure_panel
from kimson_ds.ui.rating import RatingPanel, rating_panel
from kimson_ds.ui.rotation import RotationPanel, merger_panel, rotation_panel
from kimson_ds.ui.succession import SuccessionPanel, succession_panel
from kimson_ds.ui.training import TrainingPanel, training_panel
from kimson_ds.ui.vetting import VettingPanel, vetting_panel

__all__ = [
    "ErrorPanel",
    "NotebookPanel",
    "OverviewPanel",
    "Panel",
    "ProcedurePanel",
    "RatingPanel",
    "RotationPanel",
    "SuccessionPanel",
    "TrainingPanel",
    "VettingPanel",
    "install_error_display",
    "interactive",
    "merger_panel",
    "overview_panel",
    "procedure_panel",
    "rating_panel",
    "rotation_panel",
    "show_dataset",
    "show_if_interactive",
    "succession_panel",
    "training_panel",
    "vetting_panel",
]
