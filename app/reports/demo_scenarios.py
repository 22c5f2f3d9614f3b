"""The demo year's material (a table, not logic): kinds of home-care events, how they are told and handled."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    """One way an event is told: the reporter's words, and the handler's anonymised one-line fact."""

    text: str
    fact: str
    place: str = ""


@dataclass(frozen=True)
class Scenario:
    """A kind of event in home care with the answers a reporter gives and how it is usually handled."""

    weight: int
    variants: tuple[Variant, ...]
    affected: tuple[str, ...]
    harm: str
    topics: tuple[str, ...]
    causes: tuple[str, ...]
    actions: tuple[str, ...]
    feedback: str
    immediate_action: str = ""
    # A serious case keeps its Lex Sarah / Lex Maria kind after the assessment; others are confirmed without.
    serious: bool = False
    routines: tuple[str, ...] = ()
    risk: tuple[int, int] = (2, 2)


S = Scenario
V = Variant

SCENARIOS = (
    S(14, (
        V("Kvällstabletterna låg kvar i dosetten när jag kom på morgonbesöket. Brukaren hade inte fått dem.",
          "Kvällens läkemedel gavs inte; dosetten var orörd på morgonen.", "Köket"),
        V("Lunchens läkemedel var inte givna och signeringslistan var inte signerad.",
          "Lunchens läkemedel gavs inte; ingen signering.", "Köket"),
        V("Brukaren fick morgonens tabletter två gånger eftersom förra besöket inte hade signerat.",
          "Morgonens läkemedel gavs dubbelt efter en saknad signering.", "Vardagsrummet"),
        V("Insulinet gavs en timme för sent eftersom besöket låg fel i planeringen.",
          "Insulin gavs en timme för sent; besöket låg fel i planeringen.", "Köket"),
        V("Ögondropparna var slut och ingen hade beställt nya från apoteket.",
          "Ordinerade ögondroppar saknades; beställning hade inte gjorts.", ""),
    ), ("client",), "risk", ("medication",), ("communication", "routine", "staffing"),
        ("Gå igenom signeringslistan och rutinen för läkemedelsöverlämning på APT.",
         "Inför kontroll av dosetten vid kvällsbesöket.",
         "Sjuksköterskan ser över beställningen av läkemedel med apoteket."),
        "Tack för din rapport. Vi har gått igenom signeringen på APT och infört en kontroll av dosetten vid "
        "kvällsbesöket. Sjuksköterskan har bedömt att brukaren inte tog skada.",
        "Kontaktade sjuksköterskan som bedömde vad som skulle göras.", routines=(
            "lakemedelshantering-i-hemtjanst", "checklista-lakemedelsoverlamning")),
    S(9, (
        V("Brukaren låg på golvet i badrummet när jag kom. Hade slagit i höften och hade ont.",
          "Fall i badrummet; smärta i höften, sjuksköterska bedömde.", "Badrummet"),
        V("Brukaren halkade på badrumsmattan och fick ett sår på underarmen.",
          "Fall på badrumsmatta; sår på underarmen som lades om.", "Badrummet"),
        V("Brukaren hade fallit i badrummet under natten och legat kvar till morgonbesöket. Larmet satt på "
          "nattduksbordet.", "Fall nattetid i badrummet; trygghetslarmet bars inte.", "Badrummet"),
        V("Brukaren snavade på tröskeln till badrummet och slog i knät.",
          "Fall vid tröskel till badrummet; blåmärke på knät.", "Badrummet"),
    ), ("client",), "injury", ("fall",), ("environment", "equipment"),
        ("Arbetsterapeuten gör hembesök och bedömer hjälpmedel i badrummet.",
         "Halkfri matta och stödhandtag vid toaletten.",
         "Påminn vid varje besök om att trygghetslarmet ska bäras."),
        "Tack för att du rapporterade. Arbetsterapeuten har varit på hembesök och brukaren har fått stödhandtag "
        "och en halkfri matta i badrummet.",
        "Ringde sjuksköterskan och stannade tills hon kom.", routines=(
            "fallprevention-i-ordinart-boende", "fallrisk-fran-bedomning-till-uppfoljning"), risk=(3, 2)),
    S(7, (
        V("Brukaren snubblade på mattan i hallen men jag hann ta emot. Ingen skada.",
          "Nära fall i hallen vid lös matta; ingen skada.", "Hallen"),
        V("Rullatorn saknade broms på ena sidan och brukaren var nära att falla i köket.",
          "Nära fall; rullatorns broms fungerade inte.", "Köket"),
        V("Brukaren försökte resa sig själv från sängen utan hjälp och gled ner på golvet. Inte skadad.",
          "Glidning från säng till golv; ingen skada.", "Sovrummet"),
    ), ("client",), "risk", ("fall",), ("environment", "equipment"),
        ("Ta bort lösa mattor i samråd med brukaren.", "Rullatorn lämnas in för reparation.",
         "Fallriskbedömning görs om."),
        "Tack för rapporten. Vi har gjort en ny fallriskbedömning och tagit bort mattan i hallen tillsammans med "
        "brukaren.", routines=("fallprevention-i-ordinart-boende",)),
    S(7, (
        V("Nyckeln till brukaren fanns inte i nyckelskåpet. Vi kom in först efter 40 minuter när en anhörig "
          "öppnade.", "Nyckel saknades i nyckelskåpet; besöket blev 40 minuter sent.", "Kontoret"),
        V("Nyckeln var inte kvitterad och ingen visste vem som hade den. Besöket blev sent.",
          "Okvitterad nyckel; besöket blev sent.", "Kontoret"),
        V("Fel nyckel låg i kuvertet. Fick åka tillbaka till kontoret.",
          "Fel nyckel i kuvertet; besöket försenades.", "Bilen"),
    ), ("client",), "none", ("other",), ("routine", "communication"),
        ("Inför daglig kontroll av nyckelskåpet vid passets slut.", "Märk om alla kuvert med nyckelkod."),
        "Tack. Nyckelskåpet kontrolleras nu varje kväll och kvitteringen är tydligare.",
        routines=("nyckelhantering-hemvard-nord", "digitala-las-i-hemvard-syd")),
    S(4, (
        V("Brukarens son blev arg och sa att han skulle slå mig om jag kom tillbaka. Jag lämnade lägenheten.",
          "Hot från anhörig mot personal; personalen lämnade bostaden.", "Hallen"),
        V("En anhörig skrek och stod i dörren så att jag inte kom ut. Jag ringde samordnaren.",
          "Anhörig hindrade personal från att gå; samordnaren kontaktades.", "Hallen"),
    ), ("staff",), "risk", ("threat_violence", "work_environment"), ("environment", "routine"),
        ("Dubbelbemanning vid besöken tills vidare.", "Samtal med anhörig tillsammans med biståndshandläggaren.",
         "Gå igenom rutinen för hot och våld på APT."),
        "Tack för att du rapporterade. Besöken görs nu två och två och vi har haft ett samtal med den anhöriga.",
        "Lämnade bostaden och ringde samordnaren.", routines=("hot-och-vald-i-brukarens-hem",), risk=(2, 3)),
    S(2, (
        V("En anhörig skrek åt brukaren och drog henne i armen när jag kom in. Brukaren var rädd.",
          "Anhörig uppträdde hotfullt mot brukaren; brukaren var rädd.", "Vardagsrummet"),
    ), ("client", "staff"), "risk", ("threat_violence",), ("other",),
        ("Anmälan till socialtjänsten om oro för brukaren.", "Dubbelbemanning vid besöken."),
        "Tack. Vi har gjort en orosanmälan och följer upp brukarens situation.", serious=True,
        routines=("lex-sarah-rapportera-missforhallanden", "hot-och-vald-i-brukarens-hem"), risk=(2, 4)),
    S(7, (
        V("Brukaren var missnöjd över att hemtjänsten kom en timme sent till lunchen igen.",
          "Synpunkt från brukare: lunchbesöken kommer sent.", ""),
        V("Dottern ringde och var missnöjd med att det är nya personer hos hennes mamma varje dag.",
          "Synpunkt från anhörig: för många olika personal.", ""),
        V("Brukaren tyckte att duschen gick för fort och att ingen har tid att prata.",
          "Synpunkt från brukare: för lite tid vid dusch.", "Badrummet"),
        V("Brukaren sa att maten från matlådan inte värmdes ordentligt.",
          "Synpunkt från brukare: maten värmdes inte ordentligt.", "Köket"),
    ), ("client",), "none", ("complaint",), ("staffing", "communication"),
        ("Se över planeringen så att lunchbesöket ligger inom tidsfönstret.",
         "Färre personer hos brukaren genom kontaktmannaskap."),
        "Tack för att du förde synpunkten vidare. Vi har ändrat planeringen och pratat med brukaren."),
    S(2, (
        V("Höll på att sticka mig på en använd insulinpenna som låg utan skydd på köksbänken.",
          "Nära stickskada: använd insulinnål låg oskyddad.", "Köket"),
        V("Använda kanyler låg i en vanlig plastpåse i badrummet.",
          "Använda kanyler låg oskyddade i en plastpåse.", "Badrummet"),
    ), ("staff",), "risk", ("work_environment",), ("equipment", "routine"),
        ("Kanylburk ställs hos brukaren.", "Sjuksköterskan informerar om hantering av använda nålar."),
        "Tack. Det finns nu en kanylburk hos brukaren och rutinen är genomgången.",
        routines=("insulin-delegerad-uppgift", "basala-hygienrutiner")),
    S(1, (
        V("Stack mig på en använd kanyl när jag knöt ihop soppåsen.",
          "Stickskada på använd kanyl i soppåse; provtagning gjord.", "Köket"),
    ), ("staff",), "injury", ("work_environment",), ("equipment", "routine"),
        ("Kanylburk hos alla brukare med insulin.", "Provtagning och uppföljning via företagshälsovården."),
        "Tack för rapporten. Proverna var bra. Alla brukare med insulin har nu kanylburk.",
        "Tvättade, spritade och ringde sjuksköterskan.", routines=("insulin-delegerad-uppgift",)),
    S(2, (
        V("Tappade tjänstetelefonen på bussen. Den har appen med adresser och portkoder.",
          "Tjänstetelefon förlorad; den innehöll adresser och portkoder.", "Bussen"),
        V("Skickade ett sms med en brukares portkod till fel nummer.",
          "Sms med portkod skickat till fel mottagare.", ""),
        V("En utskriven körlista med namn och adresser låg kvar i bilen som andra använder.",
          "Körlista med personuppgifter kvarglömd i bilpoolens bil.", "Bilen"),
    ), ("nobody",), "unknown", ("information",), ("equipment", "routine"),
        ("Telefonen spärrad och raderad på distans.", "Skärmlås med kod på alla tjänstetelefoner.",
         "Körlistor skrivs inte ut längre."),
        "Tack för att du rapporterade direkt. Telefonen är spärrad och vi har gått igenom rutinen för "
        "personuppgiftsincidenter.", "Ringde samordnaren som spärrade telefonen.",
        routines=("personuppgiftsincident", "sekretess-och-tystnadsplikt")),
    S(4, (
        V("Fick ont i ryggen när jag hjälpte brukaren upp ur sängen utan lift.",
          "Personal fick ont i ryggen vid förflyttning utan lift.", "Sovrummet"),
        V("Halkade på isen utanför porten. Det var inte sandat.",
          "Personal halkade på is utanför porten.", "Utanför porten"),
    ), ("staff",), "injury", ("work_environment",), ("equipment", "environment", "staffing"),
        ("Lift beställd via arbetsterapeuten.", "Fastighetsägaren kontaktad om sandning.",
         "Broddar finns att låna på kontoret."),
        "Tack. Det finns nu en lift hos brukaren och fastighetsägaren sandar.",
        routines=("forflyttning-med-lift", "ensamarbete-och-kvallspass")),
    S(3, (
        V("Bilen hade nästan ingen bensin och varningslampan lyste när jag skulle köra till första besöket.",
          "Bil i bilpoolen utan bränsle vid passets början.", "Bilen"),
        V("Var ensam på kvällen hos en brukare som blev förvirrad och aggressiv. Kände mig otrygg.",
          "Personal ensam vid kvällsbesök hos orolig brukare; kände sig otrygg.", ""),
    ), ("staff",), "risk", ("work_environment",), ("routine", "staffing"),
        ("Tanka vid passets slut enligt checklistan.", "Kvällsbesöket görs av två personer."),
        "Tack för rapporten. Vi har påmint om checklistan och ändrat bemanningen på kvällen.",
        routines=("checklista-bilen-fore-passet", "ensamarbete-och-kvallspass")),
    S(5, (
        V("Brukaren hade ett nytt trycksår på hälen som inte var dokumenterat.",
          "Trycksår på hälen upptäckt; inte dokumenterat tidigare.", "Sovrummet"),
        V("Stödstrumporna hade inte tagits av på kvällen och benen var svullna på morgonen.",
          "Stödstrumpor togs inte av på kvällen.", "Sovrummet"),
        V("Brukaren hade inte fått något att dricka på hela förmiddagen under värmeböljan.",
          "Otillräckligt vätskeintag under värmebölja.", "Köket"),
    ), ("client",), "risk", ("care",), ("communication", "competence"),
        ("Vändschema och trycksårsbedömning av sjuksköterskan.", "Genomgång av stödstrumpor på APT.",
         "Vätskelista vid värmebölja."),
        "Tack för att du såg det och rapporterade. Sjuksköterskan följer upp och vi har gått igenom rutinen.",
        "Kontaktade sjuksköterskan.", routines=("forebygga-trycksar", "stodstrumpor", "varmebolja")),
    S(4, (
        V("Brukaren hade inte fått någon frukost. Besöket var struket i planeringen av misstag.",
          "Frukostbesök uteblev; struket i planeringen av misstag.", ""),
        V("Trygghetslarmet gick inte fram till larmcentralen när vi testade det.",
          "Trygghetslarmet nådde inte larmcentralen vid test.", "Hallen"),
        V("Ingen kom på kvällsbesöket. Brukaren ringde själv till kontoret.",
          "Kvällsbesök uteblev; brukaren ringde själv.", ""),
    ), ("client",), "risk", ("other",), ("routine", "staffing", "communication"),
        ("Två personer kontrollerar planeringen när besök stryks.", "Larmet byts ut och testas varje månad."),
        "Tack. Vi har ändrat hur besök stryks i planeringen så att det alltid kontrolleras av två.",
        routines=("planering-av-dagen-i-hemvard-nord", "trygghetslarm-nar-larmet-gar")),
    S(1, (
        V("Brukaren hade legat i en våt blöja hela natten eftersom nattbesöket inte blev av.",
          "Nattbesök uteblev; brukaren fick inte hjälp under natten.", "Sovrummet"),
    ), ("client",), "injury", ("care",), ("staffing", "routine"),
        ("Nattbesöken kontrolleras mot planeringen varje natt.", "Utredning enligt Lex Sarah."),
        "Tack för att du rapporterade. Händelsen har utretts enligt Lex Sarah och nattplaneringen kontrolleras nu.",
        serious=True, routines=("lex-sarah-rapportera-missforhallanden",), risk=(2, 4)),
    S(1, (
        V("Hittade brukaren på golvet i badrummet. Hon kunde inte stå på benet; ambulansen konstaterade höftfraktur.",
          "Fall med höftfraktur; ambulans.", "Badrummet"),
        V("Brukaren fick dubbel dos blodförtunnande och fick blåmärken och näsblod.",
          "Dubbel dos blodförtunnande läkemedel; blödning.", "Köket"),
    ), ("client",), "injury", ("fall", "medication"), ("routine", "communication"),
        ("MAS utreder och anmäler till IVO.", "Dubbelkontroll vid ändrad dos."),
        "Tack för din rapport. MAS har utrett händelsen och vi har infört dubbelkontroll vid ändrad dos.",
        "Ringde 112 och sjuksköterskan.", serious=True,
        routines=("lex-maria-handelser-som-kan-ha-orsakat-vardskada",), risk=(2, 4)),
)

# (unit name, reporters with weights, handler username)
DEMO_REPORT_UNITS = (
    ("Hemvård Nord", (("usk.nord", 85), ("samordnare.nord", 12), ("chef.nord", 3)), "chef.nord", 55),
    ("Hemvård Syd", (("usk.syd", 100),), "kvalitet", 45),
)
