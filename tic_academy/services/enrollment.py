"""Enrollment: which cohort a trainee is in, and who their mentor is."""
from typing import Optional


from ..models import Enrollment


def current_enrollment(trainee_id: int) -> Optional[Enrollment]:
    """The trainee's active enrollment (the newest, if several)."""
    return Enrollment.current_for(trainee_id)


def mentor_of(trainee_id: int) -> Optional[int]:
    """The id of the trainee's mentor in their current enrollment, or None."""
    enrollment = current_enrollment(trainee_id)
    return enrollment.mentor_id if enrollment else None
