"""The map's payload against its one declaration (geoconflict/maps/payload_types.py), both ways.

Python side: the payload built for several conflicts holds exactly the declared keys, at every
depth, with values of the declared kinds. Script side: every key the page's scripts read from
the payload (by the convention the declaration's docstring states) is declared, and every
interface word they read exists in the style's words.
"""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import make_actors, make_boundary, make_control, make_places
from test_maps import grid, hostile_conflict

import geoconflict as gc
from geoconflict.maps import map_data, payload_types
from geoconflict.maps.payload_types import PAYLOAD_VERSION, SPARSE_DEFAULTS, Payload
from geoconflict.style import words

STATIC = Path(gc.__file__).parent / "maps" / "static"
SCRIPTS = sorted(STATIC.glob("*.js"))


# --------------------------------------------------------------------------- values


def check(value: object, kind: object, path: str, problems: list[str]) -> None:
    """Add to ``problems`` every way ``value`` departs from the declared ``kind``."""
    if typing.is_typeddict(kind):
        if not isinstance(value, dict):
            problems.append(f"{path}: a {type(value).__name__}, declared {kind.__name__}")
            return
        required, optional = kind.__required_keys__, kind.__optional_keys__
        for key in sorted(required - value.keys()):
            problems.append(f"{path}.{key}: declared, not sent")
        for key in sorted(value.keys() - required - optional):
            problems.append(f"{path}.{key}: sent, not declared in {kind.__name__}")
        hints = typing.get_type_hints(kind)
        for key in value.keys() & hints.keys():
            check(value[key], hints[key], f"{path}.{key}", problems)
        return
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        trials = []
        for option in args:
            found: list[str] = []
            check(value, option, path, found)
            if not found:
                return
            trials.append(found)
        problems.extend(min(trials, key=len))
        return
    if origin is typing.Literal:
        if value not in args:
            problems.append(f"{path}: {value!r} is none of {args}")
        return
    if origin is list:
        if not isinstance(value, list):
            problems.append(f"{path}: a {type(value).__name__}, declared a list")
            return
        for i, item in enumerate(value):
            before = len(problems)
            check(item, args[0], f"{path}[{i}]", problems)
            if len(problems) > before:  # one bad entry says it
                return
        return
    if origin is dict:
        if not isinstance(value, dict):
            problems.append(f"{path}: a {type(value).__name__}, declared a dict")
            return
        for key, item in value.items():
            check(key, args[0], f"{path} key", problems)
            check(item, args[1], f"{path}[{key!r}]", problems)
        return
    if kind is type(None):
        if value is not None:
            problems.append(f"{path}: {value!r}, declared None")
    elif kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: {value!r}, declared a number")
    elif kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: {value!r}, declared an int")
    elif kind is str:
        if not isinstance(value, str):
            problems.append(f"{path}: {value!r}, declared a str")
    else:  # pragma: no cover - a kind this checker does not know
        problems.append(f"{path}: the checker does not know {kind!r}")


def problems_of(data: dict) -> list[str]:
    found: list[str] = []
    check(data, Payload, "payload", found)
    return found


def test_the_checker_finds_an_undeclared_key_a_missing_key_and_a_wrong_kind(conflict):
    data = map_data(conflict)
    assert problems_of(data) == []
    data["flows"]["lines"]["colour"] = []
    del data["places"]["tier"]
    data["control"]["to"][0] = 3
    assert sorted(problems_of(data)) == [
        "payload.control.to[0]: 3, declared a str",
        "payload.flows.lines.colour: sent, not declared in FlowLines",
        "payload.places.tier: declared, not sent",
    ]


def present_counts() -> gc.Conflict:
    """Counts of people present (one over a polygon covering the map), ranges, categories,
    estimates, and a town inside a polygon place that inherits its state."""
    places = make_places()
    unit = gpd.GeoDataFrame(
        {"place_id": ["u"], "name": ["Unit"], "level": ["admin2"]},
        geometry=[shapely.box(35.9, 34.9, 36.2, 35.2)],
        crs="EPSG:4326",
    )
    town = gpd.GeoDataFrame(
        {"place_id": ["t"], "name": ["Town"]}, geometry=[shapely.Point(36.1, 35.1)], crs=4326
    )
    whole = gpd.GeoDataFrame(
        {"place_id": ["all"], "name": ["All"], "level": ["admin0"]},
        geometry=[shapely.box(35.75, 34.75, 37.25, 35.75)],
        crs="EPSG:4326",
    )
    places = pd.concat([places, unit, town, whole], ignore_index=True)
    control = pd.concat(
        [
            make_control(),
            pd.DataFrame(
                {"place_id": ["u", "u"], "actor_id": ["gov", "reb"]}
                | {"date": ["2024-12-01", "2024-12-04"]}
            ),
        ],
        ignore_index=True,
    )
    flows = pd.DataFrame(
        {
            "origin": ["a", None, None, "b", None],
            "destination": ["d", "f", "all", "e", "f"],
            "start": ["2024-12-02", "2024-12-01", "2024-12-01", "2024-12-03", "2024-12-04"],
            "end": ["2024-12-04", "2024-12-01", "2024-12-01", "2024-12-03", "2024-12-04"],
            "people": [1000.0, 5000.0, 90000.0, 300.0, 4000.0],
            "people_max": [1500.0, 8000.0, None, None, None],
            "kind": ["movement", "present", "present", "movement", "present"],
            "category": ["refugee", "internal", "internal", "return", "internal"],
            "quality": ["estimate", "estimate", "reported", "reported", "reported"],
        }
    )
    return gc.Conflict(places, make_actors(), control, flows, boundary=make_boundary())


def with_events() -> gc.Conflict:
    events = gpd.GeoDataFrame(
        {
            "date": ["2024-12-02", "2024-12-04"],
            "event_type": ["Battles", None],
            "actor1": ["gov", "reb"],
            "fatalities": [3, None],
            "source": ["https://example.org/e", None],
        },
        geometry=[shapely.Point(36.2, 35.2), shapely.Point(36.8, 35.3)],
        crs="EPSG:4326",
    )
    return grid(boundary=make_boundary(), events=events)


CASES = {
    "grid": lambda: map_data(grid(boundary=make_boundary())),
    "no boundary": lambda: map_data(grid()),
    "no flows": lambda: map_data(gc.Conflict(make_places(), make_actors(), make_control())),
    "present counts": lambda: map_data(present_counts()),
    "events": lambda: map_data(with_events(), flows="cumulative"),
    "hostile, Arabic": lambda: map_data(hostile_conflict(), lang="ar"),
    "example": lambda: map_data(gc.load_example(), max_distance_km="auto"),
    "example, few layers": lambda: map_data(
        gc.load_example(), layers=["places", "flows"], flow_groups=False
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_payload_holds_exactly_the_declared_keys(case):
    data = CASES[case]()
    assert data["version"] == PAYLOAD_VERSION
    assert problems_of(data) == []


def test_the_cases_cover_every_optional_part():
    """The payloads checked above send every key the declaration allows, at least once."""
    sent: set[str] = set()

    def walk(value: object, kind: object, path: str) -> None:
        if typing.is_typeddict(kind) and isinstance(value, dict):
            hints = typing.get_type_hints(kind)
            for key, item in value.items():
                sent.add(f"{kind.__name__}.{key}")
                walk(item, hints[key], path)
        elif isinstance(value, list) and value and _item(kind) is not None:
            walk(value[0], _item(kind), path)

    datas = [make() for make in CASES.values()]
    for data in datas:
        walk(data, Payload, "")
    declared = {
        f"{kind.__name__}.{key}"
        for kind in vars(payload_types).values()
        if typing.is_typeddict(kind)
        for key in kind.__required_keys__ | kind.__optional_keys__
    }
    assert declared - sent == set()
    assert any(d["flows"]["lines"]["category"] for d in datas if "flows" in d)
    assert any(not d["flows"]["lines"]["category"] for d in datas if "flows" in d)


def test_sparse_columns_are_sent_empty_only_when_every_entry_is_the_default():
    data = map_data(grid(boundary=make_boundary()))
    lines = data["flows"]["lines"]
    assert lines["defaults"] == SPARSE_DEFAULTS
    assert lines["category"] == [] and lines["people_max"] == [] and lines["group"] == []
    assert lines["estimate"] == [0, 1, 1]  # some estimates: the column is sent whole
    full = map_data(present_counts())["flows"]["lines"]
    assert full["category"] == [1, 2]  # refugee, return
    assert full["people_max"] == [1500, None] and full["width_max"][1] is None


# --------------------------------------------------------------------------- scripts


def _code(text: str) -> tuple[str, dict[str, str]]:
    """The script with comments, strings and regular expressions blanked (same length), and
    the ``@payload name Type`` annotations its comments hold."""
    out, notes = [], {}
    i, n = 0, len(text)
    last = ""  # the last significant character, to tell a regular expression from a division
    while i < n:
        c = text[i]
        if text.startswith("//", i) or text.startswith("/*", i):
            end = text.find("\n", i) if c + text[i + 1] == "//" else text.find("*/", i) + 2
            end = n if end < (1 if c + text[i + 1] == "//" else 2) else end
            for name, kind in re.findall(r"@payload\s+([\w.]+)\s+(\w+)", text[i:end]):
                notes[name] = kind
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
            continue
        if c in "\"'" or (c == "/" and (last in "(,=:[!&|?{};" or last == "")):
            j = i + 1
            in_class = False
            while j < n and (text[j] != c or in_class):
                if text[j] == "\\":
                    j += 1
                elif c == "/" and text[j] == "[":
                    in_class = True
                elif c == "/" and text[j] == "]":
                    in_class = False
                j += 1
            out.append(c + " " * (j - i - 1) + c)
            i = j + 1
            if c == "/":
                while i < n and text[i].isalpha():  # flags
                    out.append(" ")
                    i += 1
            last = "x"
            continue
        out.append(c)
        if not c.isspace():
            last = c
        i += 1
    return "".join(out), notes


ROOTS = {"ctx.data", "this.data", "self.data", "gcx.data", "data"}
WORD_ROOTS = {"ctx.words", "this.words", "self.words", "gcx.words"}
NAME = r"[A-Za-z_$][\w$]*"
CHAIN = rf"{NAME}(?:\.{NAME})*"


def _kinds() -> dict[str, object]:
    return {k: v for k, v in vars(payload_types).items() if typing.is_typeddict(v)}


class Reads:
    """The payload reads of one script, walked against the declaration."""

    def __init__(self, path: Path):
        self.path = path
        self.code, notes = _code(path.read_text(encoding="utf-8"))
        self.alias: dict[str, object] = {root: Payload for root in ROOTS}
        self.alias.update({root: "words" for root in WORD_ROOTS})
        kinds = _kinds()
        for name, kind in notes.items():
            self.alias[name] = kinds[kind]
        self.problems: list[str] = []
        self._bind()

    def line(self, at: int) -> int:
        return self.code.count("\n", 0, at) + 1

    def _bind(self) -> None:
        """Names bound straight to a payload chain: ``var f = this.f = ctx.data.flows;``."""
        pattern = re.compile(rf"(?:\bvar\s+)?((?:{CHAIN}\s*=\s*)+)({CHAIN})\s*[;,)]")
        for match in pattern.finditer(self.code):
            target = self.walk(match.group(2), match.start(2), report=False)
            if target is None:
                continue
            for name in re.findall(rf"({CHAIN})\s*=", match.group(1)):
                known = self.alias.get(name)
                if known is not None and known != target and name not in ROOTS:
                    self.problems.append(
                        f"{self.path.name}:{self.line(match.start())}: {name} is bound to "
                        f"two parts of the payload ({_label(known)}, {_label(target)})"
                    )
                self.alias[name] = target

    def walk(self, chain: str, at: int, *, report: bool = True) -> object | None:
        """The declared kind at the end of ``chain`` when it starts at a payload name."""
        parts = chain.split(".")
        for size in range(len(parts), 0, -1):
            root = ".".join(parts[:size])
            if root in self.alias:
                break
        else:
            return None
        kind = self.alias[root]
        for key in parts[size:]:
            kind = self.step(kind, key, f"{root}...{key}", at, report)
            if kind is None:
                return None
        return kind

    def step(self, kind: object, key: str, where: str, at: int, report: bool) -> object | None:
        if kind == "words":
            if report and key not in WORDS:
                self.problems.append(
                    f"{self.path.name}:{self.line(at)}: the word {key!r} ({where}) is not "
                    "in geoconflict.style.words"
                )
            return None
        if typing.is_typeddict(kind):
            hints = typing.get_type_hints(kind)
            if kind is Payload and key == "words":
                return "words"
            if key not in hints:
                if report:
                    self.problems.append(
                        f"{self.path.name}:{self.line(at)}: {where} reads {key!r}, which "
                        f"{kind.__name__} does not declare"
                    )
                return None
            return hints[key]
        return None  # a list, a number, a text: its own methods and properties

    def check(self) -> list[str]:
        for match in re.finditer(rf"(?<![\w$.]){CHAIN}", self.code):
            chain = match.group(0)
            at = match.end()
            kind = self.walk(chain, match.start())
            # an index into a declared list or mapping, then more keys: actors[i].color
            while kind is not None and at < len(self.code) and self.code[at] == "[":
                depth, j = 0, at
                while j < len(self.code):
                    depth += {"[": 1, "]": -1}.get(self.code[j], 0)
                    if depth == 0:
                        break
                    j += 1
                kind = _item(kind)
                tail = re.match(rf"\.({CHAIN})", self.code[j + 1 :])
                if kind is None or tail is None:
                    break
                for key in tail.group(1).split("."):
                    kind = self.step(kind, key, f"[...].{key}", match.start(), True)
                    if kind is None:
                        break
                at = j + 1 + tail.end()
        return self.problems


def _item(kind: object) -> object | None:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is list:
        return args[0]
    if origin is dict:
        return args[1]
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return _item(options[0]) if len(options) == 1 else None
    return None


def _label(kind: object) -> str:
    return getattr(kind, "__name__", str(kind))


WORDS = set(words("en"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_the_scripts_read_only_declared_keys_and_known_words(script):
    assert Reads(script).check() == []


def test_the_script_check_finds_an_undeclared_read_and_an_unknown_word(tmp_path):
    script = tmp_path / "bad.js"
    script.write_text(
        "(function () {\n"
        "  var f = ctx.data.flows.lines; // a comment: ctx.data.nothing\n"
        "  var text = 'ctx.data.nothing';\n"
        "  var re = /ctx.data.nothing/g;\n"
        "  f.people.length; f.colour[0];\n"
        "  ctx.data.actors[0].colour;\n"
        "  ctx.words.no_such_word; ctx.words.play;\n"
        "  var enc = other; /* @payload enc EncodedPolygons */ enc.xy; enc.ring;\n"
        "})();\n",
        encoding="utf-8",
    )
    assert Reads(script).check() == [
        "bad.js:5: f...colour reads 'colour', which FlowLines does not declare",
        "bad.js:6: [...].colour reads 'colour', which Actor does not declare",
        "bad.js:7: the word 'no_such_word' (ctx.words...no_such_word) is not in "
        "geoconflict.style.words",
        "bad.js:8: enc...ring reads 'ring', which EncodedPolygons does not declare",
    ]


def test_every_script_reads_the_payload():
    """The convention is in use: each script that draws from the payload is walked."""
    walked = {p.name for p in SCRIPTS if re.search(r"\b(?:ctx|this)\.data\b", p.read_text())}
    assert {"runtime.js", "flows.js", "land.js", "layers.js", "panel.js"} <= walked


# --------------------------------------------------------------------------- colours


def _hex(value: str) -> str:
    value = value.lower()
    return "#" + "".join(2 * c for c in value[1:]) if len(value) == 4 else value


def test_no_colour_of_the_style_is_copied_into_the_scripts_or_the_style_sheets():
    """The page takes its colours from geoconflict.style (payload ``colors`` and the CSS
    custom properties written from it): the scripts hold no colour at all, and the style
    sheets none of the style's."""
    from geoconflict.style import (
        BASE_COLORS,
        BASE_NAME_COLORS,
        FLOW_COLORS,
        MAP_COLORS,
        TEXT_COLOR,
    )

    shared = {
        _hex(c)
        for c in [*MAP_COLORS.values(), *BASE_COLORS.values(), *BASE_NAME_COLORS.values()]
        + [*FLOW_COLORS.values(), TEXT_COLOR]
    } - {"#ffffff"}  # white is white
    colour = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
    for script in SCRIPTS:
        code, _ = _code(script.read_text(encoding="utf-8"))
        text = script.read_text(encoding="utf-8")
        assert colour.findall(code) == [], script.name
        assert [c for c in colour.findall(text) if _hex(c) in shared] == [], script.name
    for sheet in STATIC.glob("*.css"):
        found = [c for c in colour.findall(sheet.read_text()) if _hex(c) in shared]
        assert found == [], sheet.name


def test_the_page_defines_every_colour_its_style_sheet_uses(conflict):
    from geoconflict.maps.assets import css_variables

    html = gc.maps.render_html(gc.explore(conflict, tiles=None))
    defined = set(re.findall(r"--gc-([\w-]+):", css_variables()))
    used = set(re.findall(r"var\(--gc-([\w-]+)", (STATIC / "geoconflict.css").read_text()))
    assert used - defined <= {"side-a", "side-b"}  # the legend's swatch sets these two
    assert css_variables() in html
