"""The ``geoconflict`` command.

Exit status: 0 on success, 2 on bad input (one line on stderr, no traceback).
Each subcommand is one small function taking the parsed arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd

from ._time import date_or_last
from ._version import __version__
from .basemap import BASEMAP_LAYERS, make_basemap
from .errors import DataWarning, GeoconflictError, MapOptionError, OptionError
from .figures import FORMATS, animate, plot_control_over_time, plot_map, save_figure
from .io.events_context import SOURCES, add_event_context
from .io.folder import check_folder, save_conflict
from .io.geojson import to_geojson
from .io.gpkg import to_gpkg
from .io.parquet import to_parquet
from .maps import explore, save_map
from .read import read_conflict
from .style import LANGUAGES

__all__ = ["main"]

BAD_INPUT = 2


def _read(path: str):
    return read_conflict(path)


def _when(conflict, date: str | None):
    return date_or_last(date, conflict.period, argument="--date")


#: The tiles of the map when --tiles is not given.
DEFAULT_TILES = "OpenStreetMap Mapnik"


def _given(args: argparse.Namespace, dest: str) -> bool:
    """Whether an option was given: every option that may do nothing defaults to None, False
    or an empty list."""
    return getattr(args, dest) not in (None, False, [])


def _refuse_unused(
    args: argparse.Namespace, options: dict[str, str], *, where: str, fix: str
) -> None:
    """Refuse the ``options`` (dest -> the option as typed) that were given: they do nothing
    ``where`` (e.g. "with --kind control"), and ignoring them would hide a mistake."""
    given = [flag for dest, flag in options.items() if _given(args, dest)]
    if given:
        verb = "does" if len(given) == 1 else "do"
        raise OptionError(
            f"{', '.join(given)} {verb} nothing {where}. Fix: drop {' and '.join(given)}{fix}."
        )


def _basemap(args: argparse.Namespace) -> object:
    """``"auto"``, ``None`` (``--basemap none``) or a base map of the ``--basemap-layer`` files."""
    if not args.basemap_layer:
        if args.basemap_credit:
            raise MapOptionError(
                "--basemap-credit is given without --basemap-layer. Fix: pass the layers "
                "it credits, e.g. --basemap-layer rivers=rivers.gpkg."
            )
        return None if args.basemap == "none" else "auto"
    if args.basemap == "none":
        raise MapOptionError(
            "--basemap none and --basemap-layer contradict each other. Fix: drop one."
        )
    layers: dict[str, Any] = {}
    for item in args.basemap_layer:
        name, sep, path = item.partition("=")
        if not sep or name not in BASEMAP_LAYERS or not path:
            raise MapOptionError(
                f"--basemap-layer {item!r} is not LAYER=PATH with LAYER one of "
                f"{', '.join(BASEMAP_LAYERS)}. Fix: e.g. --basemap-layer rivers=rivers.gpkg."
            )
        if name in layers:
            raise MapOptionError(
                f"--basemap-layer names {name!r} twice. Fix: give each layer once."
            )
        layers[name] = path
    return make_basemap(**layers, credits=args.basemap_credit, name="from the command line")


def _words(args: argparse.Namespace) -> dict:
    """``lang``, ``words`` (``--words FILE.json``) and ``level_names`` (``--level-name``)."""
    options: dict = {"lang": args.lang}
    if args.words:
        path = Path(args.words)
        try:
            options["words"] = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise MapOptionError(
                f"--words {args.words}: cannot be read ({exc.strerror or exc}). Fix: pass a "
                "JSON file of interface words (the keys of geoconflict.style.words('en'))."
            ) from None
        except ValueError as exc:
            raise MapOptionError(
                f"--words {args.words}: not JSON ({exc}). Fix: pass a JSON object of "
                'interface words, e.g. {"frontlines": "Frontlinien"}.'
            ) from None
    levels: dict[str, str] = {}
    for item in args.level_name:
        level, sep, word = item.partition("=")
        if not sep or not level.strip() or not word.strip():
            raise MapOptionError(
                f"--level-name {item!r} is not LEVEL=WORD. Fix: e.g. --level-name admin1=oblast."
            )
        levels[level.strip()] = word.strip()
    if levels:
        options["level_names"] = levels
    return options


def _distance(text: str) -> float | str:
    """``--max-distance-km``: a number of km or ``auto`` (checked by the library)."""
    if text == "auto":
        return text
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of km or 'auto' (e.g. --max-distance-km 25)"
        ) from None


def cmd_map(args: argparse.Namespace) -> int:
    """Write the interactive HTML map."""
    _refuse_unused(
        args, {"tiles": "--tiles"} if args.no_tiles else {}, where="with --no-tiles", fix=""
    )
    conflict = _read(args.path)
    when = None if args.date is None else _when(conflict, args.date)
    options = {
        "tiles": None if args.no_tiles else (args.tiles or DEFAULT_TILES),
        **_words(args),
        "basemap": _basemap(args),
    }
    m = explore(conflict, when, **options, max_distance_km=args.max_distance_km)
    out = save_map(m, args.output)
    print(f"map written to {out}")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    """Print who holds what, the changes of hands and displacement totals."""
    conflict = _read(args.path)
    when = _when(conflict, args.date)
    print(repr(conflict))
    if when is None:
        return 0
    snap = conflict.at(when)
    print(f"\nControl on {when:%Y-%m-%d}:")
    names = conflict.actors["name"].astype(str)
    held = snap.places.groupby(snap.places["actor_id"].fillna("unknown"))
    for actor_id, group in held:
        label = names.get(actor_id, "controller unknown")
        towns = ", ".join(sorted(group["name"].astype(str)))
        print(f"  {actor_id} ({label}): {len(group)} places: {towns}")
    changes = conflict.control_changes(end=when)
    print(f"\nChanges of hands up to {when:%Y-%m-%d}: {len(changes)}")
    place_names = conflict.places["name"].astype(str)
    for row in changes.itertuples():
        print(
            f"  {row.date:%Y-%m-%d}  {place_names.get(row.place_id, row.place_id)}: "
            f"{row.from_actor} -> {row.to_actor}"
        )
    if conflict.flows is not None:
        totals = conflict.place_totals(until=when)
        shown = ["inflow", "outflow", "internal", "net"]
        if "present" in totals.columns:  # a stock: the count in force, never a sum of rounds
            shown.append("present")
        moved = totals[(totals[[c for c in shown if c != "net"]] > 0).any(axis=1)]
        flows = conflict.flows
        begun = (flows["start"] <= when).to_numpy()
        movements = begun & (flows["kind"] != "present").fillna(True).to_numpy(dtype=bool)
        total = float(flows.loc[movements, "people"].sum())
        print(f"\nDisplacement begun by {when:%Y-%m-%d}: {total:,.0f} people in recorded flows")
        if "present" in totals.columns:
            print(
                f"People present on {when:%Y-%m-%d} (the latest count of each place): "
                f"{float(totals['present'].sum()):,.0f}"
            )
        table = moved.assign(name=place_names.reindex(moved.index).to_numpy())
        with pd.option_context("display.width", 120, "display.max_rows", 200):
            print(table[["name", *shown]].round(0).to_string())
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a dataset and report every problem found."""
    problems = check_folder(args.path)
    if not problems:
        print(f"{args.path}: no problems found")
        return 0
    for problem in problems:
        print(str(problem).replace("\n", " "))
    print(f"{len(problems)} problem(s) found", file=sys.stderr)
    return BAD_INPUT


EXPORT_FORMATS = ("geojson", "gpkg", "parquet", "csv")


def cmd_export(args: argparse.Namespace) -> int:
    """Write the dataset as GeoJSON layers, a GeoPackage, GeoParquet or the CSV folder."""
    if args.date is not None and args.format not in ("geojson", "gpkg"):
        raise GeoconflictError(
            f"--date applies to --format geojson and gpkg only "
            f"({args.format} holds every date). Fix: drop --date."
        )
    if args.max_distance_km is not None and args.format not in ("geojson", "gpkg"):
        raise GeoconflictError(
            f"--max-distance-km applies to --format geojson and gpkg only ({args.format} "
            "holds the tables, not the map's land). Fix: drop --max-distance-km."
        )
    if args.format == "csv" and args.output.lower().endswith(".gpkg"):
        raise GeoconflictError(
            f"--format csv writes a folder, but -o {args.output} names a "
            "GeoPackage. Fix: use --format gpkg, or name a folder."
        )
    conflict = _read(args.path)
    if args.format == "geojson":
        when = None if args.date is None else _when(conflict, args.date)
        out = to_geojson(conflict, args.output, when=when, max_distance_km=args.max_distance_km)
    elif args.format == "gpkg":
        when = None if args.date is None else _when(conflict, args.date)
        out = to_gpkg(conflict, args.output, when=when, max_distance_km=args.max_distance_km)
    elif args.format == "parquet":
        out = to_parquet(conflict, args.output)
    else:
        out = save_conflict(conflict, args.output)
    print(f"{args.format} written to {out}")
    return 0


def _files_only(command: str) -> None:
    """matplotlib with the backend that writes files and never opens a window (figures
    need the optional dependency: a one-line error naming the extra without it)."""
    try:  # optional dependency: only figures need matplotlib
        import matplotlib
    except ImportError:
        raise GeoconflictError(
            f"{command} needs matplotlib. Fix: pip install 'geoconflict[plot]'."
        ) from None
    matplotlib.use("Agg")


def cmd_plot(args: argparse.Namespace) -> int:
    """Write a static figure (PNG, SVG or PDF): the map at a date, or control over time."""
    _files_only("plot")
    import matplotlib.pyplot as plt  # optional dependency, after choosing the backend

    if Path(args.output).suffix.lower() not in FORMATS:
        raise GeoconflictError(
            f"-o {args.output}: the name must end in one of "
            f"{', '.join(FORMATS)}. Fix: e.g. -o figure.png."
        )
    if not 0 < args.dpi <= 2400:
        raise GeoconflictError(
            f"--dpi must be between 1 and 2400, got {args.dpi:g}. Fix: "
            "300 suits print, 150 the screen."
        )
    if args.kind == "control":
        _refuse_unused(
            args,
            {
                "date": "--date",
                "no_flows": "--no-flows",
                "north_arrow": "--north-arrow",
                "basemap": "--basemap",
                "basemap_layer": "--basemap-layer",
                "basemap_credit": "--basemap-credit",
                "level_name": "--level-name",
            },
            where="with --kind control (it draws every date, without a map)",
            fix=", or use --kind map",
        )
    else:
        _refuse_unused(
            args,
            {"measure": "--measure"},
            where="with --kind map",
            fix=", or add --kind control",
        )
    words = _words(args)
    conflict = _read(args.path)
    if args.kind == "map":
        ax = plot_map(
            conflict,
            _when(conflict, args.date),
            flows=not args.no_flows,
            north_arrow=args.north_arrow,
            **words,
            basemap=_basemap(args),
            max_distance_km=args.max_distance_km,
        )
    else:
        ax = plot_control_over_time(
            conflict,
            measure=args.measure or "area",
            lang=words["lang"],
            words=words.get("words"),
            max_distance_km=args.max_distance_km,
        )
    try:
        out = save_figure(ax, args.output, dpi=args.dpi)
    finally:
        plt.close(cast(Any, ax.figure))
    print(f"figure written to {out}")
    return 0


def _frame_size(text: str) -> str | tuple[int, int]:
    """``--size``: a preset name or WIDTHxHEIGHT."""
    if text in ("square", "wide"):
        return text
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise GeoconflictError(
            f"--size must be 'square', 'wide' or WIDTHxHEIGHT in pixels, got {text!r}. "
            "Fix: e.g. --size 1080x1350."
        )
    return int(width), int(height)


def cmd_animate(args: argparse.Namespace) -> int:
    """Write the map over time as a GIF, an animated WebP or an MP4."""
    _files_only("animate")
    size = _frame_size(args.size)
    conflict = _read(args.path)
    out = animate(
        conflict,
        args.output,
        start=args.start,
        end=args.end,
        freq=args.freq,
        changes_only=args.changes_only,
        fps=args.fps,
        tween=args.tween,
        pause=args.pause,
        size=size,
        flows=not args.no_flows,
        north_arrow=args.north_arrow,
        lang=args.lang,
        basemap=_basemap(args),
        max_distance_km=args.max_distance_km,
        workers=args.workers,
    )
    print(f"animation written to {out}")
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    """Add who held each event's ground, the front's distance and the nearest place to an
    ACLED or UCDP export."""
    conflict = _read(args.conflict)
    out, rows, skipped = add_event_context(
        args.file,
        conflict,
        args.output,
        source=args.source,
        max_distance_km=args.max_distance_km,
    )
    note = f" ({skipped} the reader could not read, with the reason)" if skipped else ""
    print(f"{rows} events written to {out}{note}")
    return 0


def _basemap_arguments(
    p: argparse.ArgumentParser,
    *,
    what: str = "the base map drawn without tiles (and where tiles fail to load)",
) -> None:
    p.add_argument(
        "--basemap",
        choices=["auto", "none"],
        default=None,
        help=f"{what}: 'auto' (the shipped one, where it covers the data; the default) or 'none'",
    )
    p.add_argument(
        "--basemap-layer",
        action="append",
        default=[],
        metavar="LAYER=PATH",
        help=f"a base map of your own: one layer per option, LAYER one of "
        f"{', '.join(BASEMAP_LAYERS)} (any vector file)",
    )
    p.add_argument(
        "--basemap-credit",
        action="append",
        default=[],
        metavar="TEXT",
        help="a credit line your base-map layers' licences ask for (repeatable)",
    )


def _language_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        default="en",
        metavar="CODE",
        help=f"language of names (name_<CODE> columns) and words: {', '.join(LANGUAGES)}, "
        "or any language code with --words (default: en)",
    )
    p.add_argument(
        "--words",
        metavar="FILE.json",
        help="your own interface words (a JSON object; keys as in geoconflict.style.words)",
    )
    p.add_argument(
        "--level-name",
        action="append",
        default=[],
        metavar="LEVEL=WORD",
        help="what an admin level is called, e.g. admin1=oblast (repeatable); default: the "
        "data's level_name, else a neutral word",
    )


def _land_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--max-distance-km",
        type=_distance,
        default=None,
        metavar="KM",
        help="how far a town's land reaches outside polygon places: a number of km or "
        "'auto' (25 km); default: no limit (the same setting gives the same land in the "
        "map, the figures and the GIS files)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geoconflict",
        description="Map frontlines and displacement from places, control records and flows.",
    )
    parser.add_argument("--version", action="version", version=f"geoconflict {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("map", help="write the interactive HTML map")
    p.add_argument("path", help="dataset folder or .gpkg")
    p.add_argument("-o", "--output", required=True, help="HTML file to write")
    p.add_argument("--date", help="date shown first (YYYY-MM-DD); default: the last date")
    p.add_argument(
        "--tiles",
        default=None,
        help=f"tile provider name (xyzservices), e.g. 'CartoDB positron'; default: "
        f"'{DEFAULT_TILES}'",
    )
    p.add_argument("--no-tiles", action="store_true", help="no background tiles (offline)")
    _language_arguments(p)
    _basemap_arguments(p)
    _land_arguments(p)
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("summary", help="print who holds what, changes and displacement")
    p.add_argument("path", help="dataset folder or .gpkg")
    p.add_argument("--date", help="date (YYYY-MM-DD); default: the last date")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("validate", help="check a dataset and report every problem")
    p.add_argument("path", help="dataset folder or .gpkg")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("export", help="write GeoJSON layers, a GeoPackage, GeoParquet or CSV")
    p.add_argument("path", help="dataset folder or .gpkg")
    p.add_argument(
        "--format",
        required=True,
        choices=EXPORT_FORMATS,
        help="geojson: a folder of layers; gpkg: one file; parquet: a folder of "
        "GeoParquet files; csv: the folder format",
    )
    p.add_argument("-o", "--output", required=True, help="file (gpkg) or folder to write")
    p.add_argument(
        "--date",
        help="geojson and gpkg: date of the controller, territories and "
        "frontlines of the map layers (YYYY-MM-DD); default: the "
        "last date",
    )
    _land_arguments(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("plot", help="write a static figure (PNG, SVG or PDF) for papers")
    p.add_argument("path", help="dataset folder or .gpkg")
    p.add_argument("-o", "--output", required=True, help="figure file: .png, .svg or .pdf")
    p.add_argument(
        "--date", help="with --kind map: the map's date (YYYY-MM-DD); default: the last date"
    )
    p.add_argument(
        "--kind",
        choices=["map", "control"],
        default="map",
        help="map: the map at --date; control: what each actor holds over time",
    )
    p.add_argument(
        "--measure",
        choices=["area", "population", "places"],
        default=None,
        help="with --kind control: what to stack (default: area)",
    )
    p.add_argument("--dpi", type=float, default=300, help="resolution (default 300)")
    p.add_argument(
        "--no-flows", action="store_true", help="with --kind map: no displacement flows"
    )
    p.add_argument("--north-arrow", action="store_true", help="with --kind map: add a north arrow")
    _language_arguments(p)
    _basemap_arguments(p, what="with --kind map: the base map drawn under the figure")
    _land_arguments(p)
    p.set_defaults(func=cmd_plot)

    p = sub.add_parser("animate", help="write the map over time as a GIF, WebP or MP4")
    p.add_argument("path", help="dataset folder or .gpkg")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        help="file to write: .gif, .webp or .mp4 (MP4 needs 'geoconflict[video]')",
    )
    p.add_argument("--start", help="first date (YYYY-MM-DD); default: the first of the data")
    p.add_argument("--end", help="last date (YYYY-MM-DD); default: the last of the data")
    p.add_argument("--freq", default="D", help="step between dates: D, W, MS ... (default D)")
    p.add_argument(
        "--changes-only", action="store_true", help="only the dates on which the map changes"
    )
    p.add_argument("--fps", type=float, default=2.0, help="frames per second (default 2)")
    p.add_argument(
        "--tween",
        type=int,
        default=0,
        help="in-between frames that fade land changing hands and grow new flows",
    )
    p.add_argument(
        "--pause", type=float, default=1.5, help="seconds the first and last frames are held"
    )
    p.add_argument(
        "--size",
        default="square",
        help="'square' (1080x1080), 'wide' (1920x1080) or WIDTHxHEIGHT in pixels",
    )
    p.add_argument("--no-flows", action="store_true", help="no displacement flows")
    p.add_argument("--north-arrow", action="store_true", help="add a north arrow")
    p.add_argument(
        "--lang",
        default="en",
        metavar="CODE",
        help=f"language of names and words: {', '.join(LANGUAGES)} (default: en)",
    )
    p.add_argument(
        "--workers", type=int, help="processes drawing the frames (default: 1 or 2, as needed)"
    )
    _basemap_arguments(p, what="the base map drawn under each frame")
    _land_arguments(p)
    p.set_defaults(func=cmd_animate)

    p = sub.add_parser(
        "events",
        help="add who held the ground, the front's distance and the nearest place to an "
        "ACLED or UCDP export",
    )
    p.add_argument("file", help="ACLED or UCDP GED CSV export")
    p.add_argument("--conflict", required=True, help="dataset folder or .gpkg")
    p.add_argument("-o", "--output", required=True, help="CSV file to write")
    p.add_argument(
        "--source",
        choices=["auto", *SOURCES],
        default="auto",
        help="the export's kind; auto: ACLED when the header names event_date, else UCDP",
    )
    _land_arguments(p)
    p.set_defaults(func=cmd_events)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", DataWarning)
            shown: set[str] = set()

            def show(message, *_, **__) -> None:  # each message once, wherever raised
                if str(message) not in shown:
                    shown.add(str(message))
                    print(f"geoconflict: warning: {message}", file=sys.stderr)

            # showwarning, unlike formatwarning, is restored when the block ends
            warnings.showwarning = show
            return int(args.func(args) or 0)
    except GeoconflictError as exc:
        print(f"geoconflict: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return BAD_INPUT
    except OSError as exc:
        print(
            f"geoconflict: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
