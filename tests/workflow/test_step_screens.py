"""Every step of every declared service has a screen to be worked on."""

from __future__ import annotations

import pytest

from app.workflow.definitions import SERVICES

STEPS = [(code, step.code, step.form) for code, service in SERVICES.items() for step in service.steps]


@pytest.mark.parametrize(("service", "step", "form"), STEPS)
def test_each_step_has_a_screen(app, service, step, form):
    from app.views.steps import SCREENS

    screen = SCREENS.get(form)
    assert screen is not None, f"{service}.{step}: no screen named {form!r}"
    assert (screen.build is None) == (screen.apply is None), (
        "a screen has both a form and an action, or neither"
    )
    assert screen.build is not None or screen.elsewhere, "a step without a form says where it is acted on"
