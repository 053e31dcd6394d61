"""What ``verify`` adds to a load: the rows a store keeps beside a history, checked against a
replay of that history.

A load checks the hash chain, the recorded version, head and state, and what a form 2 opening
hashed. The other columns of the ``cases`` row (when opened, the last move, the subject's id,
the origin's case id, the ruleset...) and the ``deadlines`` rows (the due index a sweep reads:
status, due instant, trigger to fire) are what queries and sweeps trust without reading any
history; here each is compared with the case :func:`~discipline_flow.case.replay` rebuilds from
its verified steps, and the first disagreement is named with both values.

A deadline's dates depend on the calendar and the rules as well as the steps: a recalculation
may have used another calendar or other rules, and a later calendar may count an estimated
deadline otherwise. A difference in the dates is therefore accepted when the case has a
``RECALCULATE`` step or the stored deadline is estimated, and reported otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from discipline_flow.case import Case, StepKind, replay
from discipline_flow.errors import DisciplineFlowError, TamperedHistoryError
from discipline_flow.serialization import deadline_to_dict, origin_from_dict, subject_from_dict
from discipline_flow.store._deadlines import overdue_from, rule_named
from discipline_flow.store._dialect import Dialect, Tx, quoted
from discipline_flow.store._rows import CASE_COLUMNS, case_row, loads
from discipline_flow.time import Deadline

__all__ = ["check_chunk", "check_deadlines"]

#: The deadline columns compared (the due index and the deadline's data).
_DEADLINE_COLUMNS = ("case_id", "seq", "rule", "started_at", "due_at", "status", "on_miss", "data")
#: The fields of a deadline's data that the calendar and the rules compute from its start.
_DATES = frozenset(
    ("due_on", "due_at", "period", "citation", "is_estimated", "cap_on", "due_soon_at", "cap_at")
)
#: Never compared: a rule's citation is what the ruleset says of it today (a later release may
#: mark a fact recalled, or cite the article it found), not something the history recorded.
_METADATA = frozenset(("citation",))
_TIMESTAMPS = frozenset(("opened_at", "last_at", "due_at"))


def _differs(case_id: str, field: str, stored: Any, replayed: Any) -> TamperedHistoryError:
    return TamperedHistoryError(
        f"case {case_id}: {field} is {stored!r} but the replayed history says {replayed!r}"
    )


def check_chunk(tx: Tx, dialect: Dialect, cases: Mapping[str, Case[Any, Any]]) -> None:
    """Check the ``cases`` and ``deadlines`` rows of the loaded (verified) ``cases`` against a
    replay of each; raise :class:`~discipline_flow.errors.TamperedHistoryError` at the first
    disagreement, naming the case, the field and both values."""
    if not cases:
        return
    ids = sorted(cases)
    clause, params = dialect.in_('"id"', ids)
    rows = tx.rows(dialect.sql(f"SELECT {quoted(CASE_COLUMNS)} FROM cases WHERE {clause}"), params)
    case_rows = {r[0]: r for r in rows}
    clause, params = dialect.in_('"case_id"', ids)
    deadline_rows: dict[str, list[tuple[Any, ...]]] = {}
    for row in tx.rows(
        dialect.sql(
            f"SELECT {quoted(_DEADLINE_COLUMNS)} FROM deadlines WHERE {clause} "
            'ORDER BY "case_id", "seq"'
        ),
        params,
    ):
        deadline_rows.setdefault(row[0], []).append(row)
    for case_id in ids:
        case = cases[case_id]
        replayed = _replay(case)
        _check_case_row(dialect, case_rows[case_id], replayed)
        check_deadlines(case, replayed)
        _check_index(dialect, case, deadline_rows.get(case_id, []))


def _replay(case: Case[Any, Any]) -> Case[Any, Any]:
    try:
        return replay(case.workflow, case.id, case.subject, case.steps, origin=case.origin)
    except TamperedHistoryError:
        raise
    except DisciplineFlowError as exc:
        raise TamperedHistoryError(
            f"case {case.id}: its history cannot be replayed: {exc}"
        ) from None


def _check_case_row(dialect: Dialect, stored: Sequence[Any], replayed: Case[Any, Any]) -> None:
    case_id = replayed.id
    expected = case_row(replayed, dialect.ts)
    for name, column, value in zip(CASE_COLUMNS, stored, expected, strict=True):
        have, want = column, value
        if name == "subject":
            have = subject_from_dict(loads(column, f"case {case_id} subject"))
            want = replayed.subject
        elif name == "origin":
            where = f"case {case_id} origin"
            have = None if column is None else origin_from_dict(loads(column, where), where)
            want = replayed.origin
        elif name in _TIMESTAMPS:
            have, want = _instant(dialect, column), _instant(dialect, value)
        if have != want:
            raise _differs(case_id, f"cases.{name}", have, want)


def _instant(dialect: Dialect, value: Any) -> Any:
    try:
        return dialect.local_ts(value).isoformat()
    except DisciplineFlowError:
        return value


def check_deadlines(case: Case[Any, Any], replayed: Case[Any, Any]) -> None:
    """Check the deadlines of a stored ``case`` against those its ``replayed`` history gives;
    raise :class:`~discipline_flow.errors.TamperedHistoryError` at the first difference."""
    stored, rebuilt = case.deadlines, replayed.deadlines
    if len(stored) != len(rebuilt):
        raise _differs(case.id, "the number of deadlines", len(stored), len(rebuilt))
    recalculated = any(s.kind is StepKind.RECALCULATE for s in case.steps)
    for seq, (have, want) in enumerate(zip(stored, rebuilt, strict=True)):
        loose = recalculated or have.is_estimated
        have_data = deadline_to_dict(have, trace=False)
        want_data = deadline_to_dict(want, trace=False)
        if have_data == want_data:
            continue
        for key in dict.fromkeys([*want_data, *have_data]):
            if (loose and key in _DATES) or key in _METADATA:
                continue
            if have_data.get(key) != want_data.get(key):
                field = f"deadline {seq} ({want.rule}) {key}"
                raise _differs(case.id, field, have_data.get(key), want_data.get(key))


def _check_index(dialect: Dialect, case: Case[Any, Any], rows: Sequence[Sequence[Any]]) -> None:
    """The due index's columns must say what each deadline says: a sweep reads only them."""
    if len(rows) != len(case.deadlines):
        raise _differs(case.id, "the number of deadline rows", len(rows), len(case.deadlines))
    for seq, (row, deadline) in enumerate(zip(rows, case.deadlines, strict=True)):
        for name, column, value in zip(
            _DEADLINE_COLUMNS[1:7], row[1:7], _index(dialect, case, seq, deadline), strict=True
        ):
            have, want = column, value
            if name == "due_at":
                have, want = _instant(dialect, column), _instant(dialect, value)
            if have != want:
                raise _differs(case.id, f"deadlines[{seq}].{name}", have, want)


def _index(dialect: Dialect, case: Case[Any, Any], seq: int, deadline: Deadline) -> tuple[Any, ...]:
    rule = rule_named(case.workflow, deadline.rule)
    overdue = overdue_from(deadline)
    status = "open" if deadline.is_open else "met" if deadline.met_at is not None else "cancelled"
    return (
        seq,
        deadline.rule,
        deadline.started_at.isoformat(),
        None if overdue is None else dialect.ts(overdue),
        status,
        None if rule is None or rule.on_miss is None else rule.on_miss.name,
    )
