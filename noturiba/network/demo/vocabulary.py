"""The words the demo network is made of: Latvian places, names, kinds of organisations.

Everything here is data. Place names are given in the nominative (for addresses) and the
genitive (for organisation names: "Ogres senioru biedrība"). Kinds of organisations carry the
name patterns, capabilities, target groups and description sentences that fit them, so that a
volunteer fire brigade offers search and rescue rather than child care.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Places ----------------------------------------------------------------------------------

# Towns and (for Rīga) neighbourhoods of each current municipality, as (nominative, genitive).
# The first entry is the administrative centre and is chosen most often.
PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "LV-002": (
        ("Aizkraukle", "Aizkraukles"),
        ("Koknese", "Kokneses"),
        ("Skrīveri", "Skrīveru"),
        ("Jaunjelgava", "Jaunjelgavas"),
        ("Pļaviņas", "Pļaviņu"),
        ("Nereta", "Neretas"),
    ),
    "LV-007": (("Alūksne", "Alūksnes"), ("Ape", "Apes"), ("Jaunlaicene", "Jaunlaicenes")),
    "LV-011": (("Ādaži", "Ādažu"), ("Carnikava", "Carnikavas"), ("Kadaga", "Kadagas")),
    "LV-015": (
        ("Balvi", "Balvu"),
        ("Viļaka", "Viļakas"),
        ("Rugāji", "Rugāju"),
        ("Baltinava", "Baltinavas"),
    ),
    "LV-016": (
        ("Bauska", "Bauskas"),
        ("Iecava", "Iecavas"),
        ("Vecumnieki", "Vecumnieku"),
        ("Rundāle", "Rundāles"),
    ),
    "LV-022": (
        ("Cēsis", "Cēsu"),
        ("Līgatne", "Līgatnes"),
        ("Priekuļi", "Priekuļu"),
        ("Jaunpiebalga", "Jaunpiebalgas"),
        ("Vecpiebalga", "Vecpiebalgas"),
    ),
    "LV-026": (("Dobele", "Dobeles"), ("Auce", "Auces"), ("Tērvete", "Tērvetes")),
    "LV-033": (
        ("Gulbene", "Gulbenes"),
        ("Lejasciems", "Lejasciema"),
        ("Stāmeriena", "Stāmerienas"),
    ),
    "LV-041": (
        ("Ozolnieki", "Ozolnieku"),
        ("Eleja", "Elejas"),
        ("Kalnciems", "Kalnciema"),
        ("Glūda", "Glūdas"),
    ),
    "LV-042": (
        ("Jēkabpils", "Jēkabpils"),
        ("Aknīste", "Aknīstes"),
        ("Viesīte", "Viesītes"),
        ("Sala", "Salas"),
    ),
    "LV-047": (("Krāslava", "Krāslavas"), ("Dagda", "Dagdas"), ("Indra", "Indras")),
    "LV-050": (("Kuldīga", "Kuldīgas"), ("Skrunda", "Skrundas"), ("Alsunga", "Alsungas")),
    "LV-052": (("Ķekava", "Ķekavas"), ("Baldone", "Baldones"), ("Baloži", "Baložu")),
    "LV-054": (
        ("Limbaži", "Limbažu"),
        ("Salacgrīva", "Salacgrīvas"),
        ("Aloja", "Alojas"),
        ("Ainaži", "Ainažu"),
    ),
    "LV-056": (("Līvāni", "Līvānu"), ("Rožupe", "Rožupes")),
    "LV-058": (("Ludza", "Ludzas"), ("Kārsava", "Kārsavas"), ("Zilupe", "Zilupes")),
    "LV-059": (
        ("Madona", "Madonas"),
        ("Lubāna", "Lubānas"),
        ("Cesvaine", "Cesvaines"),
        ("Ērgļi", "Ērgļu"),
        ("Varakļāni", "Varakļānu"),
    ),
    "LV-062": (("Mārupe", "Mārupes"), ("Babīte", "Babītes"), ("Piņķi", "Piņķu")),
    "LV-067": (
        ("Ogre", "Ogres"),
        ("Ikšķile", "Ikšķiles"),
        ("Ķegums", "Ķeguma"),
        ("Lielvārde", "Lielvārdes"),
    ),
    "LV-068": (("Olaine", "Olaines"), ("Jaunolaine", "Jaunolaines")),
    "LV-073": (("Preiļi", "Preiļu"), ("Riebiņi", "Riebiņu"), ("Aglona", "Aglonas")),
    "LV-077": (("Viļāni", "Viļānu"), ("Malta", "Maltas"), ("Kaunata", "Kaunatas")),
    "LV-080": (
        ("Ropaži", "Ropažu"),
        ("Ulbroka", "Ulbrokas"),
        ("Vangaži", "Vangažu"),
        ("Garkalne", "Garkalnes"),
    ),
    "LV-087": (("Salaspils", "Salaspils"), ("Saurieši", "Sauriešu")),
    "LV-088": (("Saldus", "Saldus"), ("Brocēni", "Brocēnu")),
    "LV-089": (("Saulkrasti", "Saulkrastu"), ("Zvejniekciems", "Zvejniekciema")),
    "LV-091": (
        ("Sigulda", "Siguldas"),
        ("Inčukalns", "Inčukalna"),
        ("Krimulda", "Krimuldas"),
        ("Mālpils", "Mālpils"),
    ),
    "LV-094": (("Smiltene", "Smiltenes"), ("Rauna", "Raunas"), ("Palsmane", "Palsmanes")),
    "LV-097": (
        ("Talsi", "Talsu"),
        ("Sabile", "Sabiles"),
        ("Stende", "Stendes"),
        ("Roja", "Rojas"),
        ("Dundaga", "Dundagas"),
    ),
    "LV-099": (
        ("Tukums", "Tukuma"),
        ("Kandava", "Kandavas"),
        ("Engure", "Engures"),
        ("Jaunpils", "Jaunpils"),
    ),
    "LV-101": (("Valka", "Valkas"), ("Ērģeme", "Ērģemes")),
    "LV-106": (("Ugāle", "Ugāles"), ("Piltene", "Piltenes"), ("Pope", "Popes")),
    "LV-111": (("Ilūkste", "Ilūkstes"), ("Subate", "Subates"), ("Naujene", "Naujenes")),
    "LV-112": (
        ("Grobiņa", "Grobiņas"),
        ("Aizpute", "Aizputes"),
        ("Pāvilosta", "Pāvilostas"),
        ("Priekule", "Priekules"),
        ("Durbe", "Durbes"),
        ("Nīca", "Nīcas"),
    ),
    "LV-113": (
        ("Valmiera", "Valmieras"),
        ("Mazsalaca", "Mazsalacas"),
        ("Rūjiena", "Rūjienas"),
        ("Strenči", "Strenču"),
        ("Kocēni", "Kocēnu"),
    ),
    "LV-DGV": (("Daugavpils", "Daugavpils"), ("Grīva", "Grīvas"), ("Jaunbūve", "Jaunbūves")),
    "LV-JEL": (("Jelgava", "Jelgavas"), ("Pārlielupe", "Pārlielupes")),
    "LV-JUR": (
        ("Jūrmala", "Jūrmalas"),
        ("Sloka", "Slokas"),
        ("Kauguri", "Kauguru"),
        ("Ķemeri", "Ķemeru"),
        ("Dubulti", "Dubultu"),
    ),
    "LV-LPX": (("Liepāja", "Liepājas"), ("Karosta", "Karostas"), ("Ezerkrasts", "Ezerkrasta")),
    "LV-REZ": (("Rēzekne", "Rēzeknes"),),
    "LV-RIX": (
        ("Rīga", "Rīgas"),
        ("Āgenskalns", "Āgenskalna"),
        ("Avoti", "Avotu"),
        ("Berģi", "Berģu"),
        ("Bieriņi", "Bieriņu"),
        ("Bolderāja", "Bolderājas"),
        ("Čiekurkalns", "Čiekurkalna"),
        ("Daugavgrīva", "Daugavgrīvas"),
        ("Dārzciems", "Dārzciema"),
        ("Dreiliņi", "Dreiliņu"),
        ("Grīziņkalns", "Grīziņkalna"),
        ("Iļģuciems", "Iļģuciema"),
        ("Imanta", "Imantas"),
        ("Jaunciems", "Jaunciema"),
        ("Jugla", "Juglas"),
        ("Katlakalns", "Katlakalna"),
        ("Ķengarags", "Ķengaraga"),
        ("Ķīpsala", "Ķīpsalas"),
        ("Mangaļsala", "Mangaļsalas"),
        ("Mežaparks", "Mežaparka"),
        ("Mežciems", "Mežciema"),
        ("Mīlgrāvis", "Mīlgrāvja"),
        ("Pļavnieki", "Pļavnieku"),
        ("Purvciems", "Purvciema"),
        ("Rumbula", "Rumbulas"),
        ("Sarkandaugava", "Sarkandaugavas"),
        ("Skanste", "Skanstes"),
        ("Šampēteris", "Šampētera"),
        ("Šķirotava", "Šķirotavas"),
        ("Teika", "Teikas"),
        ("Torņakalns", "Torņakalna"),
        ("Trīsciems", "Trīsciema"),
        ("Vecāķi", "Vecāķu"),
        ("Vecdaugava", "Vecdaugavas"),
        ("Vecmīlgrāvis", "Vecmīlgrāvja"),
        ("Zasulauks", "Zasulauka"),
        ("Ziepniekkalns", "Ziepniekkalna"),
        ("Zolitūde", "Zolitūdes"),
    ),
    "LV-VEN": (("Ventspils", "Ventspils"), ("Pārventa", "Pārventas")),
}

# Locatives of the state cities ("in Rīga" = "Rīgā"); a novads is "… novadā".
STATE_CITY_LOCATIVE: dict[str, str] = {
    "LV-DGV": "Daugavpilī",
    "LV-JEL": "Jelgavā",
    "LV-JUR": "Jūrmalā",
    "LV-LPX": "Liepājā",
    "LV-REZ": "Rēzeknē",
    "LV-RIX": "Rīgā",
    "LV-VEN": "Ventspilī",
}
# Genitives of the state cities, for institution names ("Rīgas … komisija").
STATE_CITY_GENITIVE: dict[str, str] = {
    "LV-DGV": "Daugavpils",
    "LV-JEL": "Jelgavas",
    "LV-JUR": "Jūrmalas",
    "LV-LPX": "Liepājas",
    "LV-REZ": "Rēzeknes",
    "LV-RIX": "Rīgas",
    "LV-VEN": "Ventspils",
}
NATIONAL_GENITIVE = "Latvijas"
# A national organisation is an association or union, not a local unit.
NATIONAL_NOUNS = ("biedrība", "apvienība", "asociācija", "savienība")
LOCAL_UNIT_NOUNS = frozenset(
    {"vienība", "nodaļa", "komanda", "depo", "punkts", "kopiena", "klubs", "centrs", "dome"}
)
# Nouns that already say the legal form: "Ogres senioru biedrība" needs no "Biedrība „…”".
SELF_NAMING_NOUNS = frozenset({"biedrība", "draudze", "arodbiedrība"})

STREETS = (
    "Brīvības iela",
    "Skolas iela",
    "Dārza iela",
    "Rīgas iela",
    "Pils iela",
    "Parka iela",
    "Ezera iela",
    "Meža iela",
    "Saules iela",
    "Lāčplēša iela",
    "Raiņa iela",
    "Kalna iela",
    "Stacijas iela",
    "Baznīcas iela",
    "Upes iela",
    "Liepu iela",
    "Krasta iela",
    "Tirgus iela",
    "Jaunā iela",
    "Pļavu iela",
    "Avotu iela",
    "Ozolu iela",
    "Smilšu iela",
    "Zemnieku iela",
)

# --- Organisations ---------------------------------------------------------------------------

# Names that stand on their own, in quotes: "Biedrība „Labie kaimiņi”".
WORDS = (
    "Dzīvesprieks",
    "Saulgrieži",
    "Pīlādzis",
    "Ozolzīle",
    "Gaismas tilts",
    "Labie kaimiņi",
    "Sirds siltums",
    "Rīta zvaigzne",
    "Stiprā kopiena",
    "Atbalsta punkts",
    "Dzirkstele",
    "Varavīksne",
    "Cerība",
    "Pakāpieni",
    "Tilts",
    "Saknes",
    "Enkurs",
    "Bāka",
    "Pavards",
    "Rūpes",
    "Kopā",
    "Drošā osta",
    "Ziemeļblāzma",
    "Zaļā sala",
    "Sidraba pavediens",
    "Rudens lapas",
    "Vecie laiki",
    "Dzintars",
    "Avotiņš",
    "Zīle",
    "Mājas gaisma",
    "Kopības spēks",
    "Otrā elpa",
    "Plecs pie pleca",
    "Roku rokā",
    "Sētas draugi",
    "Vējš burās",
    "Atvērtās durvis",
    "Siltā vieta",
    "Labā ziņa",
    "Gaišais ceļš",
    "Jaunā paaudze",
    "Kvartāls",
    "Ozols",
    "Liepu aleja",
    "Ābeļdārzs",
    "Mežmalas",
    "Upes krasts",
    "Zvaigžņu tilts",
    "Spārni",
    "Sauleszieds",
    "Dzērvenīte",
    "Lāčplēsis",
    "Staburags",
    "Gaujmala",
    "Daugavas loki",
    "Vēja zvani",
    "Pamats",
    "Ceļa maize",
)


# Stand-alone names made of an adjective and a noun that agree in gender: "Zaļā sala".
ADJECTIVES = (
    ("Zaļais", "Zaļā"),
    ("Gaišais", "Gaišā"),
    ("Stiprais", "Stiprā"),
    ("Jaunais", "Jaunā"),
    ("Labais", "Labā"),
    ("Siltais", "Siltā"),
    ("Drošais", "Drošā"),
    ("Baltais", "Baltā"),
    ("Zilais", "Zilā"),
    ("Lielais", "Lielā"),
    ("Mazais", "Mazā"),
    ("Vecais", "Vecā"),
    ("Saulainais", "Saulainā"),
    ("Zeltainais", "Zeltainā"),
    ("Rāmais", "Rāmā"),
    ("Dzidrais", "Dzidrā"),
)
MASCULINE_NOUNS = (
    "ozols",
    "tilts",
    "ceļš",
    "krasts",
    "avots",
    "dārzs",
    "pavards",
    "enkurs",
    "loks",
    "kalns",
    "zieds",
    "pīlādzis",
    "lauks",
    "mežs",
    "strauts",
    "vējš",
)
FEMININE_NOUNS = (
    "sala",
    "osta",
    "māja",
    "sēta",
    "liepa",
    "bāka",
    "zvaigzne",
    "taka",
    "saule",
    "upe",
    "gaisma",
    "aleja",
    "pļava",
    "birze",
    "laipa",
    "ligzda",
)
PHRASES = tuple(
    f"{masculine} {noun}" for masculine, _feminine in ADJECTIVES for noun in MASCULINE_NOUNS
) + tuple(f"{feminine} {noun}" for _masculine, feminine in ADJECTIVES for noun in FEMININE_NOUNS)
NAMES_IN_QUOTES = WORDS + PHRASES


# Parishes: "Ogres Svētā Jāņa evaņģēliski luteriskā draudze", "Ogres baptistu draudze".
PARISHES = (
    "evaņģēliski luteriskā",
    "Romas katoļu",
    "pareizticīgo",
    "baptistu",
    "vasarsvētku",
    "adventistu",
) + tuple(
    f"{saint} {church}"
    for saint in (
        "Svētā Jāņa",
        "Svētā Pētera",
        "Svētā Mārtiņa",
        "Svētā Jēkaba",
        "Svētās Marijas",
        "Svētās Annas",
        "Svētās Trīsvienības",
        "Svētā Nikolaja",
        "Svētā Andreja",
        "Svētā Pāvila",
    )
    for church in ("evaņģēliski luteriskā", "Romas katoļu", "pareizticīgo")
)


@dataclass(frozen=True)
class Kind:
    """A kind of organisation, with everything that makes a generated one plausible.

    ``groups`` are genitive plurals that name whom the organisation brings together
    ("senioru"); with ``nouns`` and a place they make "Ogres senioru klubs", and with a name
    in quotes "Ogres senioru biedrība „Dzīvesprieks”". ``worded`` are patterns with a
    stand-alone name in quotes ("Senioru biedrība „{word}”").
    ``capabilities`` come first-most-likely; the first is nearly always offered.
    """

    key: str
    weight: int
    legal_form: str
    groups: tuple[str, ...]
    nouns: tuple[str, ...]
    worded: tuple[str, ...]
    capabilities: tuple[str, ...]
    target_groups: tuple[str, ...]
    sentences: tuple[str, ...]


ASSOCIATION = "association"
FOUNDATION = "foundation"
RELIGIOUS = "religious"
SOCIAL_ENTERPRISE = "social_enterprise"
TRADE_UNION = "trade_union"
OTHER = "other"

KINDS: tuple[Kind, ...] = (
    Kind(
        key="samaritans",
        weight=8,
        legal_form=ASSOCIATION,
        groups=("samariešu", "pirmās palīdzības"),
        nouns=("biedrība", "vienība", "nodaļa", "komanda"),
        worded=("Biedrība „{place} Samarieši”",),
        capabilities=(
            "first_aid",
            "psychological_first_aid",
            "elderly_care",
            "transport",
            "volunteers",
        ),
        target_groups=("seniors", "living_alone", "disability_mobility", "low_income"),
        sentences=(
            "Rīkojam pirmās palīdzības apmācības iedzīvotājiem, skolām un uzņēmumiem.",
            "Mūsu brīvprātīgie regulāri apmeklē vientuļus seniorus un palīdz ar iepirkumiem.",
            "Krīzes situācijā varam izveidot pirmās palīdzības posteni un sniegt "
            "psiholoģisko atbalstu.",
            "Dežurējam publiskos pasākumos un esam gatavi palīdzēt evakuācijā.",
        ),
    ),
    Kind(
        key="firefighters",
        weight=6,
        legal_form=ASSOCIATION,
        groups=("brīvprātīgo ugunsdzēsēju", "ugunsdzēsēju"),
        nouns=("biedrība", "komanda", "depo", "vienība"),
        worded=("Biedrība „{place} brīvprātīgie ugunsdzēsēji”",),
        capabilities=(
            "search_rescue",
            "transport",
            "power_generators",
            "drinking_water",
            "first_aid",
            "volunteers",
        ),
        target_groups=("living_alone", "seniors"),
        sentences=(
            "Brīvprātīgie ugunsdzēsēji palīdz Valsts ugunsdzēsības un glābšanas dienestam "
            "ugunsgrēku dzēšanā un glābšanas darbos.",
            "Mums ir ugunsdzēsības tehnika, pārvietojami ģeneratori un ūdens sūkņi.",
            "Organizējam ugunsdrošības nodarbības bērniem un jauniešiem.",
            "Plūdu un vētru laikā palīdzam atbrīvot ceļus un izsūknēt ūdeni.",
        ),
    ),
    Kind(
        key="seniors",
        weight=10,
        legal_form=ASSOCIATION,
        groups=("senioru", "pensionāru"),
        nouns=("biedrība", "klubs", "apvienība", "kopiena", "centrs"),
        worded=("Senioru biedrība „{word}”", "Biedrība „{place} seniori”"),
        capabilities=("elderly_care", "volunteers", "food", "premises", "psychological_first_aid"),
        target_groups=("seniors", "living_alone", "low_income"),
        sentences=(
            "Apvienojam seniorus kopīgām nodarbībām, ekskursijām un savstarpējai palīdzībai.",
            "Uzturam vientuļo senioru kontaktu sarakstu un regulāri sazināmies ar viņiem.",
            "Mūsu telpās ir siltums un iespēja uzlādēt tālruņus elektrības pārtraukumu laikā.",
            "Mācām senioriem droši lietot internetu un atpazīt krāpniekus.",
        ),
    ),
    Kind(
        key="youth",
        weight=8,
        legal_form=ASSOCIATION,
        groups=("jauniešu", "jaunatnes"),
        nouns=("centrs", "biedrība", "klubs", "dome", "kustība"),
        worded=("Jaunatnes centrs „{word}”", "Biedrība „{place} jaunieši”"),
        capabilities=("volunteers", "premises", "it_communications", "child_care", "translation"),
        target_groups=("families_children", "language_minorities", "refugees"),
        sentences=(
            "Piedāvājam jauniešiem brīvā laika nodarbības, neformālo izglītību un "
            "brīvprātīgo darbu.",
            "Mūsu brīvprātīgie jaunieši var palīdzēt ar informācijas izplatīšanu un "
            "digitālo atbalstu.",
            "Telpās ir bezvadu internets, datori un vieta nodarbībām.",
            "Rīkojam apmācības par rīcību krīzē un pirmās palīdzības pamatiem.",
        ),
    ),
    Kind(
        key="community_fund",
        weight=4,
        legal_form=FOUNDATION,
        groups=(
            "kopienas",
            "attīstības",
            "labdarības",
            "izglītības",
            "ģimeņu atbalsta",
            "senioru atbalsta",
            "nākotnes",
        ),
        nouns=("fonds",),
        worded=("Nodibinājums „Fonds {word}”",),
        capabilities=("food", "logistics_warehouse", "volunteers", "transport"),
        target_groups=("low_income", "families_children", "seniors"),
        sentences=(
            "Fonds atbalsta vietējās kopienas iniciatīvas un organizē ziedojumu vākšanu.",
            "Krīzes laikā koordinējam pārtikas un pirmās nepieciešamības preču izdali.",
            "Sadarbojamies ar vietējiem uzņēmējiem, lai ātri piesaistītu resursus.",
        ),
    ),
    Kind(
        key="disability",
        weight=5,
        legal_form=ASSOCIATION,
        groups=("invalīdu", "cilvēku ar invaliditāti"),
        nouns=("biedrība", "apvienība", "atbalsta centrs"),
        worded=("Biedrība „{word}”",),
        capabilities=("disability_care", "transport", "volunteers", "psychological_first_aid"),
        target_groups=(
            "disability",
            "disability_mobility",
            "disability_intellectual",
            "disability_psychosocial",
        ),
        sentences=(
            "Pārstāvam cilvēku ar invaliditāti intereses un palīdzam saņemt sociālos pakalpojumus.",
            "Mums ir pielāgots transports cilvēkiem ratiņkrēslā.",
            "Zinām, kuriem mūsu biedriem evakuācijā vajadzīga īpaša palīdzība.",
        ),
    ),
    Kind(
        key="blind",
        weight=2,
        legal_form=ASSOCIATION,
        groups=("neredzīgo", "vājredzīgo"),
        nouns=("biedrība", "klubs"),
        worded=(),
        capabilities=("disability_care", "volunteers", "transport"),
        target_groups=("disability_visual", "disability"),
        sentences=(
            "Palīdzam cilvēkiem ar redzes traucējumiem saņemt informāciju pieejamā formātā.",
            "Mūsu brīvprātīgie pavada neredzīgos cilvēkus uz drošām vietām.",
        ),
    ),
    Kind(
        key="deaf",
        weight=2,
        legal_form=ASSOCIATION,
        groups=("nedzirdīgo", "vājdzirdīgo"),
        nouns=("biedrība", "klubs"),
        worded=(),
        capabilities=("translation", "disability_care", "volunteers"),
        target_groups=("disability_hearing", "disability"),
        sentences=(
            "Nodrošinām zīmju valodas tulkošanu un informāciju nedzirdīgajiem.",
            "Palīdzam nedzirdīgajiem saņemt brīdinājumus teksta veidā.",
        ),
    ),
    Kind(
        key="families",
        weight=6,
        legal_form=ASSOCIATION,
        groups=("daudzbērnu ģimeņu", "ģimeņu"),
        nouns=("biedrība", "atbalsta centrs", "apvienība", "klubs"),
        worded=("Ģimeņu atbalsta centrs „{word}”", "Biedrība „{place} ģimenes”"),
        capabilities=("child_care", "food", "volunteers", "premises"),
        target_groups=("families_children", "low_income"),
        sentences=(
            "Atbalstām daudzbērnu un trūcīgās ģimenes ar bērniem.",
            "Varam organizēt bērnu pieskatīšanu, kamēr vecāki iesaistīti palīdzības darbos.",
            "Apmainām bērnu apģērbu, mantas un pārtiku starp ģimenēm.",
        ),
    ),
    Kind(
        key="parish",
        weight=4,
        legal_form=RELIGIOUS,
        groups=PARISHES,
        nouns=("draudze",),
        worded=(),
        capabilities=("premises", "food", "psychological_first_aid", "volunteers"),
        target_groups=("seniors", "low_income", "homeless", "living_alone"),
        sentences=(
            "Draudze rūpējas par trūcīgajiem un vientuļajiem cilvēkiem.",
            "Draudzes namā var izmitināt cilvēkus pagaidu uzturēšanās laikā un izsniegt "
            "siltu ēdienu.",
            "Piedāvājam sarunas un garīgo atbalstu krīzē nonākušajiem.",
        ),
    ),
    Kind(
        key="radio",
        weight=2,
        legal_form=ASSOCIATION,
        groups=("radioamatieru", "sakaru"),
        nouns=("klubs", "biedrība"),
        worded=(),
        capabilities=("it_communications", "power_generators", "volunteers"),
        target_groups=(),
        sentences=(
            "Radioamatieri uztur rezerves sakarus, kad mobilie un interneta sakari nedarbojas.",
            "Mums ir autonomas barošanas radiostacijas un ģeneratori.",
            "Mācām skolēnus un brīvprātīgos lietot radiosakarus.",
        ),
    ),
    Kind(
        key="rescue",
        weight=2,
        legal_form=ASSOCIATION,
        groups=("glābšanas suņu", "meklēšanas un glābšanas", "mednieku"),
        nouns=("vienība", "biedrība", "klubs"),
        worded=(),
        capabilities=("search_rescue", "first_aid", "transport", "volunteers"),
        target_groups=("living_alone", "seniors"),
        sentences=(
            "Meklējam pazudušus cilvēkus mežos un purvos kopā ar Valsts policiju.",
            "Mūsu dalībnieki labi pārzina apkārtnes mežus un ceļus.",
            "Regulāri trenējamies meklēšanā naktī un sliktos laikapstākļos.",
        ),
    ),
    Kind(
        key="food_aid",
        weight=4,
        legal_form=ASSOCIATION,
        groups=("pārtikas atbalsta", "labdarības", "sociālā atbalsta"),
        nouns=("biedrība", "centrs", "punkts"),
        worded=("Labdarības biedrība „{word}”",),
        capabilities=("food", "logistics_warehouse", "drinking_water", "transport", "volunteers"),
        target_groups=("low_income", "homeless", "families_children", "seniors"),
        sentences=(
            "Savācam un izdalām pārtikas pakas trūcīgām ģimenēm un senioriem.",
            "Mums ir noliktava un transports pārtikas un ūdens piegādei.",
            "Ziemā uzturam siltas zupas izdales vietu.",
        ),
    ),
    Kind(
        key="ukrainians",
        weight=3,
        legal_form=ASSOCIATION,
        groups=("ukraiņu", "Ukrainas atbalsta"),
        nouns=("kopiena", "biedrība", "centrs"),
        worded=("Biedrība „{place} atbalsts Ukrainai”",),
        capabilities=(
            "translation",
            "psychological_first_aid",
            "premises",
            "volunteers",
            "food",
        ),
        target_groups=("refugees", "language_minorities", "families_children"),
        sentences=(
            "Palīdzam Ukrainas civiliedzīvotājiem iejusties Latvijā: valodas kursi, "
            "konsultācijas, tulkošana.",
            "Mūsu brīvprātīgie runā latviešu, ukraiņu, krievu un angļu valodā.",
            "Dalāmies pieredzē par dzīvi kara apstākļos un kopienu noturību.",
        ),
    ),
    Kind(
        key="neighbours",
        weight=7,
        legal_form=ASSOCIATION,
        groups=("iedzīvotāju", "kaimiņu", "sieviešu", "lauku sieviešu"),
        nouns=("biedrība", "klubs", "kopiena", "apvienība"),
        worded=("Biedrība „{word}”", "Biedrība „{place} kopiena”"),
        capabilities=("volunteers", "food", "premises", "elderly_care", "transport"),
        target_groups=("seniors", "families_children", "living_alone"),
        sentences=(
            "Apvienojam vietējos iedzīvotājus kopīgiem darbiem, talkām un svētkiem.",
            "Zinām, kuri kaimiņi dzīvo vieni un kam var būt vajadzīga palīdzība.",
            "Tautas namā varam ierīkot sasildīšanās un informācijas punktu.",
        ),
    ),
    Kind(
        key="crisis_centre",
        weight=3,
        legal_form=ASSOCIATION,
        groups=("krīzes", "psiholoģiskā atbalsta"),
        nouns=("centrs", "biedrība"),
        worded=("Biedrība „Atbalsta centrs {word}”",),
        capabilities=("psychological_first_aid", "premises", "translation", "volunteers"),
        target_groups=("families_children", "low_income", "homeless", "disability_psychosocial"),
        sentences=(
            "Sniedzam psiholoģisko un sociālo atbalstu cilvēkiem krīzes situācijās.",
            "Mūsu speciālisti var ierasties notikuma vietā dažu stundu laikā.",
            "Apmācām brīvprātīgos psiholoģiskās pirmās palīdzības sniegšanā.",
        ),
    ),
    Kind(
        key="scouts",
        weight=3,
        legal_form=ASSOCIATION,
        groups=("skautu un gaidu", "mazpulku", "jaunsargu atbalsta"),
        nouns=("vienība", "biedrība", "klubs"),
        worded=(),
        capabilities=("volunteers", "logistics_warehouse", "child_care", "food"),
        target_groups=("families_children",),
        sentences=(
            "Mācām bērniem un jauniešiem dzīvot dabā, orientēties un palīdzēt citiem.",
            "Mums ir teltis, lauka virtuve un pieredze nometņu iekārtošanā.",
        ),
    ),
    Kind(
        key="social_enterprise",
        weight=2,
        legal_form=SOCIAL_ENTERPRISE,
        groups=(),
        nouns=(),
        worded=("SIA „{word}”",),
        capabilities=("transport", "food", "logistics_warehouse"),
        target_groups=("disability", "low_income"),
        sentences=(
            "Sociālais uzņēmums, kas nodarbina cilvēkus ar invaliditāti.",
            "Ražojam un piegādājam siltas pusdienas sociālās aprūpes klientiem.",
        ),
    ),
    Kind(
        key="trade_union",
        weight=1,
        legal_form=TRADE_UNION,
        groups=(
            "izglītības darbinieku",
            "veselības aprūpes darbinieku",
            "pašvaldību darbinieku",
            "sociālo darbinieku",
            "kultūras darbinieku",
            "transporta darbinieku",
            "enerģētiķu",
            "medmāsu",
            "tirdzniecības darbinieku",
            "komunālo dienestu darbinieku",
        ),
        nouns=("arodbiedrība",),
        worded=(),
        capabilities=("volunteers", "premises"),
        target_groups=("families_children",),
        sentences=(
            "Arodbiedrība apvieno nozares darbiniekus un rūpējas par viņu drošību darbā.",
            "Mūsu biedri krīzē var palīdzēt ar telpām un brīvprātīgajiem.",
        ),
    ),
)

# How the description opens, by scope: "{subject} darbojas {where}."
OPENINGS = (
    "Darbojamies {where} kopš {year}. gada.",
    "Organizācija dibināta {year}. gadā un darbojas {where}.",
    "Esam {where} pazīstama organizācija ar vairāk nekā {members} biedriem.",
    "Apvienojam {members} brīvprātīgos {where}.",
)
CLOSINGS = (
    "Sadarbojamies ar pašvaldību un Valsts ugunsdzēsības un glābšanas dienestu.",
    "Mūsu vadītāji ir apmācīti rīcībai krīzēs un civilajā aizsardzībā.",
    "Esam gatavi iesaistīties, kad pašvaldība izsludina ārkārtējo situāciju.",
    "Meklējam jaunus brīvprātīgos un sadarbības partnerus.",
    "",
)

AVAILABILITY_NOTES = (
    "Visu diennakti",
    "Darba dienās 8–18",
    "Pēc iepriekšējas vienošanās",
    "Nedēļas nogalēs",
    "Vakaros un nedēļas nogalēs",
    "",
    "",
)

# --- Capabilities: plausible quantities in the catalogue's units ------------------------------

QUANTITIES: dict[str, tuple[int, ...]] = {
    "transport": (4, 5, 7, 8, 9, 16, 19, 20, 30, 45, 50),  # seats
    "premises": (20, 30, 40, 60, 80, 100, 120, 150, 200, 250, 300, 400),  # m²
    "food": (20, 30, 50, 80, 100, 150, 200, 300, 500),  # meals a day
    "drinking_water": (100, 200, 500, 1000, 2000, 5000),  # litres
    "first_aid": (2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30),  # people
    "psychological_first_aid": (1, 2, 3, 4, 5, 6, 8, 10),  # people
    "translation": (5, 10, 20, 40, 80, 120, 200),  # hours
    "it_communications": (1, 2, 3, 4, 5, 6, 8, 10),  # people
    "power_generators": (2, 3, 5, 6, 8, 10, 15, 20, 30, 45, 60),  # kW
    "disability_care": (2, 3, 5, 8, 10, 15, 20, 30),  # places
    "elderly_care": (2, 4, 6, 8, 10, 15, 20, 30, 40),  # places
    "child_care": (5, 8, 10, 12, 15, 20, 25, 30, 40),  # places
    "search_rescue": (3, 4, 5, 6, 8, 10, 12, 15, 20, 30),  # people
    "logistics_warehouse": (20, 40, 60, 100, 150, 200, 300, 500, 800, 1000),  # m²
    "volunteers": (5, 8, 10, 12, 15, 20, 25, 30, 40, 60, 80, 100, 150),  # people
}
STARTUP_HOURS = (1, 2, 2, 4, 4, 6, 8, 12, 24, 24, 48, 72)

# --- People ----------------------------------------------------------------------------------

LATVIAN_MEN = (
    "Jānis",
    "Andris",
    "Mārtiņš",
    "Pēteris",
    "Juris",
    "Edgars",
    "Kristaps",
    "Aivars",
    "Raivis",
    "Uldis",
    "Guntis",
    "Valdis",
    "Māris",
    "Artūrs",
    "Roberts",
    "Rihards",
    "Gints",
    "Kārlis",
    "Ivars",
    "Normunds",
    "Oskars",
    "Dainis",
    "Arnis",
    "Ainārs",
    "Toms",
    "Reinis",
    "Gatis",
    "Armands",
    "Didzis",
    "Mareks",
    "Agris",
    "Imants",
    "Viesturs",
    "Ilmārs",
)
LATVIAN_WOMEN = (
    "Anna",
    "Ilze",
    "Inese",
    "Kristīne",
    "Laura",
    "Līga",
    "Dace",
    "Sandra",
    "Inga",
    "Baiba",
    "Zane",
    "Linda",
    "Santa",
    "Elīna",
    "Evija",
    "Agnese",
    "Ieva",
    "Sanita",
    "Dagnija",
    "Gunta",
    "Vija",
    "Ruta",
    "Māra",
    "Aija",
    "Anita",
    "Daiga",
    "Signe",
    "Marta",
    "Alise",
    "Madara",
    "Lelde",
    "Ilona",
    "Vineta",
    "Solvita",
)
# Surnames as (masculine, feminine): Bērziņš/Bērziņa, Jansons/Jansone, Balodis/Balode, Liepa.
LATVIAN_SURNAMES = (
    ("Bērziņš", "Bērziņa"),
    ("Kalniņš", "Kalniņa"),
    ("Ozols", "Ozola"),
    ("Liepa", "Liepa"),
    ("Jansons", "Jansone"),
    ("Ozoliņš", "Ozoliņa"),
    ("Krūmiņš", "Krūmiņa"),
    ("Balodis", "Balode"),
    ("Zariņš", "Zariņa"),
    ("Pētersons", "Pētersone"),
    ("Vītols", "Vītola"),
    ("Kļaviņš", "Kļaviņa"),
    ("Kārkliņš", "Kārkliņa"),
    ("Vanags", "Vanaga"),
    ("Lapiņš", "Lapiņa"),
    ("Eglītis", "Eglīte"),
    ("Siliņš", "Siliņa"),
    ("Zvaigzne", "Zvaigzne"),
    ("Priede", "Priede"),
    ("Kalējs", "Kalēja"),
    ("Grīnbergs", "Grīnberga"),
    ("Zālītis", "Zālīte"),
    ("Krastiņš", "Krastiņa"),
    ("Strazds", "Strazda"),
    ("Sproģis", "Sproģe"),
    ("Celmiņš", "Celmiņa"),
    ("Āboliņš", "Āboliņa"),
    ("Rozītis", "Rozīte"),
    ("Ābele", "Ābele"),
    ("Lācis", "Lāce"),
    ("Bite", "Bite"),
    ("Dombrovskis", "Dombrovska"),
    ("Kalns", "Kalna"),
    ("Putniņš", "Putniņa"),
    ("Jēkabsons", "Jēkabsone"),
    ("Sīlis", "Sīle"),
    ("Avotiņš", "Avotiņa"),
    ("Meijers", "Meijere"),
    ("Gailītis", "Gailīte"),
    ("Zeltiņš", "Zeltiņa"),
)
RUSSIAN_MEN = (
    "Aleksandrs",
    "Sergejs",
    "Dmitrijs",
    "Andrejs",
    "Vladimirs",
    "Jevgeņijs",
    "Nikolajs",
    "Igors",
    "Olegs",
    "Viktors",
    "Mihails",
    "Jurijs",
)
RUSSIAN_WOMEN = (
    "Jeļena",
    "Olga",
    "Tatjana",
    "Natālija",
    "Irina",
    "Svetlana",
    "Jekaterina",
    "Marina",
    "Ludmila",
    "Anastasija",
    "Valentīna",
    "Gaļina",
)
RUSSIAN_SURNAMES = (
    ("Ivanovs", "Ivanova"),
    ("Petrovs", "Petrova"),
    ("Smirnovs", "Smirnova"),
    ("Kuzņecovs", "Kuzņecova"),
    ("Vasiļjevs", "Vasiļjeva"),
    ("Popovs", "Popova"),
    ("Sokolovs", "Sokolova"),
    ("Volkovs", "Volkova"),
    ("Fjodorovs", "Fjodorova"),
    ("Morozovs", "Morozova"),
    ("Novikovs", "Novikova"),
    ("Kozlovs", "Kozlova"),
    ("Pavlovs", "Pavlova"),
    ("Orlovs", "Orlova"),
    ("Zaharovs", "Zaharova"),
    ("Makarovs", "Makarova"),
)
UKRAINIAN_MEN = (
    "Oleksandrs",
    "Andrijs",
    "Tarass",
    "Bohdans",
    "Serhijs",
    "Oleksijs",
    "Vitālijs",
    "Mikola",
)
UKRAINIAN_WOMEN = (
    "Olena",
    "Oksana",
    "Iryna",
    "Natalija",
    "Tetjana",
    "Halina",
    "Julija",
    "Kateryna",
    "Svitlana",
    "Ļesja",
)
UKRAINIAN_SURNAMES = (
    ("Ševčenko", "Ševčenko"),
    ("Kovaļenko", "Kovaļenko"),
    ("Bondarenko", "Bondarenko"),
    ("Tkačenko", "Tkačenko"),
    ("Kravčenko", "Kravčenko"),
    ("Boiko", "Boiko"),
    ("Melņiks", "Melņika"),
    ("Kovaļčuks", "Kovaļčuka"),
    ("Lisenko", "Lisenko"),
    ("Rudenko", "Rudenko"),
)
INTERNATIONAL_MEN = ("Thomas", "Michael", "Daniel", "Peter", "David", "Lukas", "Jonas", "Erik")
INTERNATIONAL_WOMEN = ("Emma", "Sarah", "Maria", "Sophie", "Hannah", "Julia", "Eva", "Kaisa")
INTERNATIONAL_SURNAMES = (
    ("Smith", "Smith"),
    ("Brown", "Brown"),
    ("Wilson", "Wilson"),
    ("Müller", "Müller"),
    ("Schmidt", "Schmidt"),
    ("Nowak", "Nowak"),
    ("Johansson", "Johansson"),
    ("Virtanen", "Virtanen"),
    ("Kask", "Kask"),
    ("Jensen", "Jensen"),
)

# Positions in an organisation, as (masculine, feminine).
ADMIN_TITLES = (
    ("valdes priekšsēdētājs", "valdes priekšsēdētāja"),
    ("vadītājs", "vadītāja"),
    ("valdes loceklis", "valdes locekle"),
)
MEMBER_TITLES = (
    ("brīvprātīgais", "brīvprātīgā"),
    ("brīvprātīgais", "brīvprātīgā"),
    ("brīvprātīgais", "brīvprātīgā"),
    ("valdes loceklis", "valdes locekle"),
    ("koordinators", "koordinatore"),
    ("projektu vadītājs", "projektu vadītāja"),
    ("", ""),
)

EMAIL_DOMAINS = ("pasts.example", "inbox.example", "e-pasts.example", "mail.example")

# --- Institutions and agreements -------------------------------------------------------------

FIRE_SERVICE_NAME = "Valsts ugunsdzēsības un glābšanas dienests"
AGREEMENT_SCOPES = (
    "Sadarbība iedzīvotāju evakuācijā un pagaidu izmitināšanā.",
    "Pirmās palīdzības un psiholoģiskā atbalsta sniegšana ārkārtas situācijās.",
    "Pārtikas, ūdens un pirmās nepieciešamības preču izdale krīzes laikā.",
    "Vientuļo un mazaizsargāto iedzīvotāju apzināšana un apmeklēšana.",
    "Transporta nodrošināšana cilvēkiem ar kustību traucējumiem.",
    "Rezerves sakaru uzturēšana elektrības un sakaru pārtraukumu laikā.",
    "Brīvprātīgo iesaiste glābšanas darbos un seku likvidēšanā.",
    "Telpu nodrošināšana sasildīšanās un informācijas punktam.",
)
