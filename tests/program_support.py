"""Test helpers for the program room."""

from __future__ import annotations


def forbidden_tags(profile, exercise) -> set[str]:
    """The tags of ``exercise`` this profile may not be given, written out again from
    DESIGN.md rather than calling the filter under test."""
    tags = {"forward_bend"}
    if profile.fracture_history != "no":
        tags |= {"side_bend", "rotation"}
        if not profile.floor_cleared:
            tags.add("floor")
    override = (exercise.id in profile.impact_override and profile.override_on is not None
                and bool(profile.override_by))
    if not profile.impact_cleared or (profile.fracture_history != "no" and not override):
        tags.add("impact")
    return tags & exercise.tags
