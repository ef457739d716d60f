//! The demo's texts, in Danish: the nine LMU responses of HMU Socialområdet to a draft
//! "Visions- og Udviklingsplan for Socialområdet", the HMU chairs' first draft of the joint
//! response, and the Socialdirektion's hearing letter — as [`Blocks`].
//!
//! They serve the demo (`serve --demo`) and the tests and benchmarks of the provenance report:
//! the LMUs differ in focus but several make the same point in their own words, each has a
//! handful of concrete points (paragraphs and list items), and the joint draft rewords most of
//! them but deliberately leaves out a few (SUA's ageing citizens, SBU's transition at 18, SAU's
//! buildings and IKH's easy-read version), so the report has points to show as not reflected.
//! All names of people are fictional.
//!
//! The texts are data in a small line format: `## ` a level-2 heading, `- ` a bullet item,
//! `1. ` an ordered item, anything else a paragraph; inside a line `**…**` is bold and `*…*`
//! italic, and `\n` a hard break.

use crate::model::{Block, BlockKind, Blocks, Marks};

/// The response of the LMU with the short name `short_name` (as in [`crate::demo::LMUS`]).
pub fn lmu_response(short_name: &str) -> Option<Blocks> {
    let lines = match short_name {
        "SVO" => SVO,
        "SUA" => SUA,
        "SOH" => SOH,
        "Socialstaben" => SOCIALSTABEN,
        "SBU" => SBU,
        "SAU" => SAU,
        "IKH" => IKH,
        "Holmstrupgård" => HOLMSTRUPGAARD,
        "DOK" => DOK,
        _ => return None,
    };
    Some(doc(&format!("Høringssvar fra LMU {short_name}"), lines))
}

/// The HMU chairs' first draft of the joint response.
pub fn joint_draft() -> Blocks {
    doc("Høringssvar fra HMU Socialområdet", JOINT)
}

/// The Socialdirektion's letter that sends the plan into hearing.
pub fn hearing_letter() -> Blocks {
    doc(
        "Høringsbrev: Udkast til Visions- og Udviklingsplan for Socialområdet",
        LETTER,
    )
}

/// A document: a level-1 heading, then one block per line.
fn doc(title: &str, lines: &[&str]) -> Blocks {
    let mut blocks = vec![block(BlockKind::Heading { level: 1 }, title)];
    for line in lines {
        let (kind, text) = if let Some(text) = line.strip_prefix("## ") {
            (BlockKind::Heading { level: 2 }, text)
        } else if let Some(text) = line.strip_prefix("- ") {
            (BlockKind::ListItem { ordered: false, depth: 0 }, text)
        } else if let Some((n, text)) = line.split_once(". ")
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            (BlockKind::ListItem { ordered: true, depth: 0 }, text)
        } else {
            (BlockKind::Paragraph, *line)
        };
        blocks.push(block(kind, text));
    }
    Blocks { blocks }
}

/// A block from a line with `**bold**` and `*italic*` runs.
fn block(kind: BlockKind, mut rest: &str) -> Block {
    let mut block = Block::plain(kind, "");
    let mut marks = Marks::default();
    while let Some(at) = rest.find('*') {
        block.push(&rest[..at], &marks);
        if rest[at..].starts_with("**") {
            marks.bold = !marks.bold;
            rest = &rest[at + 2..];
        } else {
            marks.italic = !marks.italic;
            rest = &rest[at + 1..];
        }
    }
    block.push(rest, &marks);
    block
}

const SVO: &[&str] = &[
    "LMU i Specialområde Socialpsykiatri Voksne (SVO) takker for muligheden for at afgive \
     høringssvar til udkastet til Visions- og Udviklingsplan for Socialområdet. LMU bakker op om \
     planens vision og glæder sig over, at **recovery-orienteret rehabilitering** står som et \
     bærende princip for hele Socialområdet.",
    "## Recovery-orienteret rehabilitering i praksis",
    "Planen bygger på en nutidig og helhedsorienteret forståelse af recovery, hvor borgerens egne \
     mål, relationer og hverdagsliv er udgangspunktet. Det er LMU enig i. Det er dog vigtigt, at \
     planen også beskriver, hvordan visionen omsættes til praksis i de enkelte tilbud. Det kræver \
     tid til den gode samtale med borgeren, faglig refleksion i personalegruppen og ledere, der \
     går forrest. LMU foreslår derfor, at planen suppleres med:",
    "- fælles kompetenceudvikling i recovery-orienteret rehabilitering for alle faggrupper, også \
     for vikarer og nyansatte",
    "- at medarbejdere med egne erfaringer med psykisk sårbarhed (peer-medarbejdere) nævnes som en \
     ressource i tilbuddene",
    "## Samarbejdet med psykiatrien",
    "Mange af SVO's borgere har samtidig et forløb i regionspsykiatrien. Planen bør tydeligere \
     beskrive samarbejdet mellem Socialområdet og Psykiatrien, herunder det igangværende arbejde \
     med en egentlig samarbejdsaftale. LMU ser gerne, at aftalen omfatter udskrivelser, en fælles \
     forståelse af recovery og klare aftaler om, hvem der gør hvad, når en borger får det \
     dårligere.",
    "Der er særligt behov for en fælles indsats for borgere med *dobbeltdiagnoser*, dvs. samtidig \
     psykisk lidelse og misbrug, hvor hverken socialpsykiatrien eller misbrugsbehandlingen alene \
     kan løfte opgaven.",
    "## Rekruttering og fastholdelse",
    "Det er fortsat vanskeligt at rekruttere sygeplejersker, social- og sundhedsassistenter og \
     pædagoger med erfaring fra psykiatrien. LMU savner, at planen beskriver konkrete initiativer \
     for rekruttering og fastholdelse, fx faste stillinger frem for vikarer, gode \
     introduktionsforløb og karriereveje, så erfarne medarbejdere bliver i Socialområdet.",
    "*LMU SVO ser frem til at bidrage til det videre arbejde med planen og til at følge \
     udmøntningen i MED-systemet.*",
];

const SUA: &[&str] = &[
    "LMU i Specialområde Udviklingshæmning og ADHD (SUA) har drøftet udkastet til Visions- og \
     Udviklingsplan for Socialområdet og takker for muligheden for at komme med input. LMU kan \
     tilslutte sig planens overordnede vision, men savner, at medarbejdernes arbejdsmiljø får en \
     mere fremtrædende plads.",
    "## Arbejdsmiljø og forebyggelse af vold og trusler",
    "Medarbejderne i SUA møder dagligt borgere med komplekse behov, og episoder med vold og \
     trusler er en del af hverdagen i flere tilbud. Et godt og sikkert arbejdsmiljø er en \
     forudsætning for at nå planens mål om høj faglig kvalitet. LMU ønsker derfor, at planen får \
     et selvstændigt afsnit om arbejdsmiljø og **forebyggelse af vold og trusler** med fokus på:",
    "- systematisk læring af episoder med vold og trusler, herunder nærved-hændelser, så \
     erfaringerne deles på tværs af tilbuddene",
    "- at alle nyansatte og vikarer gennemfører et kursus i forebyggelse og konflikthåndtering, \
     før de arbejder alene med borgerne",
    "- psykologisk tryghed, kollegial sparring og debriefing efter voldsomme hændelser",
    "## Rekruttering og fastholdelse",
    "Vikarforbruget er fortsat højt i flere af SUA's tilbud. Faste, kendte medarbejdere er \
     afgørende for borgere med udviklingshæmning og ADHD, som er afhængige af genkendelighed og \
     forudsigelighed. LMU foreslår, at planen sætter mål for at nedbringe vikarforbruget og øge \
     andelen af faste fuldtidsstillinger, og at der arbejdes målrettet med at fastholde erfarne \
     medarbejdere, bl.a. gennem kompetenceudvikling og seniorordninger.",
    "## Borgere, der bliver ældre",
    "En voksende gruppe borgere med udviklingshæmning bliver ældre og får aldersrelaterede \
     sygdomme som demens, diabetes og hjerte-kar-sygdomme. Det stiller nye krav til de \
     sundhedsfaglige kompetencer i botilbuddene og til samarbejdet med den kommunale \
     hjemmesygepleje og de praktiserende læger. LMU savner, at planen forholder sig til *denne \
     udvikling*, og foreslår, at der udarbejdes en særskilt indsats for ældre borgere.",
    "*LMU SUA bidrager gerne til det videre arbejde og forventer, at arbejdsmiljøet følges tæt i \
     MED-systemet, når planen skal udmøntes.*",
];

const SOH: &[&str] = &[
    "LMU i Specialområde Hjerneskade (SOH) takker for muligheden for at afgive høringssvar. LMU \
     bakker op om planens vision og om ambitionen om, at Socialområdet skal være kendt for høj \
     faglighed og specialiseret viden.",
    "## Specialiseret viden skal fastholdes og udvikles",
    "SOH's medarbejdere har en højt specialiseret neurofaglig viden, som er opbygget over mange \
     år. Med sundhedsreformen, hvor regionen overtager opgaver inden for specialiseret \
     rehabilitering fra kommunerne, vil efterspørgslen efter denne viden stige. Planen bør \
     tydeliggøre, at Socialområdet er en central leverandør af **specialiseret rehabilitering**, \
     og beskrive, hvordan den specialiserede viden fastholdes, udvikles og deles. LMU peger på:",
    "- en plan for neurofaglig kompetenceudvikling, så viden ikke forsvinder, når erfarne \
     medarbejdere går på pension",
    "- samarbejde med uddannelsesinstitutioner og forskningsmiljøer om at udvikle og dokumentere \
     rehabiliteringsindsatserne",
    "- rådgivning og undervisning til kommunerne, så den specialiserede viden kommer flere borgere \
     til gode",
    "## Sammenhængende forløb",
    "Borgere med erhvervet hjerneskade oplever ofte mange overgange mellem hospital, genoptræning \
     i kommunen og regionale tilbud. LMU ønsker, at planen beskriver, hvordan Socialområdet sammen \
     med hospitalerne og kommunerne sikrer *sammenhængende forløb* med tidlig visitation og klare \
     aftaler om, hvem der har ansvaret i overgangene.",
    "## Pårørende som samarbejdspartnere",
    "Pårørende spiller en afgørende rolle i rehabiliteringen, men de er kun sparsomt nævnt i \
     udkastet. LMU foreslår, at inddragelsen af pårørende bliver en fast del af planens \
     beskrivelse af borgerens forløb, fx gennem pårørendesamtaler og pårørenderåd, og at \
     medarbejderne klædes på til samarbejdet med pårørende i svære situationer.",
    "*LMU SOH ser frem til at bidrage til det videre arbejde med planen og stiller gerne sin \
     viden til rådighed.*",
];

const SOCIALSTABEN: &[&str] = &[
    "LMU Socialstaben takker for muligheden for at give bemærkninger til udkastet til Visions- og \
     Udviklingsplan for Socialområdet. Som stabsfunktion understøtter Socialstaben \
     specialområderne med bl.a. økonomi, HR, kommunikation, kvalitet og digitalisering, og LMU \
     har derfor især set på planens forudsætninger for en god implementering.",
    "## Digitalisering og data",
    "LMU bakker op om ambitionen om at bruge digitale løsninger og data til at styrke kvaliteten \
     i indsatsen. Digitalisering skal dog først og fremmest *frigøre tid til kerneopgaven* og må \
     ikke føre til mere dokumentation. Erfaringen er, at nye systemer kun bliver en succes, når \
     medarbejderne inddrages i valget og tilpasningen af løsningerne, og når der er afsat tid til \
     oplæring. LMU foreslår:",
    "- et fælles fagsystem og ensartede data på tværs af specialområderne, så ledelsesinformation \
     kan bruges i styringen",
    "- en realistisk tidsplan og ressourcer til oplæring, superbrugere og support, når nye \
     digitale løsninger rulles ud",
    "## Økonomi og belægning",
    "Socialområdets økonomi er takstfinansieret og afhænger af kommunernes efterspørgsel. \
     Svingende belægning giver usikkerhed for både tilbud og medarbejdere. LMU foreslår, at \
     planen forholder sig til, hvordan Socialområdet sikrer en **økonomisk bæredygtig drift**, fx \
     gennem tæt dialog med kommunerne om deres behov, udvikling af nye tilbud i samarbejde med \
     kommunerne og en mere fleksibel kapacitet.",
    "## Implementeringen og MED-systemets rolle",
    "Planen er ambitiøs, og mange initiativer skal sættes i gang samtidig. LMU anbefaler, at \
     implementeringen prioriteres og tilrettelægges i etaper med en realistisk tidsplan, og at \
     HMU og LMU'erne får en klar rolle i at følge op på planens initiativer og deres betydning for \
     arbejdsmiljøet.",
    "Endelig bør planen suppleres med få, målbare succeskriterier, så det er muligt at følge \
     planens fremdrift i en årlig status til HMU og regionsrådet.",
    "*LMU Socialstaben bidrager gerne til det videre arbejde med at omsætte planen til \
     handling.*",
];

const SBU: &[&str] = &[
    "LMU i Specialområde Børn og Unge (SBU) bakker op om planens retning og takker for muligheden \
     for at afgive høringssvar. Planen giver et godt fælles afsæt for udviklingen af \
     Socialområdet, men LMU savner, at den beskriver, hvordan medarbejderne og MED-systemet \
     inddrages, når den skal omsættes til praksis.",
    "## Medarbejderinddragelse og MED-systemets rolle",
    "- at **medarbejderne inddrages tidligt** i implementeringen, så planens mål giver mening i \
     hverdagen på den enkelte afdeling",
    "- at arbejdsmiljøet følges tæt i MED-systemet, når planens initiativer sættes i gang",
    "- at LMU'erne får en tydelig rolle i at oversætte planen til lokale mål og handleplaner",
    "## Børn og unges perspektiv",
    "Planen er i høj grad skrevet med voksne borgere for øje. LMU ønsker, at *børn og unges \
     perspektiv* står tydeligere, herunder at børn, unge og deres familier inddrages i \
     udviklingen af tilbuddene, og at samarbejdet med kommunernes børne- og familieafdelinger, \
     skolerne og PPR styrkes.",
    "## Rekruttering af pædagoger",
    "SBU oplever, ligesom andre specialområder, at det er svært at rekruttere uddannede \
     pædagoger. LMU foreslår, at planen indeholder konkrete initiativer som flere praktikpladser, \
     en styrket praktikvejlederindsats og introforløb for nyuddannede, så Socialområdet bliver et \
     attraktivt sted at starte sin karriere.",
    "## Overgangen til voksenlivet",
    "Overgangen fra barn til voksen er en kritisk periode for mange af SBU's unge. LMU ønsker, at \
     planen beskriver, hvordan specialområderne for børn og for voksne arbejder sammen om en \
     sammenhængende *18-årsovergang*, så den unge ikke mister kendte relationer og støtte den dag, \
     han eller hun fylder 18 år.",
    "*LMU SBU ser frem til at bidrage til det videre arbejde med planen og til at følge \
     udmøntningen i MED-systemet.*",
];

const SAU: &[&str] = &[
    "LMU i Specialområde Autisme (SAU) takker for muligheden for at afgive høringssvar til \
     udkastet til Visions- og Udviklingsplan for Socialområdet. LMU bakker op om planens vision, \
     men vil fremhæve betydningen af den specialiserede viden om autisme og af stabile rammer for \
     både borgere og medarbejdere.",
    "## Specialiseret viden om autisme",
    "Borgere med autisme har brug for medarbejdere med indgående viden om autisme, struktur og \
     forudsigelighed. LMU er bekymret for, at den **specialiserede viden** udvandes, hvis \
     tilbuddene i højere grad skal rumme borgere med vidt forskellige behov. Planen bør fastholde, \
     at SAU er et højt specialiseret tilbud, og at viden om autisme deles med kommunerne og de \
     øvrige specialområder.",
    "## Belægning og økonomi",
    "Svingende belægning og kortvarige aftaler med kommunerne skaber usikkerhed for medarbejderne \
     og gør det svært at planlægge. LMU ønsker, at planen tager højde for:",
    "- længerevarende samarbejdsaftaler med kommunerne, der giver en mere stabil belægning",
    "- fleksible pladser, så kapaciteten kan tilpasses uden afskedigelser",
    "- at medarbejderne orienteres tidligt, når ændringer i belægningen påvirker deres \
     arbejdsplads",
    "## Fysiske rammer",
    "Mange borgere med autisme er særligt sårbare over for sanseindtryk, og de fysiske rammer har \
     stor betydning for både trivsel og forebyggelse af konflikter. Flere af SAU's bygninger er \
     nedslidte og ikke indrettet til målgruppen. LMU foreslår, at planen suppleres med en \
     *langsigtet plan for bygninger og fysiske rammer*.",
    "## Samarbejdet med psykiatrien",
    "Mange af SAU's borgere har også en psykiatrisk diagnose. LMU ønsker et styrket samarbejde \
     med både børne- og ungdomspsykiatrien og voksenpsykiatrien, så borgerne får en koordineret \
     indsats og ikke falder mellem to stole.",
    "*LMU SAU ser frem til at følge planens udmøntning i MED-systemet.*",
];

const IKH: &[&str] = &[
    "LMU i Specialområde Kommunikation og Handicap (IKH) takker for muligheden for at afgive \
     høringssvar. LMU er glad for planens fokus på borgerens selvbestemmelse og deltagelse og vil \
     gerne understrege, at kommunikation er en forudsætning for, at visionen kan blive til \
     virkelighed.",
    "## Kommunikation er en rettighed",
    "Mange af IKH's borgere har ikke et talesprog og kommunikerer med tegn, billeder eller \
     kommunikationshjælpemidler. Hvis borgeren skal være i centrum, må planen forholde sig til, \
     hvordan alle borgere får mulighed for at udtrykke sig og blive forstået. LMU foreslår \
     derfor, at planen nævner:",
    "- at **alternativ og supplerende kommunikation (ASK)** er en del af den faglige kerne i alle \
     relevante tilbud",
    "- at alle medarbejdere får grundlæggende ASK-kompetencer, og at der i hvert tilbud er \
     medarbejdere med specialiseret viden om kommunikation",
    "- at planen også udgives i en *let-læst udgave*, så borgerne selv kan læse den",
    "## Teknologi og kommunikationshjælpemidler",
    "Ny teknologi giver gode muligheder for kommunikation og selvhjælp. LMU ønsker, at planens \
     afsnit om digitalisering og velfærdsteknologi også omfatter kommunikationshjælpemidler, og at \
     der afsættes tid til at lære medarbejderne at bruge dem i hverdagen.",
    "## Tværfaglige kompetencer",
    "IKH er afhængig af tværfaglige kompetencer fra bl.a. talepædagoger, ergoterapeuter, \
     fysioterapeuter og pædagoger. Rekrutteringen af disse faggrupper er vanskelig, og LMU \
     ønsker, at planens indsats for rekruttering og fastholdelse også omfatter de terapeutiske \
     faggrupper.",
    "*LMU IKH bidrager gerne til det videre arbejde med planen.*",
];

const HOLMSTRUPGAARD: &[&str] = &[
    "LMU Holmstrupgård takker for muligheden for at afgive høringssvar til udkastet til Visions- \
     og Udviklingsplan for Socialområdet. Holmstrupgård tilbyder specialiseret behandling af \
     børn, unge og unge voksne med psykiske vanskeligheder, og LMU har læst planen med særligt \
     blik for samspillet mellem socialpædagogik og psykiatri.",
    "## Samarbejdet med psykiatrien",
    "Holmstrupgårds behandling bygger på et tæt samarbejde mellem socialpædagogisk og psykiatrisk \
     faglighed. LMU foreslår, at planen beskriver samarbejdet med børne- og ungdomspsykiatrien og \
     voksenpsykiatrien som et strategisk indsatsområde, og at den kommende **samarbejdsaftale \
     mellem Socialområdet og Psykiatrien** også omfatter børn og unge.",
    "## Arbejdsmiljø i et højt specialiseret miljø",
    "Arbejdet med unge i behandling er meningsfuldt, men også psykisk belastende. Episoder med \
     vold og trusler forekommer, og medarbejderne står ofte i svære dilemmaer. LMU ønsker, at \
     planen understøtter et godt psykisk arbejdsmiljø gennem:",
    "- fast supervision og faglig sparring for alle medarbejdergrupper",
    "- debriefing og opfølgning efter voldsomme hændelser",
    "- ledere, der er tæt på driften og har tid til at være til stede i hverdagen",
    "## Erfaringer med digitalisering",
    "Holmstrupgård har som det første sted afprøvet det nye dokumentationssystem. Erfaringerne \
     viser, at grundig oplæring, lokale superbrugere og tid til at tilpasse arbejdsgangene er \
     afgørende. LMU foreslår, at *erfaringerne fra piloten* deles på tværs af Socialområdet, \
     inden systemet rulles ud i de øvrige specialområder.",
    "*LMU Holmstrupgård ser frem til at bidrage til det videre arbejde med planen.*",
];

const DOK: &[&str] = &[
    "LMU i Specialområde Kriminalitetstruede og Dømte Børn og Unge (DOK) takker for muligheden \
     for at afgive høringssvar. LMU bakker op om planens vision, men finder, at DOK's målgruppe og \
     opgaver kun er beskrevet i begrænset omfang.",
    "## Forebyggelse af kriminalitet",
    "DOK arbejder med unge, som er anbragt på sikrede og åbne døgninstitutioner, ofte i \
     varetægtssurrogat eller efter en dom. Planen bør beskrive, hvordan Socialområdet bidrager \
     til at forebygge, at de unge fortsætter en kriminel løbebane. Det kræver et tæt samarbejde \
     med kommunerne, politiet, Kriminalforsorgen og Ungdomskriminalitetsnævnet. LMU vil særligt \
     fremhæve:",
    "- at de unge skal have **skolegang og uddannelse** under anbringelsen, så de har et reelt \
     alternativ til kriminalitet",
    "- at udslusning og efterværn planlægges sammen med kommunerne fra første dag, så de unge ikke \
     står alene, når anbringelsen slutter",
    "## Sikkerhed og arbejdsmiljø",
    "Medarbejderne i DOK arbejder i et miljø, hvor vold og trusler forekommer hyppigt. LMU ønsker, \
     at planen fastholder et stærkt fokus på sikkerhed og forebyggelse af vold og trusler, \
     herunder sikkerhedskurser for alle medarbejdere og vikarer, klare retningslinjer for \
     politianmeldelse og en systematisk opfølgning på hver episode.",
    "## Rekruttering",
    "Det er svært at rekruttere medarbejdere, som både har pædagogiske kompetencer og kan \
     håndtere de sikkerhedsmæssige krav. LMU foreslår, at Socialområdet udvikler en *fælles \
     introduktionsuddannelse* for nye medarbejdere på de sikrede institutioner, og at planen \
     anerkender behovet for specialiserede kompetencer.",
    "*LMU DOK ser frem til at bidrage til det videre arbejde med planen.*",
];

const JOINT: &[&str] = &[
    "TODO",
];

const LETTER: &[&str] = &[
    "TODO",
];
