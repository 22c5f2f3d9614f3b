"""Demo reports (CONTRACT.md): a year of realistic home-care reports, so the statistics mean something at once.

Deterministic (a fixed random seed, uuid5 keys) and idempotent: a report whose uuid exists is not added again.
Inserted in bulk: the test suite seeds a template database with this once per session.
"""
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from app.accounts.models import Unit, User
from app.extensions import db
from app.reports import clock_rules, rules
from app.reports.models import (InvestigationEntry, KindChange, Report, ReportAction, ReportClock, ReportKindRow,
                                minutes_between)
from app.routines.models import ChangeProposal, Routine
from app.timestamps import local_month, utcnow

NAMESPACE = uuid.UUID("6f1c2a34-0d7e-4c55-9b1a-f1ccae2d0001")
REPORT_COUNT = 330
RANDOM_SEED = 20261123
LEX = {rules.ReportKind.LEX_SARAH, rules.ReportKind.LEX_MARIA}


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
CONFIRM_REASON = "Bekräftat enligt förslaget."
DOWNGRADE_REASON = "Ingen allvarlig skada eller risk för allvarlig skada – hanteras som avvikelse."


def report_uuid(index: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"demo-report-{index}"))


def status_for(rng: random.Random, age_days: float) -> str:
    """Old reports are mostly closed; the newest are received or under investigation."""
    if age_days < 7:
        return rng.choices(["received", "investigating"], [60, 40])[0]
    if age_days < 30:
        return rng.choices(["received", "investigating", "actions", "closed"], [10, 35, 25, 30])[0]
    if age_days < 60:
        return rng.choices(["investigating", "actions", "closed"], [10, 20, 70])[0]
    return rng.choices(["actions", "closed"], [5, 95])[0]


def confirmed_kinds(scenario: Scenario, suggested: list[str]) -> list[str]:
    kinds = suggested if scenario.serious else [kind for kind in suggested if kind not in LEX]
    return kinds or [str(rules.ReportKind.DEVIATION_SOL)]


@dataclass
class Batch:
    """The rows to insert, per table."""

    reports: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    clocks: list[dict] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)


class Builder:
    """Makes the rows of one demo report after another from a seeded random generator."""

    def __init__(self, now: datetime, users: dict[str, User], units: dict[str, int], routines: dict[str, int]):
        self.rng, self.now, self.users, self.units, self.routines = random.Random(RANDOM_SEED), now, users, units, routines
        self.batch = Batch()
        self.weights = [scenario.weight for scenario in SCENARIOS]

    def report(self, index: int) -> dict:
        rng = self.rng
        unit_name, reporters, handler_name, _share = rng.choices(DEMO_REPORT_UNITS, [u[3] for u in DEMO_REPORT_UNITS])[0]
        scenario = rng.choices(SCENARIOS, self.weights)[0]
        variant = rng.choice(scenario.variants)
        reporter = rng.choices([name for name, _ in reporters], [weight for _, weight in reporters])[0]
        age = rng.uniform(0.2, 364)
        created = self.now - timedelta(days=age)
        created = created.replace(hour=rng.choice((7, 8, 9, 10, 12, 13, 15, 17, 19, 21, 22)), minute=rng.randrange(60))
        if created > self.now:
            created -= timedelta(days=1)
        age = (self.now - created).total_seconds() / 86400
        suggested = [str(kind) for kind in rules.classify(scenario.affected, scenario.harm, scenario.topics)]
        status = status_for(rng, age)
        handler = self.users["mas"] if scenario.serious and "lex_maria" in suggested else self.users[handler_name]
        kinds = suggested if status == "received" else confirmed_kinds(scenario, suggested)
        received = created + timedelta(minutes=rng.choice((0, 0, 0, 1, 5, 40)))
        row = dict(
            uuid=report_uuid(index), reporter_id=self.users[reporter].id, unit_id=self.units[unit_name],
            text=variant.text, affected=list(scenario.affected), harm=scenario.harm, topics=list(scenario.topics),
            place=variant.place, client_reference=rng.choice(("", "", "K.L.", "A.B.", "nr 3")),
            immediate_action=scenario.immediate_action, suggested_kinds=suggested, kinds=kinds,
            kinds_confirmed_at=None, status=status, feedback="", occurred_at=created - timedelta(minutes=rng.randrange(5, 180)),
            created_at=created, received_at=received, updated_at=received, closed_at=None,
            flagged=rules.needs_quality(kinds), noticed_at=None, causes=[], risk_probability=None,
            risk_consequence=None, diary_number="", routine_id=None,
        )
        self.batch.reports.append(row)
        if status != "received":
            self.handle(row, scenario, variant, handler, age)
        # A bulk insert passes by the model's validators, which keep these.
        row["received_month"] = local_month(row["received_at"])
        row["minutes_to_closed"] = minutes_between(row["received_at"], row["closed_at"])
        return row

    def handle(self, row: dict, scenario: Scenario, variant: Variant, handler: User, age: float) -> None:
        rng, received = self.rng, row["received_at"]
        started = received + timedelta(hours=rng.uniform(2, min(72, age * 24 * 0.8)))
        row["kinds_confirmed_at"] = started
        reason = CONFIRM_REASON if row["kinds"] == row["suggested_kinds"] else DOWNGRADE_REASON
        self.batch.changes.append(dict(report_uuid=row["uuid"], actor_id=handler.id,
                                       previous_kinds=row["suggested_kinds"], kinds=row["kinds"], reason=reason,
                                       created_at=started))
        self.batch.entries.append(dict(report_uuid=row["uuid"], author_id=handler.id, signed_name=handler.display_name,
                                       signed_title=handler.title, kind="fact", text=variant.fact, created_at=started))
        row["noticed_at"] = row["occurred_at"]
        for clock in clock_rules.clocks_for(row["kinds"]):
            outcome = "done" if scenario.serious else "not_needed"
            self.batch.clocks.append(dict(report_uuid=row["uuid"], code=clock.code, outcome=outcome,
                                          note="Bedömt vid utredningen.", stopped_by_id=handler.id,
                                          stopped_at=started, overdue_notified_at=None))
        if row["status"] == "investigating":
            return
        row["causes"] = [cause for cause in rules.CAUSE_LABELS
                         if cause in rng.sample(scenario.causes, rng.randint(1, len(scenario.causes)))]
        probability, consequence = scenario.risk
        row["risk_probability"] = max(1, min(4, probability + rng.choice((-1, 0, 0, 1))))
        row["risk_consequence"] = consequence
        if scenario.serious:
            row["diary_number"] = f"SN {row['created_at'].year}/{rng.randint(100, 999)}"
        closed = row["status"] == "closed"
        if closed:
            days = min(age * 0.9, rng.lognormvariate(2.3, 0.6))
            row["closed_at"] = received + timedelta(days=max(days, 0.5))
            row["feedback"] = scenario.feedback
            row["updated_at"] = row["closed_at"]
        for what in rng.sample(scenario.actions, rng.randint(1, min(2, len(scenario.actions)))):
            self.action(row, what, handler, started, closed)
        if closed and scenario.routines and rng.random() < 0.25:
            self.link_routine(row, scenario, handler, started)

    def action(self, row: dict, what: str, handler: User, started: datetime, closed: bool) -> None:
        rng = self.rng
        due = (started + timedelta(days=rng.randint(7, 30))).date()
        action = dict(report_uuid=row["uuid"], what=what, owner_id=handler.id, owner_name="", due_on=due,
                      status="planned", effect="", effect_note="", effect_evaluated_at=None, created_by_id=handler.id,
                      created_at=started, done_at=None, overdue_notified_at=None)
        if closed:
            done = min(row["closed_at"], started + timedelta(days=rng.randint(3, 25)))
            action.update(status="done", done_at=done)
            evaluated = done + timedelta(days=30)
            if evaluated < self.now and rng.random() < 0.8:
                effect = rng.choices(["worked", "partly", "did_not_work"], [60, 27, 13])[0]
                notes = {"worked": "Inga liknande händelser sedan dess.",
                         "partly": "Färre händelser, men det har hänt igen en gång.",
                         "did_not_work": "Samma sak har hänt igen; ny åtgärd behövs."}
                action.update(effect=effect, effect_note=notes[effect], effect_evaluated_at=evaluated)
        else:
            action["status"] = rng.choice(["planned", "running"])
        self.batch.actions.append(action)

    def link_routine(self, row: dict, scenario: Scenario, handler: User, started: datetime) -> None:
        slugs = [slug for slug in scenario.routines if slug in self.routines]
        if not slugs:
            return
        routine_id = self.routines[self.rng.choice(slugs)]
        row["routine_id"] = routine_id
        unit_name = next(name for name, unit_id in self.units.items() if unit_id == row["unit_id"])
        self.batch.proposals.append(dict(
            routine_id=routine_id, author_id=handler.id, report_uuid=row["uuid"], created_at=started,
            text=f"Granskning begärd efter en avvikelse från {unit_name} "
                 f"({row['occurred_at'].date().isoformat()}): rutinen behöver bli tydligare om det som hände.",
            answer="", answered_by_id=None, answered_at=None))


def ids_of(uuids: list[str]) -> dict[str, int]:
    """Report ids by uuid, asked in slices: SQLite takes at most 32,766 values in one statement."""
    ids = {}
    for start in range(0, len(uuids), 10_000):
        part = uuids[start:start + 10_000]
        ids.update(db.session.execute(select(Report.uuid, Report.id).where(Report.uuid.in_(part))).all())
    return ids


def insert_children(rows: list[dict], model, ids: dict[str, int], wanted: set[str]) -> None:
    rows = [dict(row, report_id=ids[row["report_uuid"]]) for row in rows if row["report_uuid"] in wanted]
    for row in rows:
        del row["report_uuid"]
    if rows:
        db.session.execute(insert(model), rows)


def seed_reports(now: datetime | None = None, count: int = REPORT_COUNT) -> int:
    """Add the demo reports that are missing; returns how many were added."""
    users = {user.username: user for user in db.session.scalars(select(User))}
    units = dict(db.session.execute(select(Unit.name, Unit.id)).all())
    if any(name not in units for name, *_ in DEMO_REPORT_UNITS) or "kvalitet" not in users:
        return 0
    existing = set(ids_of([report_uuid(index) for index in range(count)]))
    if len(existing) == count:
        return 0
    routines = dict(db.session.execute(select(Routine.slug, Routine.id)).all())
    builder = Builder(now or utcnow(), users, units, routines)
    for index in range(count):
        builder.report(index)
    batch = builder.batch
    # In the order they arrived, as a real database holds them (the statistics read them by time).
    new_reports = sorted((row for row in batch.reports if row["uuid"] not in existing),
                         key=lambda row: row["received_at"])
    wanted = {row["uuid"] for row in new_reports}
    db.session.execute(insert(Report), new_reports)
    ids = ids_of(list(wanted))
    # Nor does it pass by Report.kinds' mirroring: the kinds' rows are written here.
    db.session.execute(insert(ReportKindRow), [dict(report_id=ids[row["uuid"]], kind=kind)
                                               for row in new_reports for kind in row["kinds"]])
    insert_children(batch.changes, KindChange, ids, wanted)
    insert_children(batch.entries, InvestigationEntry, ids, wanted)
    insert_children(batch.actions, ReportAction, ids, wanted)
    insert_children(batch.clocks, ReportClock, ids, wanted)
    insert_children(batch.proposals, ChangeProposal, ids, wanted)
    db.session.commit()
    return len(new_reports)
