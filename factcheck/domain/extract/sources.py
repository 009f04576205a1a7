"""Source names and kinds: a small gazetteer plus heuristics on the head word."""

from __future__ import annotations

import re
from functools import lru_cache

#: Well-known outlets, lower-cased alias -> canonical name.
OUTLETS = {
    "reuters": "Reuters", "bloomberg": "Bloomberg", "ap": "AP", "associated press": "Associated Press",
    "the associated press": "Associated Press", "afp": "AFP", "agence france-presse": "AFP",
    "bbc": "BBC", "cnn": "CNN", "fox news": "Fox News", "msnbc": "MSNBC", "nbc": "NBC", "nbc news": "NBC News",
    "abc": "ABC", "abc news": "ABC News", "cbs": "CBS", "cbs news": "CBS News", "npr": "NPR", "pbs": "PBS",
    "the new york times": "The New York Times", "new york times": "The New York Times", "nyt": "The New York Times",
    "the washington post": "The Washington Post", "washington post": "The Washington Post",
    "the wall street journal": "The Wall Street Journal", "wall street journal": "The Wall Street Journal",
    "the guardian": "The Guardian", "guardian": "The Guardian", "the times": "The Times",
    "financial times": "Financial Times", "the financial times": "Financial Times",
    "the economist": "The Economist", "politico": "Politico", "axios": "Axios", "breitbart": "Breitbart",
    "breitbart news": "Breitbart News", "the huffington post": "The Huffington Post",
    "huffington post": "The Huffington Post", "huffpost": "HuffPost", "usa today": "USA Today",
    "the hill": "The Hill", "buzzfeed": "BuzzFeed", "buzzfeed news": "BuzzFeed News", "vox": "Vox",
    "the atlantic": "The Atlantic", "newsweek": "Newsweek", "time": "Time", "the new yorker": "The New Yorker",
    "al jazeera": "Al Jazeera", "tass": "TASS", "ria novosti": "RIA Novosti", "interfax": "Interfax",
    "rt": "RT", "sputnik": "Sputnik", "ukrinform": "Ukrinform", "ukrainska pravda": "Ukrainska Pravda",
    "the kyiv independent": "The Kyiv Independent", "kyiv independent": "The Kyiv Independent",
    "der spiegel": "Der Spiegel", "le monde": "Le Monde", "dpa": "dpa", "xinhua": "Xinhua",
    "politifact": "PolitiFact", "snopes": "Snopes", "the intercept": "The Intercept", "mediaite": "Mediaite",
    "the daily beast": "The Daily Beast", "daily mail": "Daily Mail", "the daily mail": "Daily Mail",
    "the new york post": "The New York Post", "new york post": "The New York Post", "the post": "The Post",
    "the telegraph": "The Telegraph", "the independent": "The Independent", "sky news": "Sky News",
    "los angeles times": "Los Angeles Times", "the los angeles times": "Los Angeles Times",
    "the boston globe": "The Boston Globe", "the charlotte observer": "The Charlotte Observer",
    "the new voice of ukraine": "The New Voice of Ukraine", "meduza": "Meduza", "kommersant": "Kommersant",
}

#: Government bodies named without a telling head word.
GOVERNMENTS = {
    "kremlin": "Kremlin", "the kremlin": "Kremlin", "white house": "White House", "the white house": "White House",
    "pentagon": "Pentagon", "the pentagon": "Pentagon", "state department": "State Department",
    "the state department": "State Department", "fbi": "FBI", "the fbi": "FBI", "cia": "CIA", "the cia": "CIA",
    "nsa": "NSA", "dhs": "DHS", "doj": "Justice Department", "kremlin spokesman": "Kremlin",
    "congress": "Congress", "the senate": "Senate", "senate": "Senate", "the house": "House",
    "state duma": "State Duma", "the state duma": "State Duma", "verkhovna rada": "Verkhovna Rada",
    "downing street": "Downing Street", "the elysee": "Elysee", "nato": "NATO", "the un": "UN", "un": "UN",
    "the united nations": "United Nations", "united nations": "United Nations", "eu": "EU",
    "the european commission": "European Commission", "european commission": "European Commission",
    "police": "police", "the police": "police", "the military": "military", "the army": "army",
    "the government": "government", "the administration": "administration",
}

#: Countries and capitals speak for their governments ("China said", "Moscow denied").
STATES = frozenset(
    """afghanistan albania algeria argentina armenia australia austria azerbaijan belarus belgium brazil britain
    bulgaria canada chile china colombia croatia cuba cyprus czechia denmark egypt estonia ethiopia finland france
    georgia germany greece hungary india indonesia iran iraq ireland israel italy japan jordan kazakhstan kenya
    latvia lebanon libya lithuania mexico moldova mongolia morocco netherlands nigeria norway pakistan palestine
    poland portugal qatar romania russia serbia slovakia slovenia spain sudan sweden switzerland syria taiwan
    turkey ukraine venezuela vietnam yemen moscow kyiv kiev washington beijing london paris berlin tehran ankara
    minsk warsaw brussels tokyo pyongyang seoul""".split()
    + ["saudi arabia", "south africa", "south korea", "north korea", "united states", "the united states",
       "united kingdom", "the united kingdom", "the u.s.", "u.s.", "the uk", "uk", "the netherlands"]
    # The states of the United States speak for their governments as countries do ("Ohio said").
    + """alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois
    indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri
    montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia wisconsin
    wyoming""".split()
    + ["new hampshire", "new jersey", "new mexico", "new york state", "north carolina", "north dakota",
       "rhode island", "south carolina", "south dakota", "west virginia"]
)

#: Places that are not speakers: a capitalised pair ending in one of these is no person's name.
_PLACE_HEADS = frozenset(
    """ocean sea seas island islands asia africa europe america americas county valley river bay mountains
    coast peninsula gulf strait street avenue square park lake desert east west north south""".split()
)
#: Regions named by two words that are not countries ("South Asia", "Middle East").
_REGIONS = frozenset(
    ["middle east", "south asia", "east asia", "southeast asia", "central asia", "latin america",
     "north america", "south america", "central america", "eastern europe", "western europe", "west bank",
     "gaza strip", "great britain", "puerto rico", "new england", "silicon valley", "wall street"]
)


def is_place(name: str) -> bool:
    """Return True when a capitalised name is a place ("Pacific Ocean", "South Asia", "West Virginia")."""
    lowered = name.lower()
    return lowered in STATES or lowered in _REGIONS or lowered.split()[-1] in _PLACE_HEADS

_OUTLET_HEADS = re.compile(
    r"\b(?:Times|News|Post|Journal|Agency|TV|Tribune|Herald|Gazette|Telegraph|Guardian|Daily|Press|Radio|"
    r"Network|Magazine|Observer|Wire|Channel|Broadcasting|Chronicle|Dispatch|Inquirer|Examiner|Review|"
    r"Reporter|Insider|Bulletin|Courier|Sun|Star|Globe|Mirror|Express|Week|Weekly|Monthly|Pravda|Izvestia|"
    r"Ledger|Register|Sentinel|Enquirer|Advocate|Beacon|Statesman|Monitor|Messenger|Clarion|Digest)$"
)
# "TV channel Rossiya 1", "the newspaper Kommersant": a medium word inside a name.
_MEDIUM_WORDS = re.compile(r"\b(?:TV|channel|newspaper|news agency|agency|radio|broadcaster|tabloid|daily)\b")
_GOVERNMENT_HEADS = re.compile(
    r"\b(?:Ministry|Department|Government|Administration|Parliament|Duma|Congress|Senate|Cabinet|Embassy|"
    r"Office|Army|Navy|Forces|Police|Service|Court|Prosecutor|Prosecutor's Office|Commission|Council of Ministers|"
    r"Presidency|Secretariat|Bureau|Directorate|Guard|Command|Staff|Headquarters)\b"
)
_ORGANISATION_HEADS = re.compile(
    r"\b(?:Center|Centre|Institute|Institution|Forum|Caucus|Conference|Council|Committee|Party|University|"
    r"College|Foundation|Association|"
    r"Campaign|Union|Organization|Organisation|Group|Company|Inc|Corp|Corporation|Bank|Fund|Coalition|League|"
    r"Society|Federation|Alliance|Movement|Initiative|Project|Trust|Board|Club|Church|Lab|Laboratory|"
    r"School|Academy|Clinic|Hospital|Watch|International|Partners|Research|Report|Study|Poll|Survey|"
    r"PAC|LLC|Ltd|GmbH|Agency)\b"
)
_UNNAMED_HEADS = re.compile(
    r"\b(?:media|sources?|officials?|insiders?|diplomats?|aides?|people|persons?|experts?|analysts?|observers?|"
    r"reports?|someone|somebody|witness(?:es)?|residents?|critics?|supporters?|activists?|protesters?|"
    r"spokes(?:man|woman|person)|representatives?|members?|lawmakers?|leaders?|staff(?:ers)?|voters?|"
    r"economists?|scientists?|researchers?|doctors?|investigators?|prosecutors?|authorities|agents?|"
    r"employees?|workers?|journalists?|reporters?|commentators?|bloggers?|users?|studies|polls?|surveys?|data|"
    r"documents?|figures|estimates?|statements?|Republicans|Democrats|Americans|conservatives|liberals|"
    r"ones?|group|campaign|others?)$",
    re.IGNORECASE,
)

#: Capitalised words that are titles or descriptors, never part of a clean name.
TITLES = frozenset(
    """president vice prime minister foreign defense defence finance interior secretary senator sen sen. rep rep.
    representative gov gov. governor mayor gen gen. general lt lt. col col. colonel maj major judge justice chief
    speaker house director chairman chairwoman chair ambassador spokesman spokeswoman spokesperson fm pm mr mr.
    mrs mrs. ms ms. dr dr. rev rev. pope king queen prince princess ceo cfo press attorney adm adm. sgt capt
    commissioner chancellor deputy leader majority minority democratic republican democrat gop former
    retired candidate nominee presumptive presidential state first lady host anchor sheriff officer
    professor prof prof. lord sir dame sheikh ayatollah patriarch metropolitan archbishop bishop cardinal
    premier head founder co-founder executive managing editor correspondent commander admiral sergeant
    captain lieutenant private u.s. us russian ukrainian american british french german chinese israeli
    then-president ex-president acting interim assistant associate national security council press
    pastor father brother sister elder""".split()
)

_TITLE_ONLY_KIND = {
    "agency": "outlet", "newspaper": "outlet", "paper": "outlet", "outlet": "outlet", "network": "outlet",
    "broadcaster": "outlet", "publication": "outlet", "channel": "outlet", "daily": "outlet",
    "magazine": "outlet", "website": "outlet", "site": "outlet", "station": "outlet", "tabloid": "outlet",
    "ministry": "government", "department": "government", "government": "government",
    "administration": "government", "kremlin": "government", "office": "government", "embassy": "government",
    "center": "organisation", "centre": "organisation", "institute": "organisation", "company": "organisation",
    "firm": "organisation", "group": "organisation", "organization": "organisation",
    "organisation": "organisation", "party": "organisation", "committee": "organisation",
    "council": "organisation", "campaign": "organisation", "foundation": "organisation",
    "university": "organisation",
}

_POSSESSIVE = re.compile(r"'s?$")


#: Outlets that broadcast: "the network", "the channel", "the broadcaster" mean one of these.
BROADCASTERS = frozenset(
    ["bbc", "cnn", "fox news", "msnbc", "nbc", "nbc news", "abc", "abc news", "cbs", "cbs news", "npr", "pbs",
     "al jazeera", "rt", "sky news", "c-span", "cnbc", "univision", "telemundo"]
)
_BROADCAST_WORDS = re.compile(r"\b(?:TV|Television|Radio|Channel|Network|Broadcasting|Broadcast|News Channel)\b")
_PRINT_WORDS = re.compile(r"\b(?:Times|Post|Journal|Tribune|Herald|Gazette|Telegraph|Guardian|Daily|Observer|Chronicle|"
                          r"Dispatch|Inquirer|Examiner|Courier|Sun|Star|Globe|Mirror|Express|Ledger|Register|"
                          r"Sentinel|Enquirer|Advocate|Statesman|Independent|Magazine|Weekly)\b")
#: Descriptions of an outlet by its medium, and the test an outlet's name must pass to be meant.
_MEDIUM_TESTS = {"network": "broadcast", "channel": "broadcast", "broadcaster": "broadcast", "station": "broadcast",
                 "newspaper": "print", "paper": "print", "daily": "print", "tabloid": "print", "magazine": "print"}


def fits_medium(name: str, noun: str) -> bool:
    """Whether an outlet's name fits a description by medium ("the network" is no newspaper)."""
    medium = _MEDIUM_TESTS.get(noun.lower())
    if medium is None:
        return True
    lowered = name.lower()
    broadcast = lowered in BROADCASTERS or lowered.startswith(tuple(b + " " for b in BROADCASTERS)) \
        or _BROADCAST_WORDS.search(name) is not None
    if medium == "broadcast":
        return broadcast
    return not broadcast and (_PRINT_WORDS.search(name) is not None or lowered in OUTLETS)


def outlet_name(phrase: str) -> str | None:
    """Return the canonical outlet name for a phrase in the gazetteer, else None."""
    return OUTLETS.get(phrase.lower().strip())


def government_name(phrase: str) -> str | None:
    """Return the canonical name of a government body in the gazetteer, else None."""
    return GOVERNMENTS.get(phrase.lower().strip())


@lru_cache(maxsize=8192)  # pure, and the same names recur through an article
def classify(name: str) -> str:
    """Return the kind of a cleaned source name: person, outlet, organisation, government or unnamed."""
    lowered = name.lower()
    if lowered in OUTLETS:
        return "outlet"
    if lowered in GOVERNMENTS or lowered in STATES:
        return "government"
    if not any(ch.isupper() for ch in name) or _UNNAMED_HEADS.search(name) and not _proper_head(name):
        return "unnamed"
    if _GOVERNMENT_HEADS.search(name):
        return "government"
    if _ORGANISATION_HEADS.search(name):
        return "organisation"
    if _OUTLET_HEADS.search(name) or _MEDIUM_WORDS.search(name):
        return "outlet"
    head = lowered.rsplit(" ", 1)[-1]
    if " " in lowered and head in _LOWER_HEADS:
        return _LOWER_HEADS[head]  # "Obama administration", "Trump campaign": a body named after a person
    return "person"


#: Lower-case heads after a capitalised name that make it a body, not a person.
_LOWER_HEADS = {"administration": "government", "government": "government", "campaign": "organisation",
                "foundation": "organisation", "team": "organisation", "camp": "organisation"}


def _proper_head(name: str) -> bool:
    # "Russian media" is unnamed; "Media Matters" is a named organisation; a lone
    # "Sources" is only capitalised because it opens the sentence.
    words = name.split()
    last = words[-1]
    if len(words) == 1 and _UNNAMED_HEADS.fullmatch(last):
        return False
    return last[:1].isupper() and last not in {"Republicans", "Democrats", "Americans"}


def title_kind(head: str) -> str | None:
    """Return the kind a title-only mention ("the agency", "the ministry") refers to, or None."""
    return _TITLE_ONLY_KIND.get(head.lower())


def canonical(name: str) -> str:
    """Return the gazetteer spelling of an outlet or government name, else the name unchanged."""
    lowered = name.lower()
    return OUTLETS.get(lowered) or GOVERNMENTS.get(lowered) or name


def is_title(word: str) -> bool:
    """Return True when a word is a title or descriptor rather than part of a name."""
    return word.lower() in TITLES or _POSSESSIVE.sub("", word.lower()) in TITLES
