//! The demo's texts, in Danish: the nine LMU responses of HMU Socialområdet to a draft
//! "Visions- og Udviklingsplan for Socialområdet", the HMU chairs' first draft of the joint
//! response, and the Socialdirektion's hearing letter, as [`Blocks`].
//!
//! They serve the demo (`serve --demo`) and the tests and benchmarks of the provenance report
//! ([`crate::model::provenance`]). The LMUs differ in focus, as the real ones did, but several
//! make the same point in their own words (recruitment, violence prevention, the psychiatry
//! agreement, specialised knowledge); each has 6–8 concrete points (paragraphs and list items)
//! between its introduction and its closing line. The joint draft rewords most of them and
//! deliberately leaves out one point each of six LMUs ([`LEFT_OUT`]), so the report has points to
//! show as not reflected. All names of people are fictional.
//!
//! The texts are data in a small line format: a line starting `## ` is a level-2 heading, `- ` a
//! bullet item, `1. ` (any number) an ordered item, anything else a paragraph; inside a line
//! `**…**` is bold, `*…*` italic, and `\n` a hard break.

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

/// The points that [`joint_draft`] deliberately leaves out: (LMU, how the point's text starts).
pub const LEFT_OUT: &[(&str, &str)] = &[
    (
        "SUA",
        "En voksende gruppe borgere med udviklingshæmning bliver ældre",
    ),
    ("SBU", "Overgangen fra barn til voksen"),
    (
        "SAU",
        "Mange borgere med autisme er særligt sårbare over for sanseindtryk",
    ),
    ("IKH", "Planen handler om borgernes liv"),
    ("Holmstrupgård", "Planen nævner ikke magtanvendelse"),
    (
        "DOK",
        "Mange af de unge og deres familier har en anden etnisk baggrund",
    ),
];

/// A document: a level-1 heading, then one block per line.
fn doc(title: &str, lines: &[&str]) -> Blocks {
    let mut blocks = vec![block(BlockKind::Heading { level: 1 }, title)];
    for line in lines {
        let (kind, text) = if let Some(text) = line.strip_prefix("## ") {
            (BlockKind::Heading { level: 2 }, text)
        } else if let Some(text) = line.strip_prefix("- ") {
            (
                BlockKind::ListItem {
                    ordered: false,
                    depth: 0,
                },
                text,
            )
        } else if let Some((n, text)) = line.split_once(". ")
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            (
                BlockKind::ListItem {
                    ordered: true,
                    depth: 0,
                },
                text,
            )
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
    "LMU SVO takker for muligheden for at afgive høringssvar til udkastet til Visions- og \
     Udviklingsplan for Socialområdet. LMU bakker op om planens vision og glæder sig over, at \
     **recovery-orienteret rehabilitering** står som et bærende princip for hele Socialområdet.",
    "## Recovery-orienteret rehabilitering i praksis",
    "Planen bygger på en nutidig og helhedsorienteret forståelse af recovery, hvor borgerens egne \
     mål, relationer og hverdagsliv er udgangspunktet. Det er LMU enig i. Recovery handler ikke \
     kun om behandling, men om et meningsfuldt liv med bolig, beskæftigelse, netværk og fritid. \
     Det er dog vigtigt, at planen også beskriver, hvordan visionen omsættes til praksis i de \
     enkelte tilbud. Det kræver tid til den gode samtale med borgeren, faglig refleksion i \
     personalegruppen og ledere, der går forrest. LMU foreslår derfor, at planen suppleres med:",
    "- fælles kompetenceudvikling i recovery-orienteret rehabilitering for alle faggrupper, også \
     for vikarer og nyansatte",
    "- at medarbejdere med egne erfaringer med psykisk sårbarhed (peer-medarbejdere) nævnes som en \
     ressource i tilbuddene",
    "## Samarbejdet med psykiatrien",
    "Mange af SVO's borgere har samtidig et forløb i regionspsykiatrien. Planen bør tydeligere \
     beskrive samarbejdet mellem Socialområdet og Psykiatrien, herunder det igangværende arbejde \
     med en egentlig samarbejdsaftale. LMU ser gerne, at aftalen omfatter udskrivelser, en fælles \
     forståelse af recovery og klare aftaler om, hvem der gør hvad, når en borger får det \
     dårligere. Vores erfaring er, at borgere for ofte udskrives, uden at botilbuddet er \
     orienteret, og at vigtig viden om medicin og aftaler går tabt i overgangen.",
    "Der er særligt behov for en fælles indsats for borgere med *dobbeltdiagnoser*, dvs. samtidig \
     psykisk lidelse og misbrug, hvor hverken socialpsykiatrien eller misbrugsbehandlingen alene \
     kan løfte opgaven. LMU foreslår, at planen beskriver et forpligtende samarbejde med \
     psykiatrien og kommunernes misbrugsbehandling, så borgeren får én samlet plan.",
    "## Rekruttering og fastholdelse",
    "Det er fortsat vanskeligt at rekruttere sygeplejersker, social- og sundhedsassistenter og \
     pædagoger med erfaring fra psykiatrien. Nyuddannede vælger ofte hospitalerne, og erfarne \
     medarbejdere søger til kommunerne. LMU savner, at planen beskriver konkrete initiativer for \
     rekruttering og fastholdelse, fx faste stillinger frem for vikarer, gode introduktionsforløb \
     og karriereveje, så erfarne medarbejdere bliver i Socialområdet.",
    "*LMU SVO ser frem til at bidrage til det videre arbejde med planen og til at følge \
     udmøntningen i MED-systemet.*",
];

const SUA: &[&str] = &[
    "LMU SUA har drøftet udkastet til Visions- og Udviklingsplan for Socialområdet på sit seneste \
     møde og takker for muligheden for at afgive høringssvar. LMU kan tilslutte sig planens \
     overordnede vision, men savner, at medarbejdernes arbejdsmiljø får en mere fremtrædende plads \
     i planen.",
    "## Arbejdsmiljø og forebyggelse af vold og trusler",
    "Medarbejderne i SUA møder dagligt borgere med komplekse behov, og episoder med vold og \
     trusler er en del af hverdagen i flere tilbud. Et godt og sikkert arbejdsmiljø er en \
     forudsætning for at nå planens mål om høj faglig kvalitet, og for at medarbejderne bliver i \
     faget. LMU ønsker derfor, at planen får et selvstændigt afsnit om arbejdsmiljø og \
     **forebyggelse af vold og trusler** med fokus på:",
    "- systematisk læring af episoder med vold og trusler, herunder nærved-hændelser, så \
     erfaringerne deles på tværs af tilbuddene",
    "- at alle nyansatte og vikarer gennemfører et kursus i forebyggelse og konflikthåndtering, \
     før de arbejder alene med borgerne",
    "- psykologisk tryghed, kollegial sparring og debriefing efter voldsomme hændelser, så ingen \
     medarbejder står alene med oplevelsen",
    "## Rekruttering og fastholdelse",
    "Vikarforbruget er fortsat højt i flere af SUA's tilbud. Faste, kendte medarbejdere er \
     afgørende for borgere med udviklingshæmning og ADHD, som er afhængige af genkendelighed og \
     forudsigelighed i hverdagen. Mange vikarer giver desuden en større risiko for konflikter og \
     belaster de faste medarbejdere, som skal introducere og støtte dem. LMU foreslår, at planen \
     sætter mål for at nedbringe vikarforbruget og øge andelen af faste fuldtidsstillinger, og at \
     der arbejdes målrettet med at fastholde erfarne medarbejdere, bl.a. gennem \
     kompetenceudvikling og seniorordninger.",
    "## Borgere, der bliver ældre",
    "En voksende gruppe borgere med udviklingshæmning bliver ældre og får aldersrelaterede \
     sygdomme som demens, diabetes og hjerte-kar-sygdomme. Det stiller nye krav til de \
     sundhedsfaglige kompetencer i botilbuddene og til samarbejdet med den kommunale \
     hjemmesygepleje og de praktiserende læger. Nogle borgere har boet i samme tilbud i mange år \
     og har brug for, at de kan blive boende, også når behovene ændrer sig. LMU savner, at planen \
     forholder sig til *denne udvikling*, og foreslår, at der udarbejdes en særskilt indsats for \
     ældre borgere med udviklingshæmning.",
    "*LMU SUA bidrager gerne til det videre arbejde og forventer, at arbejdsmiljøet følges tæt i \
     MED-systemet, når planen skal udmøntes.*",
];

const SOH: &[&str] = &[
    "LMU SOH takker for muligheden for at afgive høringssvar til udkastet til Visions- og \
     Udviklingsplan for Socialområdet. LMU bakker op om planens vision og om ambitionen om, at \
     Socialområdet skal være kendt for høj faglighed og specialiseret viden.",
    "## Specialiseret viden skal fastholdes og udvikles",
    "SOH's medarbejdere har en højt specialiseret neurofaglig viden, som er opbygget over mange \
     år. Med sundhedsreformen, hvor regionen overtager opgaver inden for specialiseret \
     rehabilitering fra kommunerne, vil efterspørgslen efter denne viden stige. Planen bør \
     tydeliggøre, at Socialområdet er en central leverandør af **specialiseret rehabilitering**, \
     og beskrive, hvordan den specialiserede viden fastholdes, udvikles og deles. LMU peger på:",
    "- en plan for neurofaglig kompetenceudvikling, så viden ikke forsvinder, når erfarne \
     medarbejdere går på pension",
    "- samarbejde med uddannelsesinstitutioner og forskningsmiljøer om at udvikle og dokumentere \
     indsatserne i rehabiliteringen",
    "- rådgivning og undervisning til kommunerne, så den specialiserede viden kommer flere borgere \
     til gode",
    "- at overdragelsen af specialiseret rehabilitering og avanceret genoptræning med \
     sundhedsreformen planlægges i tæt dialog med kommunerne og med inddragelse af medarbejderne",
    "## Sammenhængende forløb",
    "Borgere med erhvervet hjerneskade oplever ofte mange overgange mellem hospital, genoptræning \
     i kommunen og regionale tilbud. Hver overgang indebærer en risiko for, at viden om borgeren \
     går tabt, og at rehabiliteringen går i stå. LMU ønsker, at planen beskriver, hvordan \
     Socialområdet sammen med hospitalerne og kommunerne sikrer *sammenhængende forløb* med tidlig \
     visitation og klare aftaler om, hvem der har ansvaret i overgangene. Det gælder også, når \
     borgeren efter et langt forløb skal videre til egen bolig, job eller uddannelse.",
    "## Pårørende som samarbejdspartnere",
    "Pårørende spiller en afgørende rolle i rehabiliteringen, men de er kun sparsomt nævnt i \
     udkastet. En hjerneskade rammer hele familien, og de pårørende har ofte en viden om borgeren, \
     som er uvurderlig for medarbejderne. LMU foreslår, at inddragelsen af pårørende bliver en \
     fast del af planens beskrivelse af borgerens forløb, fx gennem pårørendesamtaler og \
     pårørenderåd, og at medarbejderne klædes på til samarbejdet med pårørende i svære \
     situationer, hvor forventningerne til rehabiliteringen ikke altid er de samme. Det gælder \
     ikke mindst, når borgeren selv har svært ved at udtrykke sine ønsker.",
    "*LMU SOH ser frem til at bidrage til det videre arbejde med planen og stiller gerne sin viden \
     til rådighed.*",
];

const SOCIALSTABEN: &[&str] = &[
    "LMU Socialstaben takker for muligheden for at give bemærkninger til udkastet til Visions- og \
     Udviklingsplan for Socialområdet. Socialstaben understøtter specialområderne med bl.a. \
     økonomi, HR, kvalitet og digitalisering, og LMU har derfor især set på forudsætningerne for \
     en god implementering af planen.",
    "## Digitalisering og data",
    "LMU bakker op om ambitionen om at bruge digitale løsninger og data til at styrke kvaliteten i \
     indsatsen. Digitalisering skal dog først og fremmest *frigøre tid til kerneopgaven* og må \
     ikke føre til mere dokumentation. Erfaringen er, at nye systemer kun bliver en succes, når \
     medarbejderne inddrages i valget og tilpasningen af løsningerne, og når der er afsat tid til \
     oplæring. Løsningerne skal også virke i praksis, fx på de mobile enheder, som medarbejderne \
     bruger i hverdagen. LMU foreslår:",
    "- et fælles fagsystem og ensartede data på tværs af specialområderne, så ledelsesinformation \
     kan bruges i styringen",
    "- en realistisk tidsplan og ressourcer til oplæring, superbrugere og support, når nye \
     digitale løsninger rulles ud",
    "- at gevinsterne ved digitaliseringen følges op og gøres synlige for medarbejderne",
    "- at informationssikkerhed og databeskyttelse tænkes ind fra begyndelsen, når data skal \
     bruges på tværs af tilbuddene",
    "## Økonomi og belægning",
    "Socialområdets økonomi er takstfinansieret og afhænger af kommunernes efterspørgsel. \
     Svingende belægning giver usikkerhed for både tilbud og medarbejdere, og uforudsete ændringer \
     kan hurtigt give ubalance i budgettet. LMU foreslår, at planen forholder sig til, hvordan \
     Socialområdet sikrer en **økonomisk bæredygtig drift**, fx gennem tæt dialog med kommunerne \
     om deres behov, udvikling af nye tilbud i samarbejde med kommunerne og en mere fleksibel \
     kapacitet.",
    "## Implementeringen og MED-systemets rolle",
    "Planen er ambitiøs, og mange initiativer skal sættes i gang samtidig, mens specialområderne \
     også skal håndtere sundhedsreformen og den daglige drift. LMU anbefaler, at implementeringen \
     prioriteres og tilrettelægges i etaper med en realistisk tidsplan, og at HMU og LMU'erne får \
     en klar rolle i at følge op på planens initiativer og deres betydning for arbejdsmiljøet.",
    "Endelig bør planen suppleres med få, målbare succeskriterier, så det er muligt at følge \
     planens fremdrift i en årlig status til HMU og regionsrådet. Socialstaben bidrager gerne med \
     data og opfølgning, så statussen bygger på et solidt grundlag.",
    "*LMU Socialstaben bidrager gerne til det videre arbejde med at omsætte planen til \
     handling.*",
];

const SBU: &[&str] = &[
    "LMU SBU bakker op om planens retning og takker for muligheden for at afgive høringssvar. \
     Planen giver et godt fælles afsæt for udviklingen af Socialområdet, men LMU savner, at den \
     beskriver, hvordan medarbejderne og MED-systemet inddrages, når planen skal omsættes til \
     praksis. LMU lægger derfor særligt vægt på:",
    "- at **medarbejderne inddrages tidligt** i implementeringen, så planens mål giver mening i \
     hverdagen på den enkelte afdeling",
    "- at arbejdsmiljøet følges tæt i MED-systemet, når planens initiativer sættes i gang",
    "- at LMU'erne får en tydelig rolle i at oversætte planen til lokale mål og handleplaner",
    "- at der afsættes tid og ressourcer til implementeringen, så den ikke kommer oven i en i \
     forvejen presset hverdag",
    "## Børn og unges perspektiv",
    "Planen er i høj grad skrevet med voksne borgere for øje. LMU ønsker, at *børn og unges \
     perspektiv* står tydeligere, herunder at børn, unge og deres familier inddrages i udviklingen \
     af tilbuddene, og at samarbejdet med kommunernes børne- og familieafdelinger, skolerne og PPR \
     styrkes. Børn og unge er i udvikling, og en tidlig og helhedsorienteret indsats kan gøre en \
     stor forskel for resten af deres liv.",
    "## Rekruttering af pædagoger",
    "SBU oplever, ligesom andre specialområder, at det er svært at rekruttere uddannede pædagoger, \
     og at mange nyuddannede søger væk fra døgnområdet på grund af skæve arbejdstider. LMU \
     foreslår, at planen indeholder konkrete initiativer som flere praktikpladser, en styrket \
     praktikvejlederindsats og introforløb for nyuddannede, så Socialområdet bliver et attraktivt \
     sted at starte sin karriere.",
    "## Overgangen til voksenlivet",
    "Overgangen fra barn til voksen er en kritisk periode for mange af SBU's unge. LMU ønsker, at \
     planen beskriver, hvordan specialområderne for børn og for voksne arbejder sammen om en \
     sammenhængende *18-årsovergang*, så den unge ikke mister kendte relationer og støtte den dag, \
     han eller hun fylder 18 år. Forberedelsen bør begynde i god tid, gerne fra det 16. år, og den \
     unge og familien bør være med i planlægningen. I dag oplever for mange unge, at indsatsen \
     ophører brat, og at de skal starte forfra med nye kontaktpersoner.",
    "*LMU SBU ser frem til at bidrage til det videre arbejde med planen og til at følge \
     udmøntningen i MED-systemet.*",
];

const SAU: &[&str] = &[
    "LMU SAU takker for muligheden for at afgive høringssvar til udkastet til Visions- og \
     Udviklingsplan for Socialområdet. LMU bakker op om planens vision, men vil fremhæve \
     betydningen af den specialiserede viden om autisme og af stabile rammer for både borgere og \
     medarbejdere.",
    "## Specialiseret viden om autisme",
    "Borgere med autisme har brug for medarbejdere med indgående viden om autisme, struktur og \
     forudsigelighed. LMU er bekymret for, at den **specialiserede viden** udvandes, hvis \
     tilbuddene i højere grad skal rumme borgere med vidt forskellige behov. Planen bør fastholde, \
     at SAU er et højt specialiseret tilbud, og at viden om autisme deles med kommunerne og de \
     øvrige specialområder, fx gennem rådgivning, undervisning og fælles faglige netværk. Viden om \
     autisme er en af Socialområdets styrker, og den skal fastholdes.",
    "## Belægning og økonomi",
    "Svingende belægning og kortvarige aftaler med kommunerne skaber usikkerhed for medarbejderne \
     og gør det svært at planlægge. Når pladser står tomme, presses økonomien, og når der er fuldt \
     belagt, presses arbejdsmiljøet. LMU ønsker, at planen tager højde for:",
    "- længerevarende samarbejdsaftaler med kommunerne, der giver en mere stabil belægning",
    "- fleksible pladser, så kapaciteten kan tilpasses uden afskedigelser",
    "- at medarbejderne orienteres tidligt, når ændringer i belægningen påvirker deres \
     arbejdsplads",
    "## Fysiske rammer",
    "Mange borgere med autisme er særligt sårbare over for sanseindtryk, og de fysiske rammer har \
     stor betydning for både trivsel og forebyggelse af konflikter. Flere af SAU's bygninger er \
     nedslidte og ikke indrettet til målgruppen, med lydt, fælles køkkener og for få skærmede \
     opholdsrum. LMU foreslår, at planen suppleres med en *langsigtet plan for bygninger og \
     fysiske rammer*, udarbejdet med inddragelse af medarbejdere og borgere, og at der afsættes \
     midler til ombygning af de mest nedslidte afdelinger i samarbejde med regionens \
     byggeafdeling. Gode fysiske rammer er også et spørgsmål om arbejdsmiljø, fordi færre \
     konflikter betyder færre arbejdsskader.",
    "## Samarbejdet med psykiatrien",
    "Mange af SAU's borgere har også en psykiatrisk diagnose. LMU ønsker et styrket samarbejde med \
     både børne- og ungdomspsykiatrien og voksenpsykiatrien, så borgerne får en koordineret \
     indsats og ikke falder mellem to stole, når de bliver indlagt eller udskrevet.",
    "*LMU SAU bidrager gerne til det videre arbejde og ser frem til at følge planens udmøntning i \
     MED-systemet.*",
];

const IKH: &[&str] = &[
    "LMU IKH takker for muligheden for at afgive høringssvar. LMU er glad for planens fokus på \
     borgerens selvbestemmelse og deltagelse og vil gerne understrege, at kommunikation er en \
     forudsætning for, at visionen kan blive til virkelighed.",
    "## Kommunikation er en rettighed",
    "Mange af IKH's borgere har ikke et talesprog og kommunikerer med tegn, billeder eller \
     kommunikationshjælpemidler. Hvis borgeren skal være i centrum, må planen forholde sig til, \
     hvordan alle borgere får mulighed for at udtrykke sig og blive forstået. Uden kommunikation \
     ingen selvbestemmelse, og mange konflikter kan forebygges, når borgeren bliver forstået. LMU \
     foreslår derfor, at planen nævner:",
    "- at **alternativ og supplerende kommunikation (ASK)** er en del af den faglige kerne i alle \
     relevante tilbud",
    "- at alle medarbejdere får grundlæggende ASK-kompetencer, og at der i hvert tilbud er \
     medarbejdere med specialiseret viden om kommunikation",
    "- at kommunikation indgår i den enkelte borgers handleplan, så alle omkring borgeren ved, \
     hvordan borgeren bedst forstås",
    "## Teknologi og kommunikationshjælpemidler",
    "Ny teknologi giver gode muligheder for kommunikation og selvhjælp, fx talemaskiner, \
     øjenstyring og apps med piktogrammer. LMU ønsker, at planens afsnit om digitalisering og \
     velfærdsteknologi også omfatter kommunikationshjælpemidler, og at der afsættes tid til at \
     lære medarbejderne at bruge dem i hverdagen. Det nytter ikke at anskaffe udstyr, som ingen \
     har tid til at bruge.",
    "## Tværfaglige kompetencer",
    "IKH er afhængig af tværfaglige kompetencer fra bl.a. talepædagoger, ergoterapeuter, \
     fysioterapeuter og pædagoger. Rekrutteringen af disse faggrupper er vanskelig, og LMU ønsker, \
     at planens indsats for rekruttering og fastholdelse også omfatter de terapeutiske faggrupper, \
     fx gennem flere studiepladser og faglige karriereveje. Det tværfaglige samarbejde er en \
     styrke, som planen med fordel kan fremhæve.",
    "## En plan, som borgerne kan læse",
    "Planen handler om borgernes liv, men den er skrevet til fagfolk og politikere. LMU foreslår, \
     at planen også udgives i en *let-læst udgave*, gerne suppleret med piktogrammer og en kort \
     video, så borgerne selv kan læse den og være med i drøftelsen af, hvad den betyder for dem. \
     IKH stiller gerne sin erfaring med tilgængelig formidling til rådighed, og i det hele taget \
     bør planen skrives i et enkelt og klart sprog.",
    "*LMU IKH bidrager gerne til det videre arbejde med planen.*",
];

const HOLMSTRUPGAARD: &[&str] = &[
    "LMU Holmstrupgård takker for muligheden for at afgive høringssvar til udkastet til Visions- \
     og Udviklingsplan for Socialområdet og bakker op om planens vision. LMU har læst planen med \
     særligt blik for samspillet mellem socialpædagogik og psykiatri i behandlingen af børn og \
     unge.",
    "## Samarbejdet med psykiatrien",
    "Holmstrupgårds behandling bygger på et tæt samarbejde mellem socialpædagogisk og psykiatrisk \
     faglighed. LMU foreslår, at planen beskriver samarbejdet med børne- og ungdomspsykiatrien og \
     voksenpsykiatrien som et strategisk indsatsområde, og at den kommende **samarbejdsaftale \
     mellem Socialområdet og Psykiatrien** også omfatter børn og unge. Det gælder ikke mindst ved \
     indlæggelser og udskrivelser, hvor behandlingen skal fortsætte uden afbrydelser.",
    "## Arbejdsmiljø i et højt specialiseret miljø",
    "Arbejdet med unge i behandling er meningsfuldt, men også psykisk belastende. Episoder med \
     vold og trusler forekommer, og medarbejderne står ofte i svære dilemmaer mellem hensynet til \
     den unge og hensynet til egen og kollegers sikkerhed. LMU ønsker, at planen understøtter et \
     godt psykisk arbejdsmiljø. Sygefraværet har været stigende, og mange medarbejdere efterlyser \
     mere tid til faglig refleksion. LMU foreslår:",
    "- fast supervision og faglig sparring for alle medarbejdergrupper",
    "- debriefing og opfølgning efter voldsomme hændelser",
    "- ledere, der er tæt på driften og har tid til at være til stede i hverdagen",
    "## Mindre magtanvendelse",
    "Planen nævner ikke magtanvendelse. LMU ønsker et fælles mål om at nedbringe brugen af tvang \
     og fysisk magtanvendelse over for børn og unge, fx gennem systematisk gennemgang af hver \
     episode, alternative pædagogiske metoder og træning i at nedtrappe konflikter, så de unge \
     oplever behandlingen som tryg og respektfuld.",
    "## Dokumentation og digitalisering",
    "Holmstrupgård ønsker, at planen prioriterer forskning og systematisk dokumentation af \
     behandlingens resultater, fx i samarbejde med universiteter og forskningsmiljøer. Det styrker \
     den faglige udvikling og gør det lettere at vise kommunerne, hvad de får for pengene.",
    "Holmstrupgård har som det første sted afprøvet det nye dokumentationssystem. Erfaringerne \
     viser, at grundig oplæring, lokale superbrugere og tid til at tilpasse arbejdsgangene er \
     afgørende, og at medarbejderne skal have mulighed for at give løbende tilbagemeldinger. LMU \
     foreslår, at *erfaringerne fra piloten* deles på tværs af Socialområdet, inden systemet \
     rulles ud i de øvrige specialområder. Piloten har også vist, at systemet skal tilpasses \
     arbejdsgangene i et døgntilbud, og ikke omvendt.",
    "*LMU Holmstrupgård ser frem til at bidrage til det videre arbejde med planen.*",
];

const DOK: &[&str] = &[
    "LMU DOK takker for muligheden for at afgive høringssvar. LMU bakker op om planens vision, men \
     finder, at målgruppen af kriminalitetstruede og dømte børn og unge kun er beskrevet i \
     begrænset omfang i udkastet.",
    "## Forebyggelse af kriminalitet",
    "DOK arbejder med unge, som er anbragt på sikrede og åbne døgninstitutioner, ofte i \
     varetægtssurrogat eller efter en dom. Mange af de unge har selv været udsat for omsorgssvigt \
     og vold. Planen bør beskrive, hvordan Socialområdet bidrager til at forebygge, at de unge \
     fortsætter en kriminel løbebane. Det kræver et tæt samarbejde med kommunerne, politiet, \
     Kriminalforsorgen og Ungdomskriminalitetsnævnet. LMU vil særligt fremhæve:",
    "- at de unge skal have **skolegang og uddannelse** under anbringelsen, så de har et reelt \
     alternativ til kriminalitet",
    "- at udslusning og efterværn planlægges sammen med kommunerne fra første dag, så de unge ikke \
     står alene, når anbringelsen slutter",
    "- et tæt samarbejde med psykiatrien om de mange unge på de sikrede institutioner, som har \
     psykiske vanskeligheder",
    "- at de unges familier og netværk inddrages i forløbet, så de kan støtte den unge efter \
     anbringelsen",
    "## Kultur og sprog",
    "Mange af de unge og deres familier har en anden etnisk baggrund end dansk. LMU ønsker, at \
     planen anerkender behovet for kulturforståelse og adgang til tolkebistand, så kommunikationen \
     med familierne bliver tydelig, og misforståelser ikke står i vejen for samarbejdet.",
    "## Sikkerhed og arbejdsmiljø",
    "Medarbejderne i DOK arbejder i et miljø, hvor vold og trusler forekommer hyppigt. LMU ønsker, \
     at planen fastholder et stærkt fokus på sikkerhed og forebyggelse af vold og trusler, \
     herunder sikkerhedskurser for alle medarbejdere og vikarer, klare retningslinjer for \
     politianmeldelse og en systematisk opfølgning på hver episode. Et trygt arbejdsmiljø er også \
     en forudsætning for det relationsarbejde, som er kernen i arbejdet med de unge.",
    "## Rekruttering",
    "Det er svært at rekruttere medarbejdere, som både har pædagogiske kompetencer og kan håndtere \
     de sikkerhedsmæssige krav, og mange nye medarbejdere forlader stillingen inden for det første \
     år. LMU foreslår, at Socialområdet udvikler en *fælles introduktionsuddannelse* for nye \
     medarbejdere på de sikrede institutioner, og at planen anerkender behovet for specialiserede \
     kompetencer.",
    "*LMU DOK ser frem til at bidrage til det videre arbejde med planen og stiller gerne sin viden \
     om målgruppen til rådighed.*",
];

const JOINT: &[&str] = &[
    "HMU Socialområdet takker for muligheden for at afgive høringssvar til udkastet til Visions- \
     og Udviklingsplan for Socialområdet. Udkastet er drøftet i alle LMU'er, og svaret bygger på \
     deres høringssvar, som vedlægges som bilag. HMU bakker op om planens vision og overordnede \
     retning, som giver et godt fælles afsæt for udviklingen, og om ambitionen om, at \
     Socialområdet skal være kendt for høj faglighed og specialiseret viden. LMU'ernes svar har \
     forskelligt fokus, fra recovery-orienteret rehabilitering, selvbestemmelse, deltagelse og \
     kommunikation til arbejdsmiljø, der bør have en mere fremtrædende plads, stabile rammer, \
     samspillet mellem socialpædagogik og psykiatri og målgrupper, der kun er beskrevet i \
     begrænset omfang. HMU vil særligt fremhæve følgende.",
    "## Recovery-orienteret rehabilitering og borgerens perspektiv",
    "HMU er enig i, at **recovery-orienteret rehabilitering** skal være et bærende princip med \
     borgerens egne mål, relationer og hverdagsliv som udgangspunkt: et meningsfuldt liv med \
     bolig, beskæftigelse og netværk, ikke kun behandling. Planen bør beskrive, hvordan visionen \
     omsættes til praksis i tilbuddene, med tid til samtalen med borgeren, faglig refleksion og \
     ledere, der går forrest. HMU anbefaler fælles kompetenceudvikling i recovery-orienteret \
     rehabilitering for alle faggrupper, også nyansatte og vikarer, og at peer-medarbejdere med \
     egne erfaringer med psykisk sårbarhed ses som en ressource.",
    "Selvbestemmelse forudsætter, at borgeren kan udtrykke sig og blive forstået, også når \
     borgeren ikke har et talesprog og kommunikerer med tegn, billeder eller \
     kommunikationshjælpemidler. At blive forstået forebygger desuden konflikter. HMU foreslår, at \
     *alternativ og supplerende kommunikation (ASK)* nævnes som en del af den faglige kerne, at \
     alle medarbejdere får grundlæggende ASK-kompetencer, og at kommunikation indgår i den enkelte \
     borgers handleplan.",
    "Pårørende, fx til borgere med en hjerneskade, der rammer hele familien, bør inddrages fast i \
     borgerens forløb gennem pårørendesamtaler og pårørenderåd, og medarbejderne skal klædes på \
     til samarbejdet.",
    "## Specialiseret viden",
    "Den specialiserede viden, fx den neurofaglige viden om hjerneskade og viden om autisme, \
     struktur og forudsigelighed, er en af Socialområdets største styrker og må ikke udvandes. Med \
     sundhedsreformen overtager regionen specialiseret rehabilitering og avanceret genoptræning \
     fra kommunerne. Planen bør tydeliggøre Socialområdets rolle som central leverandør af \
     specialiseret rehabilitering, planlagt i tæt dialog med kommunerne og medarbejderne, og \
     beskrive, hvordan viden fastholdes, udvikles og deles:",
    "- kompetenceudvikling, så viden ikke forsvinder, når erfarne medarbejdere går på pension",
    "- samarbejde med universiteter, uddannelsesinstitutioner og forskningsmiljøer om at udvikle \
     og dokumentere indsatserne og behandlingens resultater",
    "- rådgivning, undervisning og faglige netværk, så viden om autisme og hjerneskade deles med \
     kommunerne og kommer flere borgere til gode",
    "## Rekruttering og fastholdelse",
    "Rekrutteringen og fastholdelsen af medarbejdere er en udfordring for mange faggrupper: \
     pædagoger, sygeplejersker, social- og sundhedsassistenter og de terapeutiske faggrupper som \
     talepædagoger, ergoterapeuter og fysioterapeuter, hvis tværfaglige samarbejde er en styrke. \
     Der er brug for flere studiepladser og faglige karriereveje, og nyuddannede søger væk fra \
     døgnområdet og de skæve arbejdstider. HMU savner konkrete initiativer, så Socialområdet \
     bliver et attraktivt sted at starte sin karriere:",
    "- faste fuldtidsstillinger og et lavere vikarforbrug, så borgerne møder kendte medarbejdere, \
     som giver genkendelighed og forudsigelighed",
    "- flere praktikpladser, en styrket praktikvejlederindsats og gode introduktionsforløb, \
     herunder en fælles introduktionsuddannelse på de sikrede institutioner, hvor der stilles både \
     pædagogiske og sikkerhedsmæssige krav og er behov for specialiserede kompetencer",
    "- karriereveje, kompetenceudvikling og seniorordninger, der fastholder erfarne medarbejdere",
    "## Arbejdsmiljø og forebyggelse af vold og trusler",
    "Et godt og sikkert arbejdsmiljø er en forudsætning for høj faglig kvalitet og bør have en \
     mere fremtrædende plads i planen. Vold og trusler er en del af hverdagen i flere tilbud, og \
     medarbejderne står i svære dilemmaer mellem hensynet til borgeren og til egen og kollegers \
     sikkerhed. HMU foreslår et selvstændigt afsnit om **arbejdsmiljø og forebyggelse af vold og \
     trusler** med:",
    "- kurser i sikkerhed, forebyggelse og konflikthåndtering for alle nyansatte og vikarer, før \
     de arbejder alene",
    "- systematisk opfølgning på og læring af episoder og nærved-hændelser på tværs af tilbuddene \
     samt klare retningslinjer for politianmeldelse",
    "- debriefing, kollegial sparring og fast supervision, så den psykologiske tryghed styrkes \
     efter voldsomme hændelser",
    "- nærværende ledere, der er tæt på driften og har tid til at være til stede i hverdagen",
    "## Samarbejdet med psykiatrien og kommunerne",
    "HMU støtter det igangværende arbejde med en egentlig samarbejdsaftale mellem Socialområdet og \
     Psykiatrien som et strategisk indsatsområde, der omfatter både voksenpsykiatrien og børne- og \
     ungdomspsykiatrien. Aftalen bør sikre en fælles forståelse af recovery og en koordineret \
     indsats, så borgere med en psykiatrisk diagnose ikke falder mellem to stole ved indlæggelser \
     og udskrivelser: botilbuddet orienteres, viden om medicin går ikke tabt, og behandlingen \
     fortsætter uden afbrydelser. Borgere med dobbeltdiagnoser, dvs. psykisk lidelse og misbrug, \
     og unge med psykiske vanskeligheder på de sikrede institutioner har brug for et forpligtende \
     samarbejde med psykiatrien og kommunernes misbrugsbehandling, for hverken socialpsykiatrien \
     eller misbrugsbehandlingen kan løfte opgaven alene.",
    "Sammen med kommunerne og hospitalerne bør Socialområdet sikre sammenhængende forløb med \
     tidlig visitation og klare aftaler om ansvaret, fx for borgere med erhvervet hjerneskade.",
    "## Børn og unge",
    "Planen er skrevet med voksne borgere for øje. Børn og unges perspektiv bør stå tydeligere, \
     børn, unge og familier bør inddrages i udviklingen af tilbuddene, og samarbejdet med \
     kommunernes børne- og familieafdelinger, skoler og PPR bør styrkes: en tidlig og \
     helhedsorienteret indsats gør en stor forskel for resten af livet.",
    "For kriminalitetstruede og dømte unge, der er anbragt på sikrede og åbne døgninstitutioner, \
     bør planen beskrive, hvordan Socialområdet sammen med kommunerne, politiet, Kriminalforsorgen \
     og Ungdomskriminalitetsnævnet forebygger en kriminel løbebane. Skolegang og uddannelse under \
     anbringelsen er et reelt alternativ til kriminalitet, og udslusning og efterværn bør \
     planlægges med kommunerne fra første dag, med de unges familier og netværk inddraget.",
    "## Økonomi, belægning og digitalisering",
    "Socialområdets økonomi er takstfinansieret, og svingende belægning og kortvarige aftaler med \
     kommunerne giver usikkerhed og kan hurtigt give ubalance i budgettet: tomme pladser presser \
     økonomien, og når der er fuldt belagt, presses arbejdsmiljøet. HMU foreslår en økonomisk \
     bæredygtig drift med tæt dialog med kommunerne om deres behov og nye tilbud, længerevarende \
     samarbejdsaftaler og fleksible pladser, så kapaciteten kan tilpasses uden afskedigelser. \
     Medarbejderne bør orienteres tidligt, når ændringer i belægningen berører deres \
     arbejdsplads.",
    "Digitale løsninger og data skal styrke kvaliteten og frigøre tid til kerneopgaven, ikke give \
     mere dokumentation, og nye systemer bliver kun en succes, når medarbejderne inddrages i \
     valget og tilpasningen. HMU anbefaler et fælles fagsystem med ensartede data og \
     ledelsesinformation på tværs af specialområderne, informationssikkerhed fra begyndelsen, en \
     realistisk tidsplan med ressourcer til oplæring, superbrugere og support, og at gevinsterne \
     følges op og gøres synlige. Holmstrupgård har som det første sted afprøvet det nye \
     dokumentationssystem, og erfaringerne med grundig oplæring, lokale superbrugere og tid til at \
     tilpasse arbejdsgangene bør deles, før systemet rulles ud. Velfærdsteknologi og \
     kommunikationshjælpemidler som talemaskiner, øjenstyring og apps giver nye muligheder for \
     kommunikation og selvhjælp, og medarbejderne skal have tid til at lære at bruge ny teknologi \
     og udstyr i hverdagen.",
    "## MED-systemets rolle i implementeringen",
    "Planen er ambitiøs. HMU anbefaler, at den prioriteres og tilrettelægges i etaper med en \
     realistisk tidsplan, tid og ressourcer, så den ikke kommer oven i en i forvejen presset \
     hverdag. En god implementering forudsætter, at Socialstaben understøtter specialområderne med \
     bl.a. økonomi, HR, kvalitet og digitalisering. Medarbejderne skal inddrages tidligt, så \
     planens mål giver mening i hverdagen, LMU'erne bør have en tydelig rolle i at oversætte \
     planen til lokale mål og handleplaner, og arbejdsmiljøet skal følges tæt i MED-systemet, når \
     initiativerne sættes i gang. Få, målbare succeskriterier gør det muligt at følge fremdriften \
     i en årlig status til HMU og regionsrådet.",
    "*HMU Socialområdet ser frem til at bidrage til det videre arbejde med at omsætte planen til \
     handling, stiller gerne sin viden til rådighed og vil følge udmøntningen tæt i \
     MED-systemet.*",
    "På vegne af HMU-formandskabet\nBirgitte Holm, formand\nKarsten Dahl, næstformand",
];

const LETTER: &[&str] = &[
    "Socialdirektionen sender hermed udkast til Visions- og Udviklingsplan for Socialområdet i \
     høring i MED-systemet. Planen sætter retningen for Socialområdets udvikling i de kommende år \
     og samler vores fælles vision: *Sammen med borgeren skaber vi de bedste betingelser for et \
     selvstændigt og meningsfuldt liv.* Planen har seks indsatsområder: recovery-orienteret \
     rehabilitering og borgerens deltagelse, specialiseret viden, rekruttering og arbejdsmiljø, \
     samarbejde med kommuner og psykiatri, en bæredygtig økonomi samt digitalisering.",
    "## Formålet med høringen",
    "Vi ønsker at få ledernes og medarbejdernes perspektiv på planen, før den behandles politisk. \
     Vi vil gerne høre, om vision og indsatsområder er de rigtige, hvad der mangler, og hvad der \
     skal til, for at planen kan omsættes til praksis i de enkelte tilbud.",
    "## Proces og frister",
    "1. LMU'erne drøfter udkastet og afgiver hvert sit høringssvar **senest ved LMU'ernes \
     høringsfrist**.",
    "2. HMU-formandskabet udarbejder med afsæt i LMU'ernes svar et udkast til et fælles \
     høringssvar fra HMU.",
    "3. Udkastet drøftes på HMU-mødet, hvor der kan gives konkrete input og ændringsforslag.",
    "4. Bemærkningerne indarbejdes efter mødet, hvorefter HMU-formandskabet endeligt godkender \
     høringssvaret. LMU'ernes høringssvar vedlægges som bilag, og HMU modtager en kopi af det \
     endelige svar.",
    "Høringssvarene indgår i den samlede opsamling efter høringsperioden, og planen forventes \
     endeligt godkendt af regionsrådet ved årets udgang. Spørgsmål til høringen kan rettes til \
     sekretariatsfunktionen v. Mette Lund.",
    "Med venlig hilsen\nBirgitte Holm\nSocialdirektør",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provenance::{self, LmuResponse, Report};

    fn responses() -> Vec<LmuResponse> {
        crate::demo::LMUS
            .iter()
            .map(|(short, ..)| LmuResponse {
                committee: (*short).to_owned(),
                version: 1,
                blocks: lmu_response(short).expect("every LMU has a response"),
            })
            .collect()
    }

    fn report() -> Report {
        provenance::report(&joint_draft(), &responses())
    }

    fn words(blocks: &Blocks) -> usize {
        blocks
            .plain_text()
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    }

    fn count(blocks: &Blocks, f: impl Fn(&Block) -> bool) -> usize {
        blocks.blocks.iter().filter(|b| f(b)).count()
    }

    fn has_bold(blocks: &Blocks) -> bool {
        blocks
            .blocks
            .iter()
            .any(|b| b.inlines.iter().any(|i| i.marks.bold))
    }

    fn all_texts() -> Vec<(String, Blocks)> {
        let mut all: Vec<(String, Blocks)> = responses()
            .into_iter()
            .map(|r| (r.committee, r.blocks))
            .collect();
        all.push(("joint".into(), joint_draft()));
        all.push(("letter".into(), hearing_letter()));
        all
    }

    #[test]
    fn markup_makes_bold_and_italic_runs() {
        let b = block(BlockKind::Paragraph, "a **b** *c* d");
        let runs: Vec<(&str, bool, bool)> = b
            .inlines
            .iter()
            .map(|i| (i.text.as_str(), i.marks.bold, i.marks.italic))
            .collect();
        assert_eq!(
            runs,
            [
                ("a ", false, false),
                ("b", true, false),
                (" ", false, false),
                ("c", false, true),
                (" d", false, false)
            ]
        );
        for (name, blocks) in all_texts() {
            assert!(
                !blocks.plain_text().contains('*'),
                "{name}: unbalanced markup"
            );
            assert_eq!(blocks, blocks.normalized(), "{name}: not normal");
        }
    }

    #[test]
    fn every_lmu_has_a_response_of_the_expected_shape() {
        assert_eq!(lmu_response("HMU"), None);
        let report = report();
        for (short, ..) in crate::demo::LMUS {
            let r = lmu_response(short).expect("a response");
            assert_eq!(r.blocks[0].kind, BlockKind::Heading { level: 1 });
            assert_eq!(r.blocks[0].text(), format!("Høringssvar fra LMU {short}"));
            let sections = count(&r, |b| b.kind == BlockKind::Heading { level: 2 });
            assert!((2..=4).contains(&sections), "{short}: {sections} sections");
            let items = count(&r, |b| matches!(b.kind, BlockKind::ListItem { .. }));
            assert!(items >= 1, "{short}: no list");
            assert!(has_bold(&r), "{short}: nothing bold");
            let n = words(&r);
            assert!((350..=600).contains(&n), "{short}: {n} words");
            let last = r.blocks.last().expect("a closing line");
            assert!(last.inlines.iter().all(|i| i.marks.italic), "{short}");
            // The points between the introduction and the closing line.
            let coverage = report.committees.iter().find(|c| c.committee == short);
            let points = coverage.expect("in the report").points;
            assert!((4..=8).contains(&(points - 2)), "{short}: {points} points");
        }
    }

    #[test]
    fn the_joint_draft_draws_on_most_lmus_themes() {
        let joint = joint_draft();
        assert_eq!(joint.blocks[0].text(), "Høringssvar fra HMU Socialområdet");
        assert!(count(&joint, |b| b.kind == BlockKind::Heading { level: 2 }) >= 4);
        assert!(count(&joint, |b| matches!(b.kind, BlockKind::ListItem { .. })) >= 4);
        assert!(has_bold(&joint));
        let n = words(&joint);
        assert!((700..=1300).contains(&n), "{n} words");
        // One theme per LMU, in the words that LMU uses.
        let themes = [
            ("SVO", "recovery-orienteret rehabilitering"),
            ("SUA", "vold og trusler"),
            ("SOH", "hjerneskade"),
            ("Socialstaben", "fælles fagsystem"),
            ("SBU", "børn og unges perspektiv"),
            ("SAU", "autisme"),
            ("IKH", "supplerende kommunikation"),
            ("Holmstrupgård", "supervision"),
            ("DOK", "kriminel løbebane"),
        ];
        let joint_text = joint.plain_text().to_lowercase();
        let mut shared = 0;
        for (short, theme) in themes {
            let own = lmu_response(short).expect("a response").plain_text();
            assert!(own.to_lowercase().contains(theme), "{short} lacks {theme}");
            shared += usize::from(joint_text.contains(theme));
        }
        assert!(shared >= 6, "{shared} of 9 themes");
    }

    #[test]
    fn the_report_reflects_most_points_but_not_the_left_out_ones() {
        let report = report();
        for (short, start) in LEFT_OUT {
            let coverage = report.committees.iter().find(|c| c.committee == *short);
            let coverage = coverage.expect("in the report");
            let point = coverage.items.iter().find(|p| p.text.starts_with(start));
            let point = point.unwrap_or_else(|| panic!("{short}: no point {start:?}"));
            assert!(!point.reflected, "{short}: {start:?} is reflected");
        }
        let with_gaps = report
            .committees
            .iter()
            .filter(|c| c.reflected < c.points)
            .count();
        assert!(with_gaps >= 3);
        for c in &report.committees {
            assert!(3 * c.reflected >= 2 * c.points, "{}", c.text);
        }
    }

    #[test]
    fn the_hearing_letter_describes_the_process() {
        let letter = hearing_letter();
        assert!(letter.blocks[0].text().starts_with("Høringsbrev"));
        let steps = count(&letter, |b| {
            b.kind
                == BlockKind::ListItem {
                    ordered: true,
                    depth: 0,
                }
        });
        assert!(steps >= 3);
        let text = letter.plain_text();
        for needle in [
            "LMU",
            "høringsfrist",
            "HMU-formandskabet",
            "HMU-mødet",
            "bilag",
        ] {
            assert!(text.contains(needle), "letter lacks {needle}");
        }
        let n = words(&letter);
        assert!((150..=350).contains(&n), "{n} words");
    }

    #[test]
    fn the_texts_are_danish() {
        for (name, blocks) in all_texts() {
            let text = blocks.plain_text();
            for c in ['æ', 'ø', 'å'] {
                assert!(text.contains(c), "{name} lacks {c}");
            }
        }
    }
}
