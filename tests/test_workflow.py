"""Workflow definitions are validated when built; each problem names the state or trigger."""

from __future__ import annotations

import enum

import attrs
import pytest

from discipline_flow import Guard, Label, Transition, Workflow
from discipline_flow.errors import (
    AmbiguousTransitionError,
    DeadEndStateError,
    DefinitionError,
    InvalidDefinitionError,
    UnknownNameError,
    UnknownTriggerError,
    UnreachableStateError,
    UnresolvedGuardError,
)
from helpers import Review, ReviewTrigger, lifecycle_workflow, review_workflow


class S(enum.Enum):
    A = "a"
    B = "b"
    C = "c"


class T(enum.Enum):
    GO = "go"
    STOP = "stop"


class Other(enum.Enum):
    X = "x"


def build(transitions: list[Transition[S, T]], **kwargs: object) -> Workflow[S, T]:
    options: dict[str, object] = {"terminal": {S.C}}
    options.update(kwargs)
    return Workflow(
        name="w",
        version="1",
        states=S,
        triggers=T,
        initial=S.A,
        transitions=transitions,
        **options,  # type: ignore[arg-type]
    )


def test_a_valid_workflow_compiles_its_tables() -> None:
    wf = build([Transition(T.GO, S.A, S.B), Transition(T.STOP, [S.A, S.B], S.C)])
    assert wf.available(S.A) == (T.GO, T.STOP)
    assert wf.available(S.B) == (T.STOP,)
    assert wf.available(S.C) == ()
    assert [(c.source, c.target) for c in wf.candidates(S.B, T.STOP)] == [(S.B, S.C)]
    assert wf.key == "w@1"


def test_workflow_is_immutable() -> None:
    wf = build([Transition(T.GO, S.A, S.B), Transition(T.STOP, S.B, S.C)])
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        wf.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        wf.guards["x"] = Guard("x", lambda ctx: None)  # type: ignore[index]


def test_unknown_state_is_named() -> None:
    with pytest.raises(UnknownNameError) as info:
        build([Transition(T.GO, S.A, Other.X)])  # type: ignore[arg-type]
    assert info.value.name == "X"
    assert "unknown state 'X'" in str(info.value)
    assert "allowed: A, B, C" in str(info.value)


def test_unknown_trigger_is_named() -> None:
    with pytest.raises(UnknownNameError, match="unknown trigger 'X'"):
        build([Transition(Other.X, S.A, S.B)])  # type: ignore[arg-type]


def test_unreachable_state_is_named() -> None:
    with pytest.raises(UnreachableStateError) as info:
        build([Transition(T.STOP, S.A, S.C)])
    assert info.value.state == "B"
    assert "cannot be reached from the initial state A" in str(info.value)


def test_non_terminal_dead_end_is_named() -> None:
    with pytest.raises(DeadEndStateError) as info:
        build([Transition(T.GO, S.A, S.B), Transition(T.STOP, S.A, S.C)])
    assert info.value.state == "B"


def test_terminal_state_with_an_exit_is_refused() -> None:
    with pytest.raises(InvalidDefinitionError, match="terminal state C has transitions out"):
        build(
            [
                Transition(T.GO, S.A, S.B),
                Transition(T.STOP, S.B, S.C),
                Transition(T.GO, S.C, S.A),
            ]
        )


def test_same_source_and_trigger_without_guards_is_ambiguous() -> None:
    with pytest.raises(AmbiguousTransitionError) as info:
        build(
            [Transition(T.GO, S.A, S.B), Transition(T.GO, S.A, S.C), Transition(T.STOP, S.B, S.C)]
        )
    assert (info.value.source, info.value.trigger) == ("A", "GO")
    assert info.value.targets == ("B", "C")


def test_same_guards_do_not_distinguish() -> None:
    g = Guard("g", lambda ctx: None)
    with pytest.raises(AmbiguousTransitionError):
        build(
            [
                Transition(T.GO, S.A, S.B, guards=[g]),
                Transition(T.GO, S.A, S.C, guards=[g]),
                Transition(T.STOP, S.B, S.C),
            ]
        )


def test_guarded_then_fallback_is_not_ambiguous() -> None:
    g = Guard("g", lambda ctx: None)
    wf = build(
        [
            Transition(T.GO, S.A, S.B, guards=[g]),
            Transition(T.GO, S.A, S.C),
            Transition(T.STOP, S.B, S.C),
        ]
    )
    assert [c.target for c in wf.candidates(S.A, T.GO)] == [S.B, S.C]


def test_guard_names_must_resolve() -> None:
    with pytest.raises(UnresolvedGuardError) as info:
        build(
            [Transition(T.GO, S.A, S.B, guards=["missing"]), Transition(T.STOP, S.B, S.C)],
            guards={"present": Guard("present", lambda ctx: None)},
        )
    assert info.value.guard == "missing"
    assert "known guards: present" in str(info.value)


def test_initial_cannot_be_terminal() -> None:
    with pytest.raises(InvalidDefinitionError, match="initial state A cannot be terminal"):
        build([Transition(T.GO, S.A, S.B)], terminal={S.A})


def test_labels_fall_back_to_the_name_and_have_both_languages() -> None:
    wf = review_workflow()
    assert wf.label_of(Review.DRAFT, "vi") == "Dự thảo"
    assert wf.label_of(Review.DRAFT) == "Draft"
    assert wf.label_of(Review.SUBMITTED) == "Submitted"
    assert wf.label_of(ReviewTrigger.SUBMIT, "vi") == "Trình"
    assert Label("a", "b").text("vi") == "b"


def test_trigger_and_state_lookup_by_name() -> None:
    wf = review_workflow()
    assert wf.trigger_named("DECIDE") is ReviewTrigger.DECIDE
    assert wf.state_named("DRAFT") is Review.DRAFT
    with pytest.raises(UnknownTriggerError, match="triggers: SUBMIT, DECIDE, REJECT, WITHDRAW"):
        wf.trigger_named("APPROVE")


def test_every_definition_error_is_a_definition_error() -> None:
    for cls in (
        UnknownNameError,
        UnreachableStateError,
        DeadEndStateError,
        AmbiguousTransitionError,
        UnresolvedGuardError,
        InvalidDefinitionError,
    ):
        assert issubclass(cls, DefinitionError)


def test_lifecycle_has_the_expected_shape() -> None:
    wf = lifecycle_workflow()
    assert len(list(wf.states)) == 10
    assert len(wf.compiled) == 9 + 7 + 8
