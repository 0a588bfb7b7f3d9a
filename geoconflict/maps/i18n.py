"""The words of the map's own interface, in English and Arabic.

Data text (place and actor names) comes from the data (``name_ar`` for Arabic); these are
only the labels the map adds around it.
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "labels", "text_direction"]

LANGUAGES = ("en", "ar")

_LABELS = {
    "en": {
        "outline": "Boundary and neighbours",
        "territories": "Territories",
        "frontlines": "Frontlines",
        "flows": "Displacement",
        "places": "Places",
        "events": "Events",
        "legend": "Legend",
        "actors": "Control",
        "contested": "contested",
        "unknown": "controller unknown",
        "besieged": "besieged",
        "held": "held",
        "flow_widths": "People displaced",
        "play": "Play",
        "pause": "Pause",
        "date": "Date",
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
        "area": "Area",
        "km2": "km²",
        "km": "km",
        "length": "Length",
        "fatalities": "Fatalities",
        "sides": "Actors",
        "frontline": "Frontline",
        "left_out": "Showing the {shown} largest of {total} flows; {left} smaller flows "
                    "({people} people) are left out.",
        "active": "flows under way on the date shown",
        "cumulative": "all flows begun by the date shown",
    },
    "ar": {
        "outline": "الحدود والدول المجاورة",
        "territories": "مناطق السيطرة",
        "frontlines": "خطوط الجبهة",
        "flows": "النزوح",
        "places": "المدن والبلدات",
        "events": "الأحداث",
        "legend": "مفتاح الخريطة",
        "actors": "السيطرة",
        "contested": "متنازع عليها",
        "unknown": "الجهة المسيطرة غير معروفة",
        "besieged": "محاصرة",
        "held": "تحت السيطرة",
        "flow_widths": "عدد النازحين",
        "play": "تشغيل",
        "pause": "إيقاف مؤقت",
        "date": "التاريخ",
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
        "area": "المساحة",
        "km2": "كم²",
        "km": "كم",
        "length": "الطول",
        "fatalities": "القتلى",
        "sides": "الأطراف",
        "frontline": "خط الجبهة",
        "left_out": "تُعرض أكبر {shown} من أصل {total} حركة نزوح؛ وأُغفلت {left} حركة أصغر "
                    "({people} شخص).",
        "active": "حركات النزوح الجارية في التاريخ المعروض",
        "cumulative": "كل حركات النزوح التي بدأت حتى التاريخ المعروض",
    },
}


def labels(lang: str) -> dict[str, str]:
    """The interface words for ``lang`` (``"en"`` or ``"ar"``).

    Examples
    --------
    >>> labels("en")["flows"], labels("ar")["flows"]
    ('Displacement', 'النزوح')
    """
    if lang not in _LABELS:
        raise ValueError(f"lang must be one of {list(LANGUAGES)}, got {lang!r}")
    return dict(_LABELS[lang])


def text_direction(lang: str) -> str:
    """``"rtl"`` for Arabic, ``"ltr"`` otherwise.

    Examples
    --------
    >>> text_direction("ar")
    'rtl'
    """
    return "rtl" if lang == "ar" else "ltr"
