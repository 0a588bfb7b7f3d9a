"""The words maps and figures add around the data, in English and Arabic.

Data text (place and actor names) comes from the data (``name_ar`` for Arabic); these are
only the interface's own words: layer names, legend headings, units, the changes panel.
"""

from __future__ import annotations

from ..errors import MapOptionError

__all__ = ["LANGUAGES", "check_lang", "text_direction", "words"]

LANGUAGES = ("en", "ar")


_WORDS = {
    "en": {
        # layers
        "basemap": "Base map",
        "outline": "Boundary and neighbours",
        "territories": "Territories",
        "changes": "Changed hands",
        "frontlines": "Frontlines",
        "flows": "Displacement",
        "places": "Places",
        "events": "Events",
        "labels": "Place names",
        # legend
        "legend": "Legend",
        "actors": "Control",
        "contested": "contested",
        "contested_note": "hatched in the two sides' colours",
        "unknown": "controller unknown",
        "unknown_note": "no data on who holds it",
        "besieged": "besieged",
        "held": "held",
        "changed": "changed hands on the date shown",
        "flow_widths": "People displaced",
        "flow_scale": "Line width: one scale for every date (widest: {people} people)",
        "internal_flow": "Internal displacement",
        "refugee": "Refugees (to another country)",
        "return": "Returns",
        "estimate_flow": "Estimated figure (dashed)",
        "range_flow": "A range: pale outer line = upper figure",
        "present": "Counted where they are (origin unknown)",
        "grouped": "Zoomed out, flows between the same two {group} are merged",
        "admin1": "governorates",
        "group": "groups",
        "rivers": "Rivers and lakes",
        "admin_lines": "Governorate lines",
        # interface
        "play": "Play",
        "pause": "Pause",
        "date": "Date",
        "date_slider": "Date shown",
        "map": "Map",
        "panel": "What changed",
        "hide_panel": "Hide the list of changes",
        "show_panel": "Show the list of changes",
        "no_changes": "No change of hands recorded.",
        "baseline": "First records: {n} places.",
        "flows_under_way": "Flows under way",
        "flows_begun": "Displacement reported from this date",
        # figures and cards
        "people": "people",
        "count": "People",
        "history": "Control history",
        "since": "since",
        "until": "until",
        "by": "by",
        "arrived": "Arrived",
        "left": "Left",
        "internal": "Displaced within",
        "population": "Population",
        "source": "Source",
        "quality": "Quality",
        "reported": "reported",
        "estimate": "estimate",
        "category": "Category",
        "area": "Area",
        "km2": "km²",
        "km": "km",
        "length": "Length",
        "fatalities": "Fatalities",
        "sides": "Actors",
        "frontline": "Frontline",
        "holder": "Held by",
        "left_out": "Showing the {shown} largest of {total} flows; {left} smaller flows "
        "({people} people) are left out.",
        "active": "Flows under way on the date shown",
        "cumulative": "All flows begun by the date shown",
        "displaced": "{n} people displaced",
        "no_data": "no data",
        "area_held": "Area held (km²)",
        "population_held": "Population of places held",
        "places_held": "Places held",
        "percent": "Share of {what} (%)",
        "area_short": "area",
        "population_short": "population",
        "places_short": "places",
        "sources": "Sources",
        "places_src": "Places",
        "outlines": "Outlines",
        "control": "Control",
        "displacement": "Displacement",
        "more": "and {n} more",
        "north": "N",
        "base_credits": "Base map",
        "opened_on": "Opened on {date}, the last date with data; move the slider for others.",
        "credits": "Sources",
        "changes_on": "Changes on {date}",
        "and_more": "and {n} more",
        "place_card": "Place",
        "merged": "{n} flows merged",
        "present_at": "Counted at {place}",
        "present_across": "Counted across {place}",
        "present_wide": "Figures for a whole country or region are listed in the panel, not drawn",
        "unknown_origin": "origin unknown",
        "arrow": "\u2192",
        "level_admin0": "country",
        "level_admin1": "governorate",
        "level_admin2": "district",
        "level_admin3": "sub-district",
        "level_zone": "zone",
        "level_part": "part of a sub-district",
        "level_region": "region",
    },
    "ar": {
        "basemap": "الخريطة الأساسية",
        "outline": "الحدود والدول المجاورة",
        "territories": "مناطق السيطرة",
        "changes": "تغيّر السيطرة",
        "frontlines": "خطوط الجبهة",
        "flows": "النزوح",
        "places": "المدن والبلدات",
        "events": "الأحداث",
        "labels": "أسماء الأماكن",
        "legend": "مفتاح الخريطة",
        "actors": "السيطرة",
        "contested": "متنازع عليها",
        "contested_note": "مخططة بلوني الطرفين",
        "unknown": "الجهة المسيطرة غير معروفة",
        "unknown_note": "لا بيانات عن الجهة المسيطرة",
        "besieged": "محاصرة",
        "held": "تحت السيطرة",
        "changed": "تغيّرت السيطرة عليها في التاريخ المعروض",
        "flow_widths": "عدد النازحين",
        "flow_scale": "عرض الخط: مقياس واحد لكل التواريخ (الأعرض: {people} شخص)",
        "internal_flow": "نزوح داخلي",
        "refugee": "لاجئون (إلى بلد آخر)",
        "return": "عودة",
        "estimate_flow": "رقم تقديري (خط متقطع)",
        "range_flow": "نطاق: الخط الخارجي الباهت = الرقم الأعلى",
        "present": "أعداد في أماكن وجودهم (المصدر غير معروف)",
        "grouped": "عند التصغير تُدمج حركات النزوح بين نفس {group}",
        "admin1": "المحافظتين",
        "group": "المجموعتين",
        "rivers": "الأنهار والبحيرات",
        "admin_lines": "حدود المحافظات",
        "play": "تشغيل",
        "pause": "إيقاف مؤقت",
        "date": "التاريخ",
        "date_slider": "التاريخ المعروض",
        "map": "خريطة",
        "panel": "ما الذي تغيّر",
        "hide_panel": "إخفاء قائمة التغيّرات",
        "show_panel": "إظهار قائمة التغيّرات",
        "no_changes": "لم يُسجَّل تغيّر في السيطرة.",
        "baseline": "السجلات الأولى: {n} مكان.",
        "flows_under_way": "حركات نزوح جارية",
        "flows_begun": "نزوح مُبلَّغ عنه بدءاً من هذا التاريخ",
        "people": "شخص",
        "count": "عدد الأشخاص",
        "history": "تاريخ السيطرة",
        "since": "منذ",
        "until": "حتى",
        "by": "من قبل",
        "arrived": "الوافدون",
        "left": "المغادرون",
        "internal": "نازحون داخلها",
        "population": "عدد السكان",
        "source": "المصدر",
        "quality": "الجودة",
        "reported": "مُبلَّغ عنه",
        "estimate": "تقديري",
        "category": "الفئة",
        "area": "المساحة",
        "km2": "كم²",
        "km": "كم",
        "length": "الطول",
        "fatalities": "القتلى",
        "sides": "الأطراف",
        "frontline": "خط الجبهة",
        "holder": "تحت سيطرة",
        "left_out": "تُعرض أكبر {shown} من أصل {total} حركة نزوح؛ وأُغفلت {left} حركة أصغر "
        "({people} شخص).",
        "active": "حركات النزوح الجارية في التاريخ المعروض",
        "cumulative": "كل حركات النزوح التي بدأت حتى التاريخ المعروض",
        "displaced": "{n} نازح",
        "no_data": "لا بيانات",
        "area_held": "المساحة المسيطر عليها (كم²)",
        "population_held": "سكان الأماكن المسيطر عليها",
        "places_held": "الأماكن المسيطر عليها",
        "percent": "نسبة {what} (٪)",
        "area_short": "المساحة",
        "population_short": "السكان",
        "places_short": "الأماكن",
        "sources": "المصادر",
        "places_src": "الأماكن",
        "outlines": "الحدود",
        "control": "السيطرة",
        "displacement": "النزوح",
        "more": "{n} أخرى",
        "north": "ش",
        "base_credits": "الخريطة الأساسية",
        "opened_on": "فُتحت الخريطة على {date}، آخر تاريخ فيه بيانات؛ حرّك المؤشر لغيره.",
        "credits": "المصادر",
        "changes_on": "التغيّرات في {date}",
        "and_more": "و{n} أخرى",
        "place_card": "مكان",
        "merged": "{n} حركات نزوح مدمجة",
        "present_at": "أُحصوا في {place}",
        "present_across": "أُحصوا في عموم {place}",
        "present_wide": "أعداد بلد أو منطقة بأكملها مدرجة في اللوحة ولا تُرسم على الخريطة",
        "unknown_origin": "المصدر غير معروف",
        "arrow": "\u2190",
        "level_admin0": "دولة",
        "level_admin1": "محافظة",
        "level_admin2": "منطقة",
        "level_admin3": "ناحية",
        "level_zone": "منطقة محددة",
        "level_part": "جزء من ناحية",
        "level_region": "إقليم",
    },
}


def check_lang(lang: object, *, error: type[Exception] = MapOptionError) -> str:
    """``lang`` if the maps and figures speak it, else ``error`` naming the choices.

    Examples
    --------
    >>> check_lang("ar")
    'ar'
    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    geoconflict.errors.MapOptionError: lang must be one of ['en', 'ar'], got 'fr'.
    """
    if lang not in _WORDS:
        raise error(f"lang must be one of {list(LANGUAGES)}, got {lang!r}.")
    return str(lang)


def words(lang: str) -> dict[str, str]:
    """The interface words for ``lang`` (a new dict each call).

    Examples
    --------
    >>> words("en")["flows"], words("ar")["flows"]
    ('Displacement', 'النزوح')
    """
    return dict(_WORDS[check_lang(lang)])


def text_direction(lang: str) -> str:
    """``"rtl"`` for Arabic, ``"ltr"`` otherwise.

    Examples
    --------
    >>> text_direction("ar")
    'rtl'
    """
    return "rtl" if lang == "ar" else "ltr"
