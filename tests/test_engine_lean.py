"""The engine's lean ``transitions`` classes behave like the stock ones.

The same random machine — states with and without enter/exit callbacks, transitions with
conditions (passing or failing), prepare/before/after callbacks, machine-wide callbacks — is
built twice, once from stock ``transitions.Machine`` and once from the engine's lean subclass;
the same triggers are fired on both and every outcome is compared: the return value, the state,
the exception raised and the order in which every callback ran.
"""

from __future__ import annotations

from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings
from transitions import Machine

from discipline_flow._engine import _LeanMachine

STATES = ["A", "B", "C", "D"]
TRIGGERS = ["go", "back", "jump"]


class Model:
    """A plain model the machines move; ``log`` records callbacks in order."""

    def __init__(self) -> None:
        self.state = "A"
        self.log: list[str] = []


def _recorder(name: str, result: bool | None = None) -> Any:
    def callback(event: Any) -> bool | None:
        event.model.log.append(name)
        if name.startswith("boom_"):
            raise RuntimeError(name)
        return result

    return callback


@st.composite
def machine_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A random machine description: states with callbacks, transitions with conditions."""
    states = []
    for name in STATES:
        spec: dict[str, Any] = {"name": name}
        if draw(st.booleans()):
            spec["on_enter"] = [f"enter_{name}"]
        if draw(st.booleans()):
            spec["on_exit"] = [f"exit_{name}"]
        states.append(spec)
    transitions = []
    for n in range(draw(st.integers(min_value=1, max_value=10))):
        spec = {
            "trigger": draw(st.sampled_from(TRIGGERS)),
            "source": draw(st.sampled_from(STATES)),
            "dest": draw(st.sampled_from([*STATES, None])),
        }
        spec["conditions"] = [
            f"cond_{n}_{i}_{outcome}"
            for i, outcome in enumerate(draw(st.lists(st.booleans(), max_size=3)))
        ]
        for kind in ("prepare", "before", "after"):
            if draw(st.booleans()):
                boom = "boom_" if draw(st.integers(0, 5)) == 0 else ""
                spec[kind] = [f"{boom}{kind}_{n}"]
        transitions.append(spec)
    machine_callbacks = {
        kind: [f"machine_{kind}"]
        for kind in ("prepare_event", "finalize_event", "before_state_change", "after_state_change")
        if draw(st.booleans())
    }
    return {"states": states, "transitions": transitions, "machine": machine_callbacks}


def _resolve(names: list[str]) -> list[Any]:
    out = []
    for name in names:
        if name.startswith("cond_"):
            out.append(_recorder(name, name.endswith("True")))
        else:
            out.append(_recorder(name))
    return out


def build(cls: type[Machine], spec: dict[str, Any]) -> Machine:
    """The machine of ``spec`` built from ``cls``, with callables for every named callback."""
    states = [
        {key: (_resolve(value) if isinstance(value, list) else value) for key, value in s.items()}
        for s in spec["states"]
    ]
    transitions = [
        {key: (_resolve(value) if isinstance(value, list) else value) for key, value in t.items()}
        for t in spec["transitions"]
    ]
    callbacks: dict[str, Any] = {key: _resolve(value) for key, value in spec["machine"].items()}
    return cls(
        model=None,
        states=states,
        initial="A",
        transitions=transitions,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
        **callbacks,
    )


def run(machine: Machine, triggers: list[str]) -> list[tuple[str, object, str, list[str]]]:
    """Fire ``triggers`` in turn; what each returned or raised, the state and the callbacks."""
    model = Model()
    outcomes: list[tuple[str, object, str, list[str]]] = []
    for trigger in triggers:
        model.log = []
        event = machine.events.get(trigger)
        if event is None:
            outcomes.append((trigger, "no event", model.state, []))
            continue
        try:
            result: object = event.trigger(model)
        except Exception as exc:  # the same exception type must come out of both
            result = type(exc).__name__
        outcomes.append((trigger, result, model.state, model.log))
    return outcomes


@settings(max_examples=150, deadline=None)
@given(machine_specs(), st.lists(st.sampled_from(TRIGGERS), max_size=12))
def test_lean_machine_moves_like_stock_transitions(
    spec: dict[str, Any], triggers: list[str]
) -> None:
    stock = run(build(Machine, spec), triggers)
    lean = run(build(_LeanMachine, spec), triggers)
    assert lean == stock


def test_lean_machine_refuses_an_unknown_source_like_stock() -> None:
    spec = {
        "states": [{"name": name} for name in STATES],
        "transitions": [{"trigger": "go", "source": "B", "dest": "C"}],
        "machine": {},
    }
    stock = run(build(Machine, spec), ["go"])
    assert stock == [("go", "MachineError", "A", [])]
    assert run(build(_LeanMachine, spec), ["go"]) == stock


def test_lean_machine_with_a_queue_takes_the_stock_path() -> None:
    machine = _LeanMachine(
        model=None,
        states=STATES,
        initial="A",
        transitions=[{"trigger": "go", "source": "A", "dest": "B", "after": [_recorder("after")]}],
        auto_transitions=False,
        send_event=True,
        queued=True,
    )
    model = Model()
    assert machine.events["go"].trigger(model) is True
    assert (model.state, model.log) == ("B", ["after"])


class NamedModel(Model):
    """A model whose callbacks are found by name, called without the event (send_event=False)."""

    def __init__(self) -> None:
        super().__init__()
        self.allow = False

    def may_go(self) -> bool:
        return self.allow

    def record(self) -> None:
        self.log.append("after")


@pytest.mark.parametrize("cls", [Machine, _LeanMachine])
def test_named_callbacks_without_event_data_work_like_stock(cls: type[Machine]) -> None:
    machine = cls(
        model=None,
        states=STATES,
        initial="A",
        transitions=[
            {
                "trigger": "go",
                "source": "A",
                "dest": "B",
                "conditions": "may_go",
                "unless": [lambda: False],
                "after": "record",
            }
        ],
        auto_transitions=False,
        send_event=False,
    )
    model = NamedModel()
    assert machine.events["go"].trigger(model) is False
    assert (model.state, model.log) == ("A", [])
    model.allow = True
    assert machine.events["go"].trigger(model) is True
    assert (model.state, model.log) == ("B", ["after"])
