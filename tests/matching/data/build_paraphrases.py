"""Build paraphrases.json: dev.json's needs as a broker might also have written them.

    python tests/matching/data/build_paraphrases.py ../shared/matchbench/dev.json

Each variant is written by hand from the need's text alone (shorter, misspelt, with
abbreviations, in nynorsk, or Swedish written by a Norwegian) and keeps the source need's
org, date, grades and look-alikes. Only needs are stored; the benchmark takes the catalog
from dev.json (`match_quality.py paraphrases.json --catalog dev.json`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# source need → (variant kind, language, text)
VARIANTS: dict[str, tuple[str, str, str]] = {
    "n002": ("abbrev", "nb", "Verksted vil innføre LEAN/5S, oppl. for formenn og operatører. Tilskudd?"),
    "n003": ("typo", "nb", "Byggfirma mangler tømmrere og betong-arbeidere. Vil ta inn lærlinnger og "
             "la to ufaglærte ta fagbrev som praksiskanditat."),
    "n004": ("nynorsk", "nn", "Heimetenesta skal ta i bruk digitalt tilsyn og medisindispenserar, men "
             "mange tilsette er utrygge på teknologien. Treng opplæring for sjukepleiarar og "
             "helsefagarbeidarar, og midlar til frikjøp."),
    "n005": ("short", "nb", "Hotell med mange utenlandske ansatte som trenger norskoppl. på jobben, "
             "også HMS. Støtte?"),
    "n007": ("abbrev", "nb", "IT-firma, 2 ansatte må lære infosikkerhet (ISO27001) og OT-sikkerhet fort."),
    "n010": ("nynorsk", "nn", "Skiftleiarane er flinke fagfolk, men slit med å følgje opp folk – mykje "
             "konfliktar og sjukefråvær."),
    "n011": ("nynorsk", "nn", "Frivillige i besøkstenesta og leksehjelpa treng opplæring i digitale "
             "verktøy, og mange med innvandrarbakgrunn vil bli betre i norsk."),
    "n012": ("typo", "nb", "Vannverk og renseanlegg drives av tre stk som snart pensjoneres. De yngre "
             "mangler papirer på prosessen."),
    "n015": ("abbrev", "nb", "Sykehjem m/ 11 ledige spl.-stillinger, mye vikarbruk. Vil utdanne "
             "helsefagarb. til spl. og gi vidreutdanning i demens. Tilskudd til perm. m/ lønn?"),
    "n016": ("typo", "nb", "Butikken har fått nettbutik og nytt kassesystem; ansatte trenger "
             "salgsoppæring og digital kompetanse. To vil ta fagbrev i salg."),
    "n019": ("nynorsk", "nn", "Dagleg leiar: «vi har inga oversikt over kva folka våre kan, og veit "
             "ikkje kva vi treng om fem år». Fleire nøkkelpersonar går av med pensjon snart."),
    "n021": ("abbrev", "nb", "Verket vil øke omsmelting av alu-skrap, kutte CO2. IPN m/ SINTEF/NTNU – frist?"),
    "n022": ("nynorsk", "nn", "Kommunen vil at fleire assistentar i skule og SFO tek fagbrev som barne- "
             "og ungdomsarbeidar. Har avtale med vaksenopplæringa, men treng finansiering."),
    "n023": ("typo", "nb", "Oppdretter med høy dødelighet etter avlusning – vil teste skånsom behandling "
             "og ny fòrstrategi med forskere. FHF eller Skattefun?"),
    "n024": ("abbrev", "nb", "Baseselskap, havvind/elektrifisering. 10 mek. trenger påbygging til elfag "
             "+ årlig FSE. Tar inn lærl."),
    "n025": ("nynorsk", "nn", "Kommunedirektøren vil nytte KI/chatbot i innbyggjartenester og "
             "sakshandsaming, men manglar kompetanse og er usikker på personvern. Ønskjer eit "
             "forskingsbasert pilotprosjekt saman med nabokommunane."),
    "n029": ("typo", "nb", "Mangler sykepleire. Desentral sykepleierutdanning + stipend til "
             "helsefagarbeidere? Statsforvalteren-midler."),
    "n035": ("short", "nb", "Programvarehus vil lage KI-modell som teller lus på bilder fra merdene. "
             "Trenger forskere i maskinsyn, Skattefunn, kanskje nærings-PhD."),
    "n037": ("short", "nb", "25 sjåfører må ta YSK før sommeren, noen ADR og kranbevis. 2 lærlinger "
             "yrkessjåfør."),
    "n040": ("nynorsk", "nn", "Barnehagane har mange ufaglærte assistentar. Vil ha 15 stk gjennom barne- "
             "og ungdomsarbeidarfaget og nokre på deltids barnehagelærarutdanning."),
    "n043": ("typo", "nb", "Fylkeskommunen vil styrke informasjonsikkerheten og trenger kurs for "
             "IT-ansatte og ledere. Vurderer også offentlig sektor phd i digital sikkerhet."),
    "n046": ("nynorsk", "nn", "Mange assistentar utan fagbrev i heimetenesta og på bufellesskap. Vil ha "
             "eit løp mot helsefagarbeidar for 12 stk, helst lokalt på kveldstid. Kven kan finansiere?"),
    "n047": ("typo", "nb", "Snekkerbedrift vil starte med BIM og digitale tegninger. Bas + 2 tømmrere "
             "trenger opplærig. Midler for småbedrifter?"),
    "n050": ("abbrev", "nb", "Nettselskap mangler energimontører, vil ha lærl. og vidreutd. montører til "
             "fagskoleing. i elkraft. FSE årlig."),
    "n053": ("short", "nb", "Plastprodusent går over til resirkulert råvare, trenger EPD og "
             "materialtesting. Lokalt FoU, kanskje RFF."),
    "n055": ("nynorsk", "nn", "Kjemifabrikken manglar operatørar med fagbrev i kjemiprosess. Om lag 20 "
             "tilsette har lang røynsle men ikkje fagbrev. Ønskjer bedriftsintern klasse og "
             "delfinansiering."),
    "n059": ("typo", "nb", "Trenger YSK kurs for 15 sjåfører + ADR. Lagerfolk må ha trukkopplæring."),
    "n061": ("abbrev", "nb", "Entreprenør vil løfte HMS-kulturen etter nestenulykker. Program for "
             "bas/formenn/PL, evt BIM."),
    "n062": ("typo", "nb", "Matprodusent vil automatisere pakkelinja med roboter, trenger automatikkere. "
             "Sender 4 operatører på fagskole i automasjon, søker støtte."),
    "n065": ("abbrev", "nb", "Kraftselskap vil digitalisere overvåkning av dammer, ML på sensordata for "
             "prediktivt vedlikehold. Trenger OT-sikkerhetskompetanse."),
    "n068": ("nynorsk", "nn", "Kommunen vil ta i bruk generativ KI i sakshandsaminga. Treng "
             "leiaropplæring i KI og ein innovasjonspartnar. Har fått avslag på skjønsmidlar."),
    "n074": ("abbrev", "nb", "10 lærere vil ta vidreutd. i matte fra høsten, men KfK-fristen er ute. "
             "Alternativer?"),
    "n078": ("sv-by-no", "sv", "Mangel på sjuksköterskor och undersköterskor i hjemtjänsten. Vil validera "
             "og utbilda vårdbiträden till undersköterskor, og ge sjuksköterskor specialistutbildning "
             "i eldreomsorg. Søker statsbidrag."),
    "n079": ("sv-by-no", "sv", "Byggföretag vil införa BIM og digital egenkontroll og utdanna "
             "arbetsledarna. Söker stötte till kompetensutveckling i småbedrifter."),
    "n082": ("sv-by-no", "sv", "Mange nyanlända elever; lärerne behöver kompetens i svenska som "
             "andrespråk. Vil skicka 8 lärare på videreutbildning og söka statsbidrag."),
    "n084": ("sv-by-no", "sv", "Underleverandør til fordonsindustrin. Vil innføre lean og "
             "forbedringsarbete og digitalisera produktionsuppföljningen – i dag kjörs allt i Excel."),
    "n087": ("typo", "sv", "Åkeriet saknar lastbilschafförer, vill rekrytera via "
             "arbetsmarknadsutb. Förarna behöver YKB-fortbilding."),
    "n091": ("abbrev", "sv", "Privat äldreboende vill ge usk specialistutbildning i demensvård. Kan vi "
             "söka statsbidraget kommunerna får?"),
    "n092": ("sv-by-no", "sv", "IT-bolag vil tilby AI-tjänster (språkmodeller) till kunderna og må "
             "kompetanseutvikle fem utviklere. Söker sjekker eller stöd for småföretag."),
    "n099": ("short", "sv", "Efter dataintrång: kommunen behöver bättre infosäkerhet, utbilda "
             "IT-personal och chefer."),
}


def build(dev: dict) -> dict:
    by_id = {n["id"]: n for n in dev["needs"]}
    needs = []
    for src, (variant, language, text) in VARIANTS.items():
        n = by_id[src]
        needs.append({"id": f"{src}p", "source": src, "variant": variant, "org": n["org"],
                      "date": n["date"], "text": text, "language": language,
                      "relevant": n["relevant"], "ineligible": n["ineligible"]})
    return {"version": 1, "catalog_ref": "../shared/matchbench/dev.json", "catalog": [],
            "needs": needs}


if __name__ == "__main__":
    dev = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out = Path(__file__).with_name("paraphrases.json")
    out.write_text(json.dumps(build(dev), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{out}: {len(VARIANTS)} needs")
