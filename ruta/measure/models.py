"""The measure app's models (each concept in its own module)."""

from ruta.measure.fivew_models import FiveWSubmission, SubmissionSource

__all__ = ["FiveWSubmission", "SubmissionSource"]
