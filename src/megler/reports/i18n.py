"""Every word of the report in English, Norwegian bokmål and Swedish.

One row per text with the three languages side by side, so that a missing
translation shows in review and a test can check that each row has all three.
Sentences take already formatted values ({n}, {amount}, ...).

A word that depends on a count names that count and gives its two forms:
`{visits} {visits:visit|visits}` reads "1 visit", "0 visits", "2 visits". The
choice sits in the sentence, not in the code, because each language agrees with
a different count: "1 of 3 goals reached" (en, by the total) against
"1 av 3 mål uppnått" (sv, the participle by the reached). Zero takes the plural
in all three languages, written as a numeral: "0 visits", "0 besøk", "0 besök".
"""

from string import Formatter

from megler.vocabulary import ReportLanguage

LANGS = tuple(ReportLanguage)  # the order of the columns of TEXTS

TEXTS: dict[str, tuple[str, str, str]] = {
    # Title and headings
    "title": ("Report for {period}", "Rapport for {period}", "Rapport för {period}"),
    "intro": ("Period {first} – {last}. Figures as they stood on {last}, compared with {previous}.",
              "Periode {first} – {last}. Tallene slik de sto per {last}, sammenlignet med {previous}.",
              "Period {first} – {last}. Siffrorna så som de såg ut den {last}, jämfört med {previous}."),
    "broker": ("Broker: {name}", "Kompetansemegler: {name}", "Kompetensmäklare: {name}"),
    "h_summary": ("1. Summary", "1. Sammendrag", "1. Sammanfattning"),
    "h_goals": ("2. Goals", "2. Mål", "2. Mål"),
    "h_reach": ("3. Reach", "3. Rekkevidde", "3. Räckvidd"),
    "h_needs": ("4. Needs", "4. Behov", "4. Behov"),
    "h_referrals": ("5. Referrals", "5. Henvisninger", "5. Hänvisningar"),
    "h_followups": ("6. Follow-ups", "6. Oppfølging", "6. Uppföljning"),
    "h_meetings": ("7. From the meetings", "7. Fra møtene", "7. Från mötena"),
    "h_next": ("8. Next period", "8. Neste periode", "8. Nästa period"),
    "h_visits_by_kind": ("Visits by kind", "Besøk etter type", "Besök efter typ"),
    "h_visits_per_month": ("Visits per month", "Besøk per måned", "Besök per månad"),
    "h_by_nace": ("Organisations by industry (NACE section)", "Virksomheter etter næring (NACE-hovedområde)",
                  "Organisationer efter bransch (SNI-avdelning)"),
    "h_by_municipality": ("Organisations by municipality", "Virksomheter etter kommune",
                          "Organisationer efter kommun"),
    "h_by_size": ("Organisations by size", "Virksomheter etter størrelse", "Organisationer efter storlek"),
    "h_needs_by_kind": ("Needs by kind", "Behov etter type", "Behov efter typ"),
    "h_needs_status": ("Status at the end of the period", "Status ved periodens slutt",
                       "Status vid periodens slut"),
    "h_referrals_by_status": ("Referrals by status", "Henvisninger etter status", "Hänvisningar efter status"),
    "h_by_target_kind": ("By kind of target", "Etter type mottaker", "Efter typ av mottagare"),
    "h_by_agency": ("By agency or provider", "Etter virkemiddelaktør eller tilbyder",
                    "Efter aktör eller anordnare"),
    "h_funding": ("Applications and funding", "Søknader og finansiering", "Ansökningar och finansiering"),
    "h_open_followups": ("Open follow-ups", "Åpne oppfølgingspunkter", "Öppna uppföljningar"),
    "h_awaiting": ("Awaiting a decision", "Venter på svar", "Väntar på beslut"),
    "h_per_broker": ("By broker", "Per kompetansemegler", "Per kompetensmäklare"),
    "h_per_municipality": ("By municipality", "Per kommune", "Per kommun"),
    "h_per_region": ("By region", "Per fylke", "Per län"),
    "h_per_cluster": ("By cluster of municipalities", "Per kommunegruppe", "Per kommungrupp"),
    # Column headings
    "c_indicator": ("Indicator", "Indikator", "Indikator"),
    "c_broker": ("Broker", "Kompetansemegler", "Kompetensmäklare"),
    "c_region": ("Region", "Fylke", "Län"),
    "c_cluster": ("Cluster", "Kommunegruppe", "Kommungrupp"),
    "no_cluster": ("In no cluster", "I ingen kommunegruppe", "I ingen kommungrupp"),
    "c_change": ("Change", "Endring", "Förändring"),
    "c_goal": ("Goal", "Mål", "Mål"),
    "c_actual": ("Actual", "Resultat", "Utfall"),
    "c_reached": ("Reached", "Oppnådd", "Uppnått"),
    "c_kind": ("Kind", "Type", "Typ"),
    "c_visits": ("Visits", "Besøk", "Besök"),
    "c_month": ("Month", "Måned", "Månad"),
    "c_section": ("Section", "Hovedområde", "Avdelning"),
    "c_municipality": ("Municipality", "Kommune", "Kommun"),
    "c_employees": ("Employees", "Ansatte", "Anställda"),
    "c_orgs": ("Organisations", "Virksomheter", "Organisationer"),
    "c_needs": ("Needs", "Behov", "Behov"),
    "c_status": ("Status", "Status", "Status"),
    "c_referrals": ("Referrals", "Henvisninger", "Hänvisningar"),
    "c_agency": ("Agency or provider", "Aktør eller tilbyder", "Aktör eller anordnare"),
    "c_figure": ("Figure", "Tall", "Uppgift"),
    "c_value": ("Value", "Verdi", "Värde"),
    "c_due": ("Due", "Frist", "Förfaller"),
    "c_org": ("Organisation", "Virksomhet", "Organisation"),
    "c_what": ("What", "Hva", "Vad"),
    "c_target": ("Target", "Mottaker", "Mottagare"),
    "c_applied_on": ("Applied", "Søkt", "Ansökt"),
    "c_amount_applied": ("Applied for", "Søkt om", "Sökt belopp"),
    # Sentences
    "s_summary": ("In {period}: {visits} {visits:visit|visits} with {orgs} {orgs:organisation|organisations} "
                  "({new} met for the first time); {needs} {needs:need|needs} found, "
                  "{referrals} {referrals:referral|referrals} made and {granted} granted.",
                  "I {period}: {visits} besøk hos {orgs} {orgs:virksomhet|virksomheter} "
                  "({new} møtt for første gang); {needs} behov funnet, "
                  "{referrals} {referrals:henvisning|henvisninger} gjort og {granted} innvilget.",
                  "Under {period}: {visits} besök hos {orgs} {orgs:organisation|organisationer} "
                  "({new} {new:mött|mötta} för första gången); {needs} behov {needs:hittat|hittade}, "
                  "{referrals} {referrals:hänvisning gjord|hänvisningar gjorda} och {granted} beviljade."),
    "s_no_goals": ("No goals are set for this period (set them with `megler goal set`).",
                   "Ingen mål er satt for denne perioden (sett dem med `megler goal set`).",
                   "Inga mål är satta för denna period (sätt dem med `megler goal set`)."),
    "s_goals": ("{reached} of {total} {total:goal|goals} reached.", "{reached} av {total} mål nådd.",
                "{reached} av {total} mål {reached:uppnått|uppnådda}."),
    "s_reach": ("{orgs} {orgs:organisation|organisations} met: {new} new and {returning} returning; "
                "{rd} of them {rd:is a company|are companies} without R&D experience; "
                "{first} {first:company|companies} applied for {first:its|their} first R&D project.",
                "{orgs} {orgs:virksomhet|virksomheter} møtt: {new} {new:ny|nye} og {returning} som vi har møtt før; "
                "{rd} av dem er {rd:en bedrift|bedrifter} uten FoU-erfaring; "
                "{first} {first:bedrift|bedrifter} søkte om sitt første FoU-prosjekt.",
                "{orgs} {orgs:organisation|organisationer} {orgs:mött|mötta}: {new} {new:ny|nya} och "
                "{returning} återkommande; {rd} av dem är {rd:ett företag|företag} utan FoU-erfarenhet; "
                "{first} {first:företag|företag} sökte för sitt första FoU-projekt."),
    "s_needs": ("{found} {found:need|needs} found, {per_org} per organisation met.",
                "{found} behov funnet, {per_org} per virksomhet møtt.",
                "{found} behov {found:hittat|hittade}, {per_org} per mött organisation."),
    "s_median": ("Median time from a need to its first referral: {days} {days:day|days}.",
                 "Mediantid fra behov til første henvisning: {days} {days:dag|dager}.",
                 "Mediantid från behov till första hänvisning: {days} {days:dag|dagar}."),
    "s_needs_status": ("Needs in play in the period (found by its end and not closed before it began), by status on {last}.",
                       "Behov i arbeid i perioden (funnet innen slutten og ikke lukket før starten), etter status per {last}.",
                       "Behov som var aktuella under perioden (hittade före slutet och inte stängda före starten), efter status den {last}."),
    "s_referrals": ("{made} {made:referral|referrals} made in the period; {active} in play "
                    "(made, changed or still in progress), by status on {last}.",
                    "{made} {made:henvisning|henvisninger} gjort i perioden; {active} i arbeid "
                    "(gjort, endret eller fortsatt pågående), etter status per {last}.",
                    "{made} {made:hänvisning gjord|hänvisningar gjorda} under perioden; {active} "
                    "{active:aktuell (gjord, ändrad|aktuella (gjorda, ändrade} eller fortfarande pågående), "
                    "efter status den {last}."),
    "s_followups": ("Of the follow-ups done in the period, {share} were done on time.",
                    "Av oppfølgingspunktene som ble gjort i perioden, ble {share} gjort i tide.",
                    "Av uppföljningarna som gjordes under perioden gjordes {share} i tid."),
    "s_no_meetings": ("No visit in the period has the template fields filled in.",
                      "Ingen besøk i perioden har malfeltene fylt ut.",
                      "Inget besök under perioden har mallfälten ifyllda."),
    "s_newest_meetings": ("The {n} newest of the period's {total} meetings with the template filled in "
                          "(`megler visit list` lists them all).",
                          "De {n} nyeste av periodens {total} møter med malen fylt ut "
                          "(`megler visit list` viser alle).",
                          "De {n} senaste av periodens {total} möten med mallen ifylld "
                          "(`megler visit list` visar alla)."),
    "s_none": ("None.", "Ingen.", "Inga."),
    "and": ("and", "og", "och"),
    "s_more": ("… and {n} more.", "… og {n} til.", "… och {n} till."),
    "s_no_data": ("No data in the period.", "Ingen data i perioden.", "Inga uppgifter under perioden."),
    # Meeting fields
    "since_last": ("Since last time", "Siden sist", "Sedan sist"),
    "next_steps": ("Before next time", "Til neste gang", "Till nästa gång"),
    # Figures in the funding and follow-up tables
    "applications": ("Applications submitted", "Søknader sendt", "Inskickade ansökningar"),
    "amount_applied": ("Amount applied for", "Beløp søkt om", "Sökt belopp"),
    "grants": ("Grants", "Innvilgede søknader", "Beviljade ansökningar"),
    "amount_granted": ("Amount granted (funding mobilised)", "Beløp innvilget (mobilisert finansiering)",
                    "Beviljat belopp (mobiliserad finansiering)"),
    "enrolments": ("Enrolments", "Påmeldinger", "Anmälningar"),
    "participants_enrolled": ("Participants enrolled", "Deltakere påmeldt", "Anmälda deltagare"),
    "done_on_time": ("Done on time", "Gjort i tide", "Gjorda i tid"),
    "done_late": ("Done late", "Gjort for sent", "Gjorda för sent"),
    "overdue_at_end": ("Overdue at the end of the period", "Forfalt ved periodens slutt",
                       "Försenade vid periodens slut"),
    # Indicators (the names `megler goal set` takes)
    "i_visits": ("Visits", "Besøk", "Besök"),
    "i_orgs_visited": ("Organisations met", "Virksomheter møtt", "Mötta organisationer"),
    "i_new_orgs": ("New organisations", "Nye virksomheter", "Nya organisationer"),
    "i_companies_without_rd": ("Companies met without R&D experience", "Bedrifter møtt uten FoU-erfaring",
                               "Mötta företag utan FoU-erfarenhet"),
    "i_first_rd_projects": ("Companies with a first R&D project", "Bedrifter med sitt første FoU-prosjekt",
                            "Företag med sitt första FoU-projekt"),
    "i_needs": ("Needs found", "Behov funnet", "Hittade behov"),
    "i_referrals": ("Referrals made", "Henvisninger gjort", "Gjorda hänvisningar"),
    "i_rd_referrals": ("Referrals for R&D needs", "Henvisninger for FoU-behov", "Hänvisningar för FoU-behov"),
    "i_applications": ("Applications submitted", "Søknader sendt", "Inskickade ansökningar"),
    "i_funding_granted_nok": ("Funding granted", "Innvilget finansiering", "Beviljad finansiering"),
    "i_funding_granted_sek": ("Funding granted in SEK", "Innvilget finansiering i SEK",
                              "Beviljad finansiering i SEK"),
    "i_participants": ("Participants enrolled", "Deltakere påmeldt", "Anmälda deltagare"),
    # Vocabularies
    "visit": ("Visit", "Besøk", "Besök"),
    "phone": ("Phone", "Telefon", "Telefon"),
    "video": ("Video", "Video", "Video"),
    "event": ("Event", "Arrangement", "Evenemang"),
    "competence": ("Competence and training", "Kompetanse og opplæring", "Kompetens och utbildning"),
    "rd": ("R&D and innovation", "FoU og innovasjon", "FoU och innovation"),
    "recruitment": ("Recruitment", "Rekruttering", "Rekrytering"),
    "apprenticeship": ("Apprenticeships", "Lærlinger", "Lärlingar"),
    "funding": ("Funding", "Finansiering", "Finansiering"),
    "other": ("Other", "Annet", "Övrigt"),
    "unknown": ("Other or unknown", "Annet eller ukjent", "Övrigt eller okänt"),
    "open": ("Open", "Åpne", "Öppna"),
    "referred": ("Referred", "Henvist", "Hänvisade"),
    "resolved": ("Resolved", "Løst", "Lösta"),
    "dropped": ("Dropped", "Avsluttet uten tiltak", "Avslutade utan åtgärd"),
    "suggested": ("Suggested", "Foreslått", "Föreslagen"),
    "contacted": ("Contacted", "Kontaktet", "Kontaktad"),
    "applied": ("Applied", "Søkt", "Ansökt"),
    "granted": ("Granted", "Innvilget", "Beviljad"),
    "declined": ("Declined", "Avslått", "Avslagen"),
    "enrolled": ("Enrolled", "Påmeldt", "Anmäld"),
    "completed": ("Completed", "Fullført", "Genomförd"),
    "withdrawn": ("Withdrawn", "Trukket", "Återtagen"),
    "offering": ("Offering (course or programme)", "Tilbud (kurs eller studium)", "Utbildning (kurs eller program)"),
    "instrument": ("Funding instrument", "Virkemiddel", "Finansieringsinstrument"),
    "provider": ("Provider", "Tilbyder", "Anordnare"),
}

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "nb": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "desember"),
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"),
}
QUARTER = {"en": "Q{q} {year}", "nb": "{q}. kvartal {year}", "sv": "kvartal {q} {year}"}


def is_one(count: object) -> bool:
    """Whether a count, as it is shown, takes the singular: only "1" does in en, nb
    and sv ("0 visits", "1,5 dager"). The shown numeral decides, so the word always
    agrees with what the reader sees (a median of 1.004 is shown, and read, as "1")."""
    return str(count) == "1"


def counted(count: object, one: str, many: str) -> str:
    """`3 files`, `1 file`: the count and the form of the word that agrees with it."""
    return f"{count} {one if is_one(count) else many}"


class _Forms(Formatter):
    """str.format, plus `{name:one|many}` for the form that agrees with `name`.
    (No standard format spec holds a `|`, so the two never clash.)"""

    def format_field(self, value, format_spec: str) -> str:
        if "|" in format_spec:
            one, many = format_spec.split("|")
            return one if is_one(value) else many
        return super().format_field(value, format_spec)


_FORMS = _Forms()


def text(key: str, lang: str, **values) -> str:
    """The text for `key` in `lang`, with the values (and the forms they take) filled in."""
    words = TEXTS[key][LANGS.index(lang)]
    return _FORMS.format(words, **values) if values else words
