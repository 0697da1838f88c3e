"""Read a questionnaire YAML file and report every problem with file, line and column.

The YAML is composed into nodes (which carry positions) and turned into plain Python
objects here, remembering where each value and key stood. msgspec then checks the types
(worded in German by `selfcheck.validation_messages`) and `validation` the rules across
fields; both report a path, which is mapped back to a position. Anything wrong with the
file ends as a `QuestionnaireError`, never a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

import msgspec
import yaml

from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.questionnaire.validation import Issue, Key, NodePath, PathPart, validate
from selfcheck.validation_messages import (
    ANY,
    Failure,
    FailureKind,
    Step,
    key_message,
    questionnaire_message,
    read_failure,
)

Position = tuple[int, int]  # 1-based line and column
T = TypeVar("T", bound=msgspec.Struct)

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
# Aliases may repeat a subtree many times over ("billion laughs"); the real questionnaire
# has a few thousand nodes.
_MAX_NODES = 200_000


@dataclass(frozen=True)
class Problem:
    source: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}: {self.message}"


class QuestionnaireError(Exception):
    """A questionnaire file cannot be used; `problems` says where and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def load_questionnaire(path: Path) -> Questionnaire:
    return parse_questionnaire(read_yaml_text(path), str(path))


def read_yaml_text(path: Path) -> str:
    """The file's text; a missing, unreadable or non-UTF-8 file is a `QuestionnaireError`."""
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise QuestionnaireError([Problem(source, 1, 1, "Die Datei gibt es nicht.")]) from None
    except OSError as exc:
        message = f"Die Datei lässt sich nicht lesen: {exc.strerror or exc}."
        raise QuestionnaireError([Problem(source, 1, 1, message)]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        message = "Die Datei ist nicht UTF-8-kodiert. Bitte speichern Sie sie als UTF-8."
        raise QuestionnaireError([Problem(source, line, column, message)]) from None


def parse_questionnaire(text: str, source: str) -> Questionnaire:
    """Parse questionnaire YAML; `source` names the text in problem reports."""
    return parse_yaml_struct(text, source, Questionnaire, validate)


def parse_yaml_struct(
    text: str, source: str, struct_type: type[T], check: Callable[[T], list[Issue]]
) -> T:
    """Parse YAML into `struct_type`, then apply `check`; every problem carries the file,
    line and column (also used for other data files beside the questionnaires)."""
    reader = _NodeReader(source)
    obj = reader.read(text)
    if reader.fatal:
        _raise(reader.problems)
    try:
        result = msgspec.convert(obj, struct_type)
    except msgspec.ValidationError as exc:
        path, message = _translate(exc, obj, struct_type)
        _raise([*reader.problems, reader.problem_at(path, message)])
    problems = [reader.problem_at(path, message) for path, message in check(result)]
    _raise([*reader.problems, *problems])
    return result


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise QuestionnaireError(sorted(problems, key=lambda p: (p.line, p.column)))


def _byte_position(data: bytes, offset: int) -> Position:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def _text_position(text: str, index: int) -> Position:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _mark_position(mark: yaml.Mark) -> Position:
    return mark.line + 1, mark.column + 1


# --- YAML nodes to plain objects ------------------------------------------------------


@dataclass(frozen=True)
class _Spot:
    value: Position
    key: Position | None


class _NodeReader:
    """Turns composed YAML into plain objects and records the position of every value
    and key by path. Problems with the YAML itself are collected in `problems`; `fatal`
    is set when the resulting object is not worth checking further."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.fatal = False
        self._spots: dict[NodePath, _Spot] = {(): _Spot((1, 1), None)}
        self._constructor = yaml.constructor.SafeConstructor()
        self._active: set[int] = set()
        self._nodes = 0

    def read(self, text: str) -> Any:
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            position = _mark_position(mark) if mark else (1, 1)
            return self._fail(position, f"YAML-Syntaxfehler: {_yaml_reason(exc)}")
        except yaml.reader.ReaderError as exc:
            position = _text_position(text, exc.position)
            return self._fail(position, "Die Datei enthält ein unzulässiges Steuerzeichen.")
        except RecursionError:
            return self._fail((1, 1), "Die Datei ist zu tief verschachtelt.")
        if root is None:
            return self._fail((1, 1), "Die Datei ist leer.")
        if not isinstance(root, yaml.MappingNode):
            position = _mark_position(root.start_mark)
            message = (
                "Auf oberster Ebene wird eine Zuordnung (Schlüssel: Wert) erwartet, "
                f"gefunden: {_node_kind(root)}."
            )
            return self._fail(position, message)
        self._spots[()] = _Spot(_mark_position(root.start_mark), None)
        return self._convert(root, ())

    def problem_at(self, path: NodePath, message: str) -> Problem:
        line, column = self._position(path)
        return Problem(self.source, line, column, message)

    def _position(self, path: NodePath) -> Position:
        wants_key = bool(path) and isinstance(path[-1], Key)
        if wants_key:
            last = path[-1]
            assert isinstance(last, Key)
            path = (*path[:-1], last.name)
        # A path the file does not contain (e.g. a default) falls back to its parent.
        while path not in self._spots:
            path, wants_key = path[:-1], False
        spot = self._spots[path]
        return spot.key if wants_key and spot.key else spot.value

    def _fail(self, position: Position, message: str) -> None:
        self._add(position, message)
        self.fatal = True

    def _add(self, position: Position, message: str) -> None:
        self.problems.append(Problem(self.source, *position, message))

    def _convert(self, node: yaml.Node, path: NodePath) -> Any:
        if id(node) in self._active:  # an alias that refers to its own ancestor
            return self._fail(_mark_position(node.start_mark), "Rekursiver YAML-Anker.")
        self._nodes += 1
        if self._nodes > _MAX_NODES:
            if self._nodes == _MAX_NODES + 1:
                message = "Die Datei ist zu groß oder wiederholt zu oft Inhalte über Anker."
                self._fail(_mark_position(node.start_mark), message)
            return None
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._convert_mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return self._convert_sequence(node, path)
            return self._scalar(node)
        finally:
            self._active.discard(id(node))

    def _convert_mapping(self, node: yaml.MappingNode, path: NodePath) -> dict[Any, Any] | None:
        if node.tag != _MAP_TAG:
            self._unsupported_tag(node)
            return None
        result: dict[Any, Any] = {}
        key_positions: dict[Any, Position] = {}
        for key_node, value_node in node.value:
            key = self._mapping_key(key_node)
            if key is None:
                continue
            key_position = _mark_position(key_node.start_mark)
            if key in key_positions:
                line = key_positions[key][0]
                self._add(
                    key_position, f"Der Schlüssel `{key}` steht doppelt (zuerst in Zeile {line})."
                )
                continue
            key_positions[key] = key_position
            child: NodePath = (*path, key)
            self._spots[child] = _Spot(_value_position(key_node, value_node), key_position)
            result[key] = self._convert(value_node, child)
        return result

    def _mapping_key(self, node: yaml.Node) -> Any:
        """The key's value, or None (after reporting) for keys this format cannot have."""
        position = _mark_position(node.start_mark)
        if node.tag == _MERGE_TAG:
            return self._fail(position, "Zusammenführen mit `<<` wird nicht unterstützt.")
        if not isinstance(node, yaml.ScalarNode):
            return self._fail(position, "Ein Schlüssel muss ein einfacher Wert sein.")
        key = self._scalar(node)
        if key is None:
            return self._fail(position, "Ein Schlüssel darf nicht leer sein.")
        return key

    def _convert_sequence(self, node: yaml.SequenceNode, path: NodePath) -> list[Any] | None:
        if node.tag != _SEQ_TAG:
            self._unsupported_tag(node)
            return None
        result: list[Any] = []
        for index, item in enumerate(node.value):
            child: NodePath = (*path, index)
            self._spots[child] = _Spot(_mark_position(item.start_mark), None)
            result.append(self._convert(item, child))
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self._constructor.construct_object(node)
        except Exception:  # PyYAML's constructors raise all sorts for explicit tags like `!!int x`
            return self._fail(
                _mark_position(node.start_mark),
                f"Der Wert passt nicht zum YAML-Tag `{node.tag}` oder der Tag wird nicht "
                "unterstützt.",
            )

    def _unsupported_tag(self, node: yaml.Node) -> None:
        message = f"Der YAML-Tag `{node.tag}` wird nicht unterstützt."
        self._fail(_mark_position(node.start_mark), message)


def _value_position(key_node: yaml.Node, value_node: yaml.Node) -> Position:
    """Where to point for a problem with a value. A block list or mapping starts on the
    next line and an empty value (`text:`) has no position of its own: use the key."""
    if isinstance(value_node, yaml.ScalarNode):
        use_key = value_node.value == "" and not value_node.style
    else:
        use_key = isinstance(value_node, yaml.CollectionNode) and not value_node.flow_style
    return _mark_position((key_node if use_key else value_node).start_mark)


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "eine Liste"
    return "ein einzelner Wert"


_YAML_REASONS = {
    "mapping values are not allowed here": "Doppelpunkt an unerwarteter Stelle "
    "(Text mit „: “ bitte in Anführungszeichen setzen)",
    "could not find expected ':'": "erwarteter Doppelpunkt fehlt",
    "found character '\\t' that cannot start any token": "Tabulatoren sind nicht erlaubt, "
    "bitte mit Leerzeichen einrücken",
}


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's own wording (English) unless we know a clearer German one."""
    problem = exc.problem or "ungültiges YAML"
    reason = _YAML_REASONS.get(problem)
    if reason:
        return reason
    return f"{problem} ({exc.context})" if exc.context else problem


# --- msgspec errors to the place in the file --------------------------------------


def _translate(
    error: msgspec.ValidationError, obj: Any, root: Any = Questionnaire
) -> tuple[NodePath, str]:
    """The offending path in the file and a German message for a msgspec error."""
    failure = read_failure(error)
    path, target, target_type = _concrete_path(failure.path, obj, root)
    if failure.in_key:
        return _key_problem(failure, path, target, target_type)
    if failure.kind is FailureKind.UNKNOWN_FIELD:
        path = (*path, Key(failure.details[0]))
    return path, questionnaire_message(failure, target_type)


def _concrete_path(steps: Iterable[Step], obj: Any, root: Any) -> tuple[NodePath, Any, Any]:
    """Follow msgspec's path through the object and the schema types, putting in the real
    key where msgspec wrote `[...]`. Returns the path, the value there and its type."""
    path: list[PathPart] = []
    tp: Any = root
    for step in steps:
        child_type = _child_type(tp, step)
        key = _failing_entry(obj, child_type) if step is ANY else step
        if child_type is None or not isinstance(key, str | int) or not _has(obj, key):
            break
        path.append(key)
        obj, tp = obj[key], child_type
    return tuple(path), obj, tp


def _failing_entry(mapping: Any, value_type: Any) -> Any:
    """The first key whose value does not convert; msgspec stops at that one too."""
    if not isinstance(mapping, dict):
        return None
    return next((k for k, v in mapping.items() if _fails(v, value_type)), None)


def _key_problem(failure: Failure, path: NodePath, mapping: Any, tp: Any) -> tuple[NodePath, str]:
    key_type = get_args(tp)[0] if get_origin(tp) is dict else str
    bad = (
        next((k for k in mapping if _fails(k, key_type)), None)
        if isinstance(mapping, dict)
        else None
    )
    message = key_message(failure, bad, key_type)
    return ((*path, Key(bad)) if bad is not None else path), message


@functools.cache
def _struct_hints(tp: type) -> dict[str, Any]:
    return get_type_hints(tp)


def _child_type(tp: Any, step: Step) -> Any:
    """The schema type one step below `tp`, or None if the schema has nothing there."""
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        return _struct_hints(tp).get(step) if isinstance(step, str) else None
    args = get_args(tp)
    if get_origin(tp) is list and args:
        return args[0]
    if get_origin(tp) is dict and len(args) == 2:
        return args[1]
    return None


def _fails(value: Any, tp: Any) -> bool:
    try:
        msgspec.convert(value, tp)
    except msgspec.ValidationError:
        return True
    return False


def _has(obj: Any, step: str | int) -> bool:
    if isinstance(obj, dict):
        return step in obj
    return isinstance(obj, list) and isinstance(step, int) and 0 <= step < len(obj)
