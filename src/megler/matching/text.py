"""Text normalisation for matching: tokens, folding, stems, stop words, language guess.

A *key* is what the index stores: the folded snowball stem of a word. Folding happens
after stemming because the Norwegian and Swedish stemmers need æ/ø/å and ä/ö/å to find
their suffixes; it then maps æ→ä and ø→ö (so Norwegian and Swedish spellings of a stem
meet) and strips other accents (é→e). Display text is never touched: only keys are folded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from megler.vocabulary import Language

_STEMMER_NAME = {"nb": "norwegian", "nn": "norwegian", "sv": "swedish", "en": "english"}

# Hyphens and slashes split words ("FoU-partner", "KI/maskinlæring"); digits stay so that
# "ISO 27001" and "5S" remain searchable.
_WORD = re.compile(r"[^\W_]+(?:[&'][^\W_]+)*", re.UNICODE)
_PHD = re.compile(r"\bph\.\s?d\.?", re.IGNORECASE)
_JOINER = re.compile(r"([^\W_]+)-([^\W_]+)", re.UNICODE)
# "medlemmene", "medlemsbedriftene", "medlemsföretag", "our members": asked for members.
_MEMBERS = re.compile(r"\b(?:medlem|member)", re.IGNORECASE)

_FOLD = str.maketrans({"æ": "ä", "ø": "ö", "œ": "ö", "ß": "ss"})
_KEEP_MARKS = {"å", "ä", "ö"}

# Function words and broker boilerplate ("trenger", "ønsker") that say nothing about which
# entry fits; kept short on purpose because BM25's idf already damps frequent words.
STOPWORDS = {
    "nb": set("""
        og i å at en et ei den det de som på til for med av er var har hadde vil skal kan må
        ikke om fra så men eller også nå seg sin sitt sine sin vi oss våre vår vårt dere deres
        han hun hen ham henne jeg meg min mitt mine du deg din ditt dine man dem disse denne
        dette der her hvor hva hvem hvordan hvorfor når noe noen mye mange flere fleste alle
        andre annen annet hele helst gjerne både enn etter før under over inn ut opp ned mot
        ved hos uten mellom slik sånn bare litt mer mest meget svært veldig ca stk evt bl.a
        trenger trengs ønsker ønske ønsker vil ville skal skulle kunne burde får fikk få
        gjør gjøre gjort blir bli ble vært være er nye ny nytt egen eget egne to tre fire fem
        seks sju åtte ni ti år dag dagl the ingen ingenting snart stadig egentlig tror sier
        si vet høyt ta tar tok bruke bruker innen gjennom jobbe folk folka dette lurer spør
        hvilke hvilken finnes fins mulig kanskje fortsatt allerede igjen rundt innenfor
        blant fordi siden mens samt ifølge
    """.split()),
    "nn": set("""
        og i å at ein eit ei den det dei som på til for med av er var har hadde vil skal kan
        må ikkje om frå så men eller også òg no seg sin sitt sine vi oss våre vår dykk han ho
        eg meg min mitt mine du deg din ditt dine dei desse denne dette der her kvar kva kven
        korleis kvifor når noko nokon mykje mange fleire alle andre anna heile gjerne både enn
        etter før under over inn ut opp ned mot ved hjå utan mellom berre litt meir mest
        treng treng ønskjer vil skal kunne får gjer blir bli vart vore er nye ny nytt eigen
        eige eigne to tre fire fem
    """.split()),
    "sv": set("""
        och i att en ett den det de som på till för med av är var har hade vill ska kan måste
        inte om från så men eller också nu sig sin sitt sina vi oss våra vår vårt ni er han
        hon hen honom henne jag mig min mitt mina du dig din ditt dina dem dessa denna detta
        där här var vad vem hur varför när något några mycket många fler flesta alla andra
        annan annat hela helst gärna både än efter före under över in ut upp ned mot vid hos
        utan mellan sådan bara lite mer mest mycket ca st behöver behövs önskar vill skulle
        kunna få fick gör göra gjort blir bli blev varit vara nya ny nytt egen eget egna två
        tre fyra fem sex sju åtta nio tio år dag ingen inga snart tror säger vet ta tar
        använda jobba folk undrar finns kanske redan igen runt inom genom bland enligt
        eftersom därför sedan medan samt kring
    """.split()),
    "en": set("""
        a an the and or of in on at to for with by from as is are was were be been being has
        have had will would shall should can could may might must not no nor so but if then
        than that this these those it its they them their we our us you your he she his her
        i me my who whom which what when where why how all any both each few more most other
        some such only own same too very just also into over under about after before between
        out up down again further once there here need needs needed want wants wanted would
        like get gets got make makes new two three four five
    """.split()),
}

# Acronyms that collide with stop words in some language ("IT", "AI") survive when written
# in capitals ("FoU" counts); lower-case "it" in an English need is still a pronoun.
def is_acronym(word: str) -> bool:
    return len(word) >= 2 and sum(c.isupper() for c in word) >= 2


def fold(text: str) -> str:
    """Lower-case and fold for matching: æ→ä, ø→ö, other accents dropped, å/ä/ö kept.

    >>> fold("Ørsta Kåfjord Café Älmhult")
    'örsta kåfjord cafe älmhult'
    """
    out = []
    for ch in text.lower().translate(_FOLD):
        if ch in _KEEP_MARKS or ch.isascii():
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in base if not unicodedata.combining(c)) or ch)
    return "".join(out)


def for_members(text: str) -> bool:
    """Whether a need is asked on behalf of members (of an association, a cluster).

    >>> for_members("KI-kurs for medlemsbedriftene"), for_members("kurs for ansatte")
    (True, False)
    """
    return bool(_MEMBERS.search(text))


def words(text: str) -> list[str]:
    """Split into words as written (case kept), hyphenated parts separately.

    >>> words("FoU-partner og KI/maskinlæring (ISO 27001)")
    ['FoU', 'partner', 'og', 'KI', 'maskinlæring', 'ISO', '27001']
    """
    return _WORD.findall(_PHD.sub("phd", text.replace("’", "'")))


def hyphen_joins(text: str) -> list[tuple[str, str]]:
    """Hyphenated pairs ("el-bil" → ("el", "bil")), to be written together so that they
    meet closed compounds ("elbil")."""
    return _JOINER.findall(text)


def base_language(language: str | None) -> str:
    """Nynorsk shares the Norwegian stemmer and most vocabulary with bokmål."""
    return {"nn": "nb"}.get(language or "nb", language or "nb")


@lru_cache(maxsize=4)
def _stemmer(language: str):
    return snowballstemmer.stemmer(_STEMMER_NAME.get(language, "norwegian"))


# Nouns whose stem the snowball stemmer makes equal to a common verb's: "lærere" (teachers)
# and "lære" (learn) both become "lær", "lärare" and "lära" both "lär". A broker who writes
# "lære opp nye" is not asking for teachers, so these nouns keep a stem of their own.
_NOUN_STEMS = {
    "nb": dict.fromkeys("lærer lærere læreren lærerne lærers lærernes lærar lærarar lærarane"
                        " læraren".split(), "lärer"),
    "sv": dict.fromkeys("lärare läraren lärarna lärares lärarnas".split(), "lärare"),
}


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The folded stem of one word in one language (cached: catalogs repeat words a lot).

    >>> stem("Sveisekursene", "nb"), stem("demensvården", "sv"), stem("operators", "en")
    ('sveisekurs', 'demensvård', 'oper')
    """
    low = word.lower()
    if (fixed := _NOUN_STEMS.get(base_language(language), {}).get(low)):
        return fixed
    if language in ("nb", "nn") and low.endswith("erne") and len(low) > 6:
        low = low[:-2]  # snowball leaves "sykepleierne" as "sykepleiern"
    out = _stemmer(language).stemWord(low)
    if language in ("nb", "nn") and len(out) >= 5 and out.endswith("er"):
        out = out[:-2]  # agent nouns: snowball gives sykepleier but sykepleiere → sykepleier
    elif language in ("nb", "nn") and len(out) >= 6 and out.endswith("ar"):
        out = out[:-2]  # nynorsk ones: sjukepleiarar → sjukepleiar → sjukeplei
    if language != "en":
        out = _strip_ing(out)
    return fold(out)


_CONSONANTS = set("bcdfghjklmpqrstvwxz")


def _strip_ing(s: str) -> str:
    """Let the action noun meet its verb: sveising/sveise, utbildning/utbilda, forskning/forske.

    Snowball keeps Scandinavian -ing/-ning nouns whole, but brokers and catalogs switch
    freely between "opplæring i sveising" and "lære å sveise".
    """
    if len(s) < 7 or not s.endswith("ing"):
        return s
    s = s[:-3]
    if len(s) >= 5 and s[-1] == "n" and s[-2] in _CONSONANTS:
        s = s[:-1]
    return s


def is_stopword(word: str, language: str) -> bool:
    if is_acronym(word):
        return False
    low = word.lower()
    if language in ("nb", "nn"):  # brokers mix the two: "treng" and "trenger" alike
        return low in STOPWORDS["nb"] or low in STOPWORDS["nn"] or _short(low)
    return low in STOPWORDS.get(language, ()) or _short(low)


def _short(low: str) -> bool:
    return low.isdigit() and len(low) < 3 or len(low) < 2


# Light verbs with a particle: the phrase means "start", "build up", "make happen", not the
# verb's own topic; "bygge opp en ordning" must not hit construction, "komme i gang" not
# transport. Every word of such a phrase counts as a stop word. ("ta i bruk" is not here:
# taking a tool into use is what a need for digital skills says.) The adverb "i praksis" /
# "i praktiken" (in practice) rides along: it is no internship ("praksis", "praktik").
_LIGHT_VERBS = {
    "nb": """bygge/bygger/bygget/bygde/bygd opp; sette/setter/satt i gang; komme/kommer/kom
             i gang; få/får/fått/fikk til; legge/legger/la/lagt til rette; ta/tar/tok tak i;
             gå/går/gikk gjennom; sette/setter/satt opp; finne/finner/fant ut; ta/tar/tok opp;
             holde/holder/holdt på; komme/kommer/kom videre; være/er med; i praksis""",
    "nn": """byggje/byggjer/bygde opp; setje/set/sette i gang; kome/kjem/kom i gang;
             få/får/fekk til; leggje/legg/la til rette; ta/tek/tok tak i; i praksis""",
    "sv": """bygga/bygger/byggt/byggde upp; komma/kommer/kom igång; komma/kommer/kom i gång;
             sätta/sätter/satt igång; sätta/sätter/satt i gång; få/får/fick till;
             ta/tar/tog tag i; gå/går/gick igenom; sätta/sätter/satt upp; ta/tar/tog fram;
             hålla/håller/höll på; lägga/lägger/lade upp; komma/kommer/kom vidare;
             i praktiken""",
    "en": """build/builds/building up; set/sets/setting up; get/gets/getting started;
             find/finds/found out; carry/carries/carrying out; in practice""",
}


def _phrases(spec: str) -> dict[str, list[tuple[str, ...]]]:
    """verb forms → the particle sequences that follow them in a light-verb phrase."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for item in spec.split(";"):
        verbs, *rest = item.split()
        for verb in verbs.split("/"):
            out.setdefault(verb, []).append(tuple(rest))
    return out


_LIGHT = {lang: _phrases(spec) for lang, spec in _LIGHT_VERBS.items()}


def stop_flags(ws: list[str], language: str) -> list[bool]:
    """Per word: a stop word, or part of a light-verb phrase ("bygge opp", "komma igång").

    >>> stop_flags(["vil", "bygge", "opp", "et", "lager"], "nb")
    [True, True, True, True, False]
    """
    base = base_language(language)
    flags = [is_stopword(w, base) for w in ws]
    low = [w.lower() for w in ws]
    light = _LIGHT.get(base, {}) | _LIGHT.get(language, {})  # nynorsk: both tables
    for i, w in enumerate(low):
        for rest in light.get(w, ()):
            if tuple(low[i + 1:i + 1 + len(rest)]) == rest:
                flags[i:i + 1 + len(rest)] = [True] * (1 + len(rest))
    return flags


_MARKERS = {
    "nb": set("ikke jeg hva hvor hvordan også eller være bedrift ansatte trenger ønsker"
              " kurs opplæring og".split()),
    "nn": set("ikkje eg kva kvar korleis òg eller vere verksemd tilsette treng ønskjer"
              " kurs opplæring og fleire eit ein dei frå mykje berre saman manglar noko"
              " nokre skule heime".split()),
    "sv": set("inte jag vad hur också eller vara företag anställda behöver vill och"
              " utbildning kurs med".split()),
    "en": set("the and not what how also or be company staff needs wants training with"
              " of".split()),
}


def detect_language(text: str) -> str:
    """Guess nb, nn, sv or en from marker words and letters; ties go to nb.

    >>> detect_language("Behöver utbilda undersköterskor i demensvård")
    'sv'
    """
    ws = [w.lower() for w in words(text)]
    score = {lang: sum(w in marks for w in ws) for lang, marks in _MARKERS.items()}
    low = text.lower()
    score["nb"] += 2 * (low.count("ø") + low.count("æ"))
    score["nn"] += 2 * (low.count("ø") + low.count("æ"))
    score["sv"] += 2 * (low.count("ö") + low.count("ä"))
    score["nn"] -= 1  # nynorsk needs its own markers to win over bokmål
    return max(Language, key=lambda lang: (score[lang], lang == "nb"))
