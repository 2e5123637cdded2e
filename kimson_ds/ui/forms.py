"""Scenario forms: every field a scenario file can say, edited without writing YAML.

A :class:`ScenarioForm` is built from the scenario's pydantic model (the same
model the command line validates the file with), so a field added to the model
appears in the form, and the form can only save what the CLI accepts:

* ``bool`` → tick box; ``int``/``float`` → number box; ``str`` → text box;
  dates → ``dd/mm/yyyy`` text box; ``Literal`` → drop-down;
* ``X | None`` → a tick box "đặt giá trị" in front of the box of ``X``
  (unticked: the regulation's or the program's default applies);
* nested models → a labelled group of their own fields;
* lists and dictionaries whose values come from the data (people, posts,
  units, titles, courses) → multiple choice lists or one box per key, the
  choices given by the panel (``choices``);
* anything else (regulation parameter overrides, budgets per year) → a
  small text area of ``khóa: giá trị`` lines, checked when the form is read.

A panel may place some fields among its quick controls (``externals``): the
form still reads and writes them, so "Lưu kịch bản" and "Mở kịch bản" always
cover the whole scenario. :class:`ScenarioFiles` gives a panel both buttons.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kimson_ds.config import dump_scenario, load_yaml_text, parse_scenario, parse_user_date, shorten
from kimson_ds.errors import ScenarioError
from kimson_ds.papers.report import REPO_ROOT

__all__ = ["External", "FormPanelMixin", "ScenarioFiles", "ScenarioForm", "day_of", "field_paths", "put_day",
           "put_option"]

_NO_VALUE = object()


@dataclass
class External:
    """A field of the form shown by the panel itself (one of its quick controls).

    ``get(widget)`` returns the field's value (None leaves a dictionary key
    out), ``put(widget, value)`` shows a value read from a file.
    """

    widget: Any
    get: Callable[[Any], Any] = lambda w: w.value
    put: Callable[[Any, Any], None] = lambda w, v: setattr(w, "value", v)


def _strip_optional(tp) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        optional = len(args) < len(typing.get_args(tp))
        if len(args) == 1:
            return args[0], optional
        return typing.Union[tuple(args)], optional  # noqa: UP007 - rebuilt from parts
    return tp, False


def _is_model(tp) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def field_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Dotted paths of every field of ``model`` and its nested models (groups included)."""
    out = []
    for name, f in model.model_fields.items():
        path = f"{prefix}{name}"
        out.append(path)
        inner, _ = _strip_optional(f.annotation)
        if _is_model(inner):
            out.extend(field_paths(inner, f"{path}."))
    return out


def _bounds(field) -> dict:
    out = {}
    for m in getattr(field, "metadata", []) or []:
        for attr, key in (("ge", "min"), ("gt", "min"), ("le", "max"), ("lt", "max")):
            v = getattr(m, attr, None)
            if v is not None:
                out[key] = v
    return out


def _key(value) -> str:
    """Hashable option value of a list item (a dict of a pair, a code)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def day_of(widget) -> dt.date | None:
    """The date chosen in a drop-down of ISO dates ("" chooses no date)."""
    return dt.date.fromisoformat(widget.value) if widget.value else None


def put_day(widget, value) -> None:
    """Show a date (or None: the "" choice) in a drop-down of ISO dates."""
    iso = value.isoformat() if value else ""
    put_option(widget, iso, value.strftime("%d/%m/%Y") if value else "")


def put_option(widget, value, label: str | None = None) -> None:
    """Select ``value`` in a drop-down, adding it (sorted) when a file names a value not offered."""
    if value not in [v for _, v in widget.options]:
        widget.options = sorted([*widget.options, (label or str(value), value)], key=lambda o: str(o[1]))
    widget.value = value


# --------------------------------------------------------------------------- nodes
class _Kit:
    """ipywidgets with shared layout and style models (one per size and kind of widget): a form of a
    hundred fields sends its page a few models more per field instead of three."""

    def __init__(self, w) -> None:
        self.w = w
        self._layouts: dict = {}
        self._styles: dict = {}

    def __getattr__(self, name):
        return getattr(self.w, name)

    def lay(self, **kw):
        key = tuple(sorted(kw.items()))
        if key not in self._layouts:
            self._layouts[key] = self.w.Layout(**kw)
        return self._layouts[key]

    def make(self, cls: str, *, width: str | None = None, desc: str | None = None, **kw):
        """``ipywidgets.<cls>(**kw)`` with the shared layout of ``width`` and style of ``desc`` (label width)."""
        kw["layout"] = self.lay(width=width) if width else self.lay()
        key = (cls, desc)
        if key in self._styles:
            kw["style"] = self._styles[key]
        elif desc:
            kw["style"] = {"description_width": desc}
        widget = getattr(self.w, cls)(**kw)
        self._styles.setdefault(key, widget.style)
        return widget


class _Node:
    widget: Any = None
    leaves: list

    def get(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def set(self, value) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class _Scalar(_Node):
    def __init__(self, w, kind, label: str, bounds: dict, literal: list | None = None) -> None:
        self.kind, self.label = kind, label
        d = "300px"
        if literal is not None:
            self.widget = w.make("Dropdown", options=list(literal), description=label, width="560px", desc=d)
        elif kind is bool:
            self.widget = w.make("Checkbox", value=False, description=label, indent=False, width="560px")
        elif kind is int:
            self.widget = w.make("BoundedIntText", value=int(bounds.get("min", 0)), min=int(bounds.get("min", 0)),
                                 max=int(bounds.get("max", 1_000_000)), description=label, width="420px", desc=d)
        elif kind is float:
            self.widget = w.make("BoundedFloatText", value=float(bounds.get("min", 0)),
                                 min=float(bounds.get("min", 0)), max=float(bounds.get("max", 1_000_000)), step=None,
                                 description=label, width="420px", desc=d)
        elif kind is dt.date:
            self.widget = w.make("Text", value="", placeholder="ngày/tháng/năm", description=label, width="420px",
                                 desc=d, continuous_update=False)
        else:
            self.widget = w.make("Text", value="", description=label, width="560px", desc=d, continuous_update=False)
        self.leaves = [self.widget]

    def get(self):
        v = self.widget.value
        if self.kind is dt.date:
            d = parse_user_date(v)
            if d is None:
                raise ScenarioError(f"Ô «{self.label}»: '{shorten(v)}' không phải ngày hợp lệ (cần ngày/tháng/năm, "
                                    "ví dụ 31/12/2019).")
            return d
        if self.kind is float:
            return round(float(v), 10)
        return v

    def set(self, value) -> None:
        if self.kind is dt.date:
            d = parse_user_date(value) if value is not None else None
            self.widget.value = d.strftime("%d/%m/%Y") if d else ""
        elif value is not None:
            if hasattr(self.widget, "options") and value not in [o[1] for o in self.widget.options]:
                self.widget.options = [*self.widget.options, (str(value), value)]
            if hasattr(self.widget, "max") and isinstance(value, (int, float)) and value > self.widget.max:
                self.widget.max = value
            self.widget.value = value


class _Free(_Node):
    """``khóa: giá trị`` lines (or one value) for fields without a dedicated widget."""

    def __init__(self, w, label: str, empty, tp) -> None:
        self.label, self.empty = label, empty
        multi = isinstance(empty, dict) or any(typing.get_origin(a) is dict for a in typing.get_args(tp))
        if multi:
            self.widget = w.Textarea(value="", description=label, style={"description_width": "300px"},
                                     layout=w.lay(width="560px", height="90px"), continuous_update=False,
                                     placeholder="mỗi dòng một mục «khóa: giá trị»")
        else:
            self.widget = w.make("Text", value="", description=label, width="560px", desc="300px",
                                 continuous_update=False)
        self.leaves = [self.widget]

    def get(self):
        text = self.widget.value.strip()
        if not text:
            return self.empty
        return load_yaml_text(text, f"ô «{self.label}»", "kịch bản")

    def set(self, value) -> None:
        if value is None or value == self.empty:
            self.widget.value = ""
        elif isinstance(value, dict):  # one «khóa: giá trị» line per entry
            self.widget.value = "\n".join(f"{_flow(k)}: {_flow(v)}" for k, v in value.items())
        else:
            self.widget.value = _flow(value)


def _flow(value) -> str:
    """One-line YAML of a value (``[a, b]``, ``{2018: 10}``, ``0.25``)."""
    import yaml

    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=True, width=100_000)
    return text.strip().removesuffix("...").strip()


class _ListText(_Node):
    """A list of codes or numbers typed as ``a, b, c``."""

    def __init__(self, w, label: str, item) -> None:
        self.label, self.item = label, item
        self.widget = w.make("Text", value="", description=label, placeholder="các giá trị cách nhau bởi dấu phẩy",
                             width="560px", desc="300px", continuous_update=False)
        self.leaves = [self.widget]

    def get(self):
        parts = [p.strip() for p in self.widget.value.split(",") if p.strip()]
        if self.item is int:
            bad = [p for p in parts if not p.lstrip("-").isdigit()]
            if bad:
                raise ScenarioError(f"Ô «{self.label}»: '{shorten(bad[0])}' không phải số nguyên.")
            return [int(p) for p in parts]
        return parts

    def set(self, value) -> None:
        self.widget.value = ", ".join(str(v) for v in (value or []))


class _Choices(_Node):
    """A list whose items are chosen from the data (people × posts, units, courses…)."""

    def __init__(self, w, label: str, options: list[tuple[str, Any]]) -> None:
        self.label = label
        self.widget = w.SelectMultiple(options=[(lab, _key(v)) for lab, v in options], rows=min(8, max(3, len(options))),
                                       description=label, style={"description_width": "initial"},
                                       layout=w.lay(width="98%"))
        self.leaves = [self.widget]

    def get(self):
        return [json.loads(k) for k in self.widget.value]

    def set(self, value) -> None:
        keys = [_key(v.model_dump(mode="json") if isinstance(v, BaseModel) else v) for v in (value or [])]
        known = {k for _, k in self.widget.options}
        extra = [(f"{k} (không có trong dữ liệu)", k) for k in keys if k not in known]
        if extra:
            self.widget.options = [*self.widget.options, *extra]
        self.widget.value = tuple(keys)


class _PickList(_Node):
    """A list of items built by picking one value on each axis (person, post) and pressing "Thêm".

    ``axes`` is ``[(axis label, [(option label, partial item dict), …]), …]``; an item is the
    union of the partial dicts picked on every axis (an option ``{}`` leaves its keys out).
    """

    def __init__(self, w, label: str, axes: list[tuple[str, list[tuple[str, dict]]]]) -> None:
        self.label = label
        self.items: list[dict] = []
        self.axes = [w.Dropdown(options=[(lab, _key(part)) for lab, part in opts], description=name,
                                style={"description_width": "120px"}, layout=w.Layout(width="460px"))
                     for name, opts in axes]
        self._names = [{k: lab for lab, k in ((lab, _key(part)) for lab, part in opts)} for _, opts in axes]
        self._parts = [[part for _, part in opts] for _, opts in axes]
        add = w.Button(description="Thêm", tooltip=f"Thêm vào: {label}")
        drop = w.Button(description="Bỏ mục đang chọn", tooltip="Bỏ mục đang chọn khỏi danh sách")
        add.add_class("kimson-pick-add")
        drop.add_class("kimson-pick-drop")
        self.chosen = w.Select(options=[], rows=4, layout=w.lay(width="98%"))
        self.signature = w.Text(value="[]", layout=w.lay(display="none"))  # changes when the list changes
        add.on_click(lambda _b: self.add())
        drop.on_click(lambda _b: self.drop())
        self.widget = w.VBox([w.HTML(f"<i>{html.escape(label)}</i>"), w.HBox(self.axes, layout=w.Layout(
            flex_flow="row wrap")), w.HBox([add, drop]), self.chosen, self.signature])
        self.leaves = [self.signature]

    def _label(self, item: dict) -> str:
        parts = []
        for names, options in zip(self._names, self._parts, strict=True):
            best = max((p for p in options if all(item.get(k) == v for k, v in p.items())), key=len, default=None)
            if best is not None and best:
                parts.append(names[_key(best)])
        return " → ".join(parts) or _key(item)

    def _show(self) -> None:
        self.chosen.options = [(self._label(it), i) for i, it in enumerate(self.items)]
        self.signature.value = _key(self.items)

    def add(self) -> None:
        item: dict = {}
        for dd in self.axes:
            item.update(json.loads(dd.value) if dd.value is not None else {})
        if item and item not in self.items:
            self.items.append(item)
            self._show()

    def pick(self, *parts: dict) -> None:
        """Choose ``parts`` (one partial item per axis) in the drop-downs and press "Thêm"."""
        for dd, part in zip(self.axes, parts, strict=True):
            dd.value = _key(part)
        self.add()

    def drop(self) -> None:
        if self.chosen.value is not None:
            del self.items[self.chosen.value]
            self._show()

    def get(self):
        return [dict(it) for it in self.items]

    def set(self, value) -> None:
        self.items = [v.model_dump(mode="json", exclude_none=True) if isinstance(v, BaseModel)
                      else {k: x for k, x in dict(v).items() if x is not None} for v in (value or [])]
        self._show()


class _Grid(_Node):
    """``dict[code, number]``: one box per code (empty box: the code is left out)."""

    def __init__(self, w, label: str, path: str, keys: list[tuple[str, str]], value_type, externals: dict) -> None:
        self._w, self.label, self.path, self.value_type = w, label, path, value_type
        self.externals = externals
        self.boxes: dict[str, Any] = {}
        self.labels = dict(keys)
        self.box = w.VBox()
        self.widget = w.VBox([w.HTML(f"<i>{html.escape(label)}</i> (để trống: không đặt)"), self.box])
        for k, _ in keys:
            self._add(k)
        self.leaves = list(self.boxes.values())

    def _add(self, key: str) -> None:
        if f"{self.path}.{key}" in self.externals or key in self.boxes:
            return
        w = self._w
        self.boxes[key] = w.make("Text", value="", description=self.labels.get(key, key), continuous_update=False,
                                 width="460px", desc="300px")
        self.box.children = list(self.boxes.values())

    def get(self):
        out = {}
        for key, ext in self.externals.items():
            if ext is not None and key.startswith(self.path + "."):
                v = ext.get(ext.widget)
                if v is not None:
                    out[key[len(self.path) + 1:]] = v
        for key, box in self.boxes.items():
            text = box.value.strip().replace(",", ".")
            if not text:
                continue
            try:
                out[key] = int(text) if self.value_type is int else float(text)
            except ValueError:
                raise ScenarioError(f"Ô «{self.label} — {self.labels.get(key, key)}»: '{shorten(box.value)}' "
                                    f"không phải {'số nguyên' if self.value_type is int else 'số'}.") from None
        return out

    def set(self, value) -> None:
        value = dict(value or {})
        for key in value:
            self._add(str(key))
        for key, ext in self.externals.items():
            if key.startswith(self.path + "."):
                ext.put(ext.widget, value.get(key[len(self.path) + 1:]))
        for key, box in self.boxes.items():
            v = value.get(key)
            box.value = "" if v is None else (str(v).replace(".", ",") if isinstance(v, float) else str(v))
        self.leaves = list(self.boxes.values())


class _ExternalNode(_Node):
    def __init__(self, ext: External) -> None:
        self.ext = ext
        self.widget = None
        self.leaves = []

    def get(self):
        return self.ext.get(self.ext.widget)

    def set(self, value) -> None:
        self.ext.put(self.ext.widget, value)


class _Optional(_Node):
    def __init__(self, w, label: str, inner: _Node, default=None) -> None:
        self.inner = inner
        self.tick = w.make("Checkbox", value=False, indent=False, description=f"Đặt: {label}", width="560px")
        self.tick.observe(lambda _c: self._show(), names="value")
        self.holder = w.VBox([inner.widget])  # own layout: the inner widget's may be shared
        self.widget = w.VBox([self.tick, self.holder], layout=w.lay())
        self.leaves = [self.tick, *inner.leaves]
        self._show()

    def _show(self) -> None:
        self.holder.layout.display = "" if self.tick.value else "none"

    def get(self):
        return self.inner.get() if self.tick.value else None

    def set(self, value) -> None:
        if value is not None:
            self.inner.set(value)
        self.tick.value = value is not None


class _Group(_Node):
    def __init__(self, w, children: dict[str, _Node], label: str | None, depth: int) -> None:
        self.children = children
        shown = [c.widget for c in children.values() if c.widget is not None]
        head = [w.make("HTML", value=f"<b>{html.escape(label)}</b>")] if label else []
        margin = "4px 0 4px 16px" if depth else "0"
        self.widget = w.VBox(head + shown, layout=w.lay(margin=margin, border_left="2px solid #d5dbe3"
                                                         if depth else ""))
        self.leaves = [leaf for c in children.values() for leaf in c.leaves]

    def get(self):
        return {k: c.get() for k, c in self.children.items()}

    def set(self, value) -> None:
        value = value if isinstance(value, dict) else (value.model_dump() if isinstance(value, BaseModel) else {})
        for k, c in self.children.items():
            if k in value:
                c.set(value[k])


# --------------------------------------------------------------------------- form
class ScenarioForm:
    """A form for every field of a scenario model.

    Parameters
    ----------
    model : pydantic model class
        The scenario model the command line validates the file with.
    value : model instance
        The scenario shown first.
    labels : dict of str to str
        Vietnamese label of every dotted field path (``weights.merit``) and of
        the codes of per-key boxes (``posts.counts.bi_thu`` is labelled by
        the ``choices`` of ``posts.counts``).
    choices : dict of str to list of (label, value), or to dict of axis label to such lists
        For list fields: the items to choose from, or (a dict) the axes an item
        is picked on (person, post: each option a partial item); for
        ``dict[code, number]`` fields: the codes (value = code).
    externals : dict of str to External
        Fields shown by the panel among its quick controls.
    validate : callable, optional
        ``validate(data) -> model`` (default: :func:`kimson_ds.config.parse_scenario`).

    Attributes
    ----------
    widget : ipywidgets.VBox
    fields : dict of str to widget
        The input of each field path shown in the form (groups have none; per-key boxes are
        ``path.key``).
    nodes : dict of str to node
        The editor of each field path (``nodes["pins"].pick(person, post)`` adds an item).
    ticks : dict of str to Checkbox
        The "Đặt: …" tick box of each optional field (unticked: the field is left empty).
    missing_labels : list of str
        Field paths that fell back to their code as label (should stay empty).
    """

    def __init__(self, model: type[BaseModel], value: BaseModel, *, labels: dict[str, str],
                 choices: dict[str, list[tuple[str, Any]]] | None = None,
                 externals: dict[str, External] | None = None,
                 validate: Callable[[dict], BaseModel] | None = None) -> None:
        import ipywidgets

        self._w = _Kit(ipywidgets)
        self.model = model
        self.labels = labels
        self.choices = choices or {}
        self.externals = externals or {}
        self._validate = validate or (lambda data: parse_scenario(data, model, "các ô nhập của biểu mẫu"))
        self.fields: dict[str, Any] = {}
        self.ticks: dict[str, Any] = {}
        self.nodes: dict[str, _Node] = {}
        self.missing_labels: list[str] = []
        self.root = self._group(model, "", None, 0)
        self.widget = self.root.widget
        self.widget.add_class("kimson-scenario-form")
        self.set(value)

    # -- building
    def _label(self, path: str) -> str:
        if path not in self.labels:
            self.missing_labels.append(path)
            return path
        return self.labels[path]

    def _group(self, model: type[BaseModel], prefix: str, label: str | None, depth: int) -> _Group:
        children = {name: self._node(f"{prefix}{name}", f, depth) for name, f in model.model_fields.items()}
        return _Group(self._w, children, label, depth)

    def _node(self, path: str, field, depth: int) -> _Node:
        if path in self.externals:
            return _ExternalNode(self.externals[path])
        w = self._w
        label = self._label(path)
        tp, optional = _strip_optional(field.annotation)
        node = self._inner(path, tp, label, field, depth)
        self.nodes[path] = node
        if node.widget is not None and hasattr(node.widget, "value"):
            self.fields[path] = node.widget
        if isinstance(node, _Grid):
            for key, box in node.boxes.items():
                self.fields[f"{path}.{key}"] = box
        if optional:
            node = _Optional(w, label, node)
            self.ticks[path] = node.tick
        node.widget.add_class("kimson-f-" + path.replace(".", "-").replace("_", "-"))
        return node

    def _inner(self, path: str, tp, label: str, field, depth: int) -> _Node:
        w = self._w
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if _is_model(tp):
            return self._group(tp, f"{path}.", label, depth + 1)
        if origin is typing.Literal:  # choices labelled by ``labels["path:value"]``
            return _Scalar(w, str, label, {}, literal=[(self._label(f"{path}:{v}"), v) for v in args])
        if tp in (bool, int, float, str, dt.date):
            return _Scalar(w, tp, label, _bounds(field))
        if origin is list and isinstance(self.choices.get(path), dict):
            return _PickList(w, label, list(self.choices[path].items()))
        if origin is list and path in self.choices:
            return _Choices(w, label, self.choices[path])
        if origin is list and args and args[0] in (str, int):
            return _ListText(w, label, args[0])
        if origin is dict and path in self.choices and len(args) == 2 and args[1] in (int, float):
            return _Grid(w, label, path, [(str(k), lab) for lab, k in self.choices[path]], args[1],
                         {k: v for k, v in self.externals.items() if k.startswith(path + ".")})
        empty = {} if origin is dict else ([] if origin is list else None)
        return _Free(w, label, empty, tp)

    # -- reading and writing
    @property
    def leaves(self) -> list:
        """Every input widget of the form (not the externals)."""
        return self.root.leaves

    def data(self) -> dict:
        """The raw mapping the form holds (before validation)."""
        return self.root.get()

    def value(self) -> BaseModel:
        """The scenario the form describes, validated as the command line validates the file."""
        return self._validate(self.data())

    def set(self, value: BaseModel) -> None:
        """Show ``value`` in every field (and in the panel's quick controls)."""
        self.root.set(value.model_dump())

    def observe(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` when any field of the form changes."""
        for leaf in self.leaves:
            leaf.observe(lambda _c: callback(), names="value")


class ScenarioFiles:
    """"Mở kịch bản" and "Lưu kịch bản" of a panel with a scenario form.

    Parameters
    ----------
    open_file : callable
        ``open_file(path) -> bool`` loads a scenario file into the panel.
    save_file : callable
        ``save_file(path) -> Path`` writes the panel's scenario (a file the CLI accepts).
    default_path : str
        Where "Lưu kịch bản" proposes to save.
    example : str
        Placeholder of the open field.
    """

    def __init__(self, open_file: Callable[[Path], bool], save_file: Callable[[Path], Path], default_path: str,
                 example: str) -> None:
        import ipywidgets as w

        from kimson_ds.ui.common import SaveButton

        self._open = open_file
        self.open_path = w.Text(value="", placeholder=f"ví dụ {example}", description="Tệp kịch bản cần mở:",
                                layout=w.Layout(width="440px"), style={"description_width": "initial"})
        self.open_path.add_class("kimson-open-path")
        button = w.Button(description="Mở kịch bản", tooltip="Đọc một tệp kịch bản (YAML) vào các ô nhập")
        button.add_class("kimson-open")
        self.open_out = w.HTML("")
        button.on_click(lambda _b: self.open(self.open_path.value))
        self.opener = w.VBox([w.HBox([self.open_path, button]), self.open_out])
        self.saver = SaveButton(save_file, default_path)

    def open(self, path) -> bool:
        """Open ``path`` (relative to the project when not found as given); say what happened."""
        from kimson_ds.ui.common import error_html

        text = str(path).strip()
        p = Path(text).expanduser()
        p = p if p.is_absolute() or p.exists() else REPO_ROOT / p
        try:
            if not text:
                raise FileNotFoundError("chưa nhập tên tệp kịch bản")
            ok = self._open(p)
        except Exception as exc:  # noqa: BLE001 - shown under the button
            self.open_out.value = error_html(exc, "Không mở được kịch bản")
            return False
        self.open_path.value = text
        self.open_out.value = f'<span class="kimson-ok">Đã mở kịch bản {html.escape(str(p))}.</span>'
        return ok


def save_scenario(sc: BaseModel, path: Path) -> Path:
    """Write ``sc`` where "Lưu kịch bản" was asked to (the YAML the command line reads)."""
    return dump_scenario(sc, path)


class FormPanelMixin:
    """What a panel with a :class:`ScenarioForm` shares: the form, "Mở kịch bản", "Lưu kịch bản".

    The panel sets :attr:`model` (the scenario model), :attr:`labels` and
    calls :meth:`_build_form`; :meth:`scenario` is then the form's scenario and
    every change of a field re-runs the analysis.
    """

    model: type[BaseModel]
    labels: dict[str, str] = {}

    def _build_form(self, sc: BaseModel, *, stem: str, example: str, externals: dict | None = None,
                    choices: dict | None = None, validate: Callable[[dict], BaseModel] | None = None,
                    files: ScenarioFiles | None = None) -> None:
        import os

        w = self._w
        self.form = ScenarioForm(self.model, sc, labels=self.labels, choices=choices, externals=externals,
                                 validate=validate)
        self.files = files or ScenarioFiles(self._open_file, self._save_scenario,
                                            os.path.relpath(REPO_ROOT / "reports" / "kich-ban" / f"{stem}.yaml",
                                                            REPO_ROOT), example)
        if files is not None:  # a panel rebuilt for a newly opened file keeps its buttons, now serving it
            files._open, files.saver._write = self._open_file, self._save_scenario
        self.saver = self.files.saver
        self.form_box = w.Accordion(children=[self.form.widget],
                                    titles=("Kịch bản đầy đủ: mọi mục của tệp kịch bản",))
        self.form_box.selected_index = None
        self.form.observe(self.refresh)

    @property
    def open_out(self):
        return self.files.open_out

    def scenario(self) -> BaseModel:
        """The scenario the form (and the quick controls) describe, validated like the CLI's file."""
        return self.form.value()

    def open_scenario(self, path) -> bool:
        """Load a scenario file into the form and re-run; False (message under the button) if unusable."""
        return self.files.open(path)

    def _open_file(self, path: Path) -> bool:
        from kimson_ds.config import load_scenario

        sc = load_scenario(path, self.model)
        with self.holding():
            self.form.set(sc)
        return self.error is None

    def _save_scenario(self, path: Path) -> Path:
        return dump_scenario(self.scenario(), path)

    def _form_buttons(self, stem: str) -> list:
        """"Mở kịch bản", "Lưu kịch bản", "Xuất Tờ trình, Excel và PDF" and "Xuất báo cáo" of the panel."""
        import os

        from kimson_ds.ui.common import ExportButton, ReportButton

        out = REPO_ROOT / "reports"
        self.exporter = ExportButton(self._export_tables, os.path.relpath(out / "xuat" / stem, REPO_ROOT), stem,
                                     submission=self._submission)
        self.reporter = ReportButton(self.notebook, self._report_parameters,
                                     os.path.relpath(out / "ung-dung" / stem, REPO_ROOT))
        return [self.files.opener, self.saver.widget, self.exporter.widget, self.reporter.widget]

    def _result_or_error(self):
        if self.result is None:
            raise ScenarioError("Chưa có kết quả để xuất; hãy sửa các lựa chọn cho đến khi có kết quả.")
        return self.result

    def _export_tables(self) -> tuple:  # pragma: no cover - abstract
        raise NotImplementedError

    def _submission(self):  # pragma: no cover - abstract
        raise NotImplementedError
