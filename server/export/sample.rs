//! Sample input from the seeds, for demos, examples and tests: the minutes of HMU
//! Socialområdet's meeting of 25 September 2023 (shared/seeds/003_…txt, shortened where the
//! text is long) and a joint hearing response in the shape the editor writes.

use super::DocumentInfo;
use super::minutes::{AgendaItem, Attachment, Date, Kind, Meeting, Time, TimeSlot, paragraphs};
use crate::model::{Block, BlockKind, Blocks, Inline, Marks};

fn slot(h1: u8, m1: u8, h2: u8, m2: u8) -> Option<TimeSlot> {
    Some(TimeSlot {
        start: Time {
            hour: h1,
            minute: m1,
        },
        end: Time {
            hour: h2,
            minute: m2,
        },
    })
}

fn attachment(title: &str) -> Attachment {
    Attachment {
        title: title.to_string(),
        href: None,
        children: Vec::new(),
    }
}

/// The nine LMUs of the seeds, by their short names.
pub const LMUS: [&str; 9] = [
    "SVO",
    "SUA",
    "SOH",
    "Socialstaben",
    "SBU",
    "SAU",
    "IKH",
    "Holmstrupgård",
    "DOK",
];

/// The minutes of 25 September 2023 (or, with [`Kind::Agenda`], its agenda).
pub fn minutes_2023_09_25(kind: Kind) -> (Meeting, Vec<AgendaItem>) {
    let meeting = Meeting {
        committee: "HMU Socialområdet".into(),
        committee_short: Some("HMU".into()),
        kind,
        date: Date {
            year: 2023,
            month: 9,
            day: 25,
        },
        start: Some(Time {
            hour: 14,
            minute: 0,
        }),
        end: Some(Time {
            hour: 15,
            minute: 0,
        }),
        place: "Virtuelt møde, alle ringer til meet.abw@rooms.rm.dk".into(),
        document_date: Some(Date {
            year: 2023,
            month: 10,
            day: 11,
        }),
        initials: Some("/MELAR1".into()),
    };
    let mut joint = attachment("Udkast - Høringssvar HMU for Socialområdet i Region Midtjylland");
    joint.children = LMUS
        .iter()
        .map(|l| attachment(&format!("LMU Høringssvar fra {l}")))
        .collect();
    let mut decision_1 = paragraphs(&[
        "Socialdirektør og formand for HMU, Ann-Britt Wetche, bød velkommen og gennemgik kort dagens HMU-program.",
        "Der var afbud fra:",
    ]);
    for name in ["René Lodal", "Lotte Koldtoft"] {
        decision_1.blocks.push(Block {
            kind: BlockKind::ListItem {
                ordered: false,
                depth: 0,
            },
            inlines: vec![Inline {
                text: name.into(),
                marks: Marks::default(),
            }],
        });
    }
    let mut presentation_2 = paragraphs(&[
        "Udkast til Visions- og udviklingsplan fra Socialområdet har den seneste tid været i høring i LMU'erne. Der er modtaget svar fra alle LMU'er i Socialområdet i forbindelse med høringen, jf. vedlagte bilag.",
        "HMU formandskabet har med afsæt i LMU'ernes høringssvar udarbejdet vedlagte udkast til et høringssvar fra HMU. De enkelte LMU høringssvar vedlægges HMUs høringssvar som bilag.",
        "På mødet ønskes en drøftelse af eventuelle konkrete input og ændringsforslag til det foreliggende udkast til høringssvar. Eventuelle bemærkninger indarbejdes i forlængelse af mødet, hvorefter HMU formandskabet endeligt godkender høringssvaret. HMU modtager efterfølgende en kopi af det endelige høringssvar.",
    ]);
    presentation_2.blocks.push(Block {
        kind: BlockKind::Heading { level: 1 },
        inlines: vec![Inline {
            text: "Videre proces".into(),
            marks: Marks::default(),
        }],
    });
    presentation_2.blocks.extend(paragraphs(&[
        "Høringssvaret fra HMU tages med i den opsamling, der laves efter endt høringsperiode.",
        "Der er planlagt politisk behandling af de indkomne inputs fra høringsprocessen og en endelig politisk godkendelse af Visions- og Udviklingsplan for Socialområdet i Region Midtjylland på regionsrådsmødet den 20. december 2023.",
    ]).blocks);
    let items = vec![
        AgendaItem {
            number: 1,
            title: "Velkomst og kort præsentation af programmet".into(),
            time: slot(14, 0, 14, 5),
            case_number: Some("1-13-3-105-22".into()),
            recommendation: vec![],
            presentation: paragraphs(&[
                "HMU formandskabet v. socialdirektør Ann-Britt Wetche byder velkommen og gennemgår kort dagens program for det ekstraordinære virtuelle HMU-møde.",
                "Tidspunkterne angivet på punkterne er vejledende.",
            ]),
            decision: decision_1,
            attachments: vec![],
        },
        AgendaItem {
            number: 2,
            title: "Drøftelse af HMU formandskabets udkast til høringssvar til Visions- og Udviklingsplanen".into(),
            time: slot(14, 5, 14, 30),
            case_number: Some("1-30-73-60-23".into()),
            recommendation: vec!["drøfter HMU-formandskabets udkast til høringssvar til Visions- og Udviklingsplan for Socialområdet".into()],
            presentation: presentation_2,
            decision: paragraphs(&[
                "Der var bred opbakning til det vedlagte forslag til et høringssvar fra HMU vedr. visions- og udviklingsplanen. Det betragtes samtidig som en stor styrke, at høringssvarene fra LMU'erne varierer og har et forskelligt fokus, da det samlet set har bidraget til et konstruktivt og dækkende høringssvar.",
            ]),
            attachments: vec![joint],
        },
        AgendaItem {
            number: 3,
            title: "Orientering om arbejdet med ny ledelsesramme i Socialområdet. Ledelsestitler og stillingsbeskrivelser for ledere".into(),
            time: slot(14, 30, 14, 45),
            case_number: Some("1-13-5-156-21".into()),
            recommendation: vec!["orienteres om arbejdet med ledelsestitler for ledere på Socialområdet".into()],
            presentation: paragraphs(&[
                "For Socialområdet er rammen om organisation og ledelse forskellig pga. specialområders forskellige størrelser, antal matrikler og afdelinger. Ligeledes vil der blive igangsat et arbejde i efteråret 2023 med at udarbejde overordnede stillingsbeskrivelser for ledere på Socialområdet.",
            ]),
            decision: paragraphs(&[
                "Vicedirektør Carsten Wulff Hansen indledte med en gennemgang af arbejdet med de nye ledelsestitler på Socialområdet.",
            ]),
            attachments: vec![attachment("Ledelsestitler pr. 1-4 2024")],
        },
        AgendaItem {
            number: 4,
            title: "Drøftelse af input til ny psykiatriplan for Region Midtjylland".into(),
            time: slot(14, 45, 14, 50),
            case_number: Some("1-15-1-73-6-20".into()),
            recommendation: vec!["giver input til psykiatriplan for Region Midtjylland".into()],
            presentation: paragraphs(&[
                "I lighed med Socialområdet har Psykiatrien det seneste stykke tid arbejdet på en ny plan, der sætter rammen for udviklingen af psykiatrien i de kommende år.",
            ]),
            decision: paragraphs(&[
                "HMU drøftede forslaget til en ny psykiatriplan for Region Midtjylland.",
            ]),
            attachments: vec![
                attachment("Høringsbrev - ny psykiatriplan for Region Midtjylland"),
                attachment("Psykiatriplan Høringsudkast"),
            ],
        },
        AgendaItem {
            number: 5,
            title: "Skriftlig orientering om beslutning om 1 dags kursus og merit for VRM vikarer".into(),
            time: slot(14, 50, 14, 53),
            case_number: Some("1-13-3-65-23".into()),
            recommendation: vec!["orienteres om Strategisk Chefforums beslutning d. 28/8-2023 omkring 1 dags kursus og merit for vikarer fra Vikar Region Midt (VRM)".into()],
            presentation: paragraphs(&[
                "Koncernledelsen har besluttet, at der pr. 1. oktober 2023 udelukkende må rekvireres vikarer igennem Vikar Region Midt (VRM).",
            ]),
            decision: paragraphs(&[
                "Vicedirektør Carsten Wulff Hansen orienterede om regionens beslutning vedr. brug af interne vikarer gennem VRM, der træder i kraft d. 1. oktober.",
            ]),
            attachments: vec![attachment("Bilag 1")],
        },
        AgendaItem {
            number: 6,
            title: "Skriftlig orientering: Formandskabsskabets høringssvar til Budget 2024".into(),
            time: slot(14, 53, 14, 55),
            case_number: Some("1-13-3-105-22".into()),
            recommendation: vec!["tager HMU formandskabets høringssvar til budget 2024 til efterretning".into()],
            presentation: paragraphs(&[
                "Til orientering er HMU formandskabets høringssvar til budget 2024 vedlagt.",
                "Den formelle udmøntning af budgetaftalen sker på regionsrådsmødet 20. december 2023.",
            ]),
            decision: paragraphs(&[
                "Socialdirektør Ann-Britt Wetche og Tine Beck Jensen fortalte kort om udarbejdelsen af et høringssvar, der foregik under tidspres.",
            ]),
            attachments: vec![
                attachment("Høringssvar HMU Socialområdet_Budget 2024"),
                attachment("aftale-om-budget-2024-for-region-midtjylland"),
            ],
        },
        AgendaItem {
            number: 7,
            title: "Eventuelt".into(),
            time: slot(14, 55, 15, 0),
            case_number: Some("1-13-3-105-22".into()),
            recommendation: vec!["drøfter om der er noget til eventuelt".into()],
            presentation: Blocks::default(),
            decision: paragraphs(&["Intet blev ført til eventuelt."]),
            attachments: vec![],
        },
    ];
    (meeting, items)
}

fn run(text: &str, bold: bool, italic: bool) -> Inline {
    Inline {
        text: text.to_string(),
        marks: Marks {
            bold,
            italic,
            provenance: None,
        },
    }
}

fn block(kind: BlockKind, inlines: Vec<Inline>) -> Block {
    Block { kind, inlines }
}

/// A joint hearing response with every kind of block and mark, and its header.
pub fn joint_response() -> (Blocks, DocumentInfo) {
    use BlockKind::*;
    let doc = Blocks {
        blocks: vec![
            block(
                Heading { level: 1 },
                vec![run("Høringssvar fra HMU Socialområdet", false, false)],
            ),
            block(
                Paragraph,
                vec![
                    run(
                        "HMU for Socialområdet takker for muligheden for at afgive ",
                        false,
                        false,
                    ),
                    run("høringssvar", true, false),
                    run(
                        " til udkastet til Visions- og Udviklingsplan. Svaret bygger på ",
                        false,
                        false,
                    ),
                    run("alle ni LMU'ers", false, true),
                    run(" høringssvar, som er vedlagt som bilag.", false, false),
                ],
            ),
            block(
                Heading { level: 2 },
                vec![run("Generelle bemærkninger", false, false)],
            ),
            block(
                Paragraph,
                vec![run(
                    "HMU bakker op om planens retning og ønsker særligt at fremhæve følgende:",
                    false,
                    false,
                )],
            ),
            block(
                ListItem {
                    ordered: false,
                    depth: 0,
                },
                vec![run(
                    "Recovery-orienteret rehabilitering som fælles grundlag",
                    false,
                    false,
                )],
            ),
            block(
                ListItem {
                    ordered: false,
                    depth: 1,
                },
                vec![run("også i samarbejdet med Psykiatrien", false, false)],
            ),
            block(
                ListItem {
                    ordered: false,
                    depth: 0,
                },
                vec![
                    run("Rekruttering og fastholdelse af ", false, false),
                    run("medarbejdere", true, true),
                ],
            ),
            block(
                Heading { level: 2 },
                vec![run("Konkrete ændringsforslag", false, false)],
            ),
            block(
                ListItem {
                    ordered: true,
                    depth: 0,
                },
                vec![run("Afsnit 3 om økonomi præciseres.", false, false)],
            ),
            block(
                ListItem {
                    ordered: true,
                    depth: 0,
                },
                vec![run("Målene for trivsel gøres målbare:", false, false)],
            ),
            block(
                ListItem {
                    ordered: true,
                    depth: 1,
                },
                vec![run("sygefravær", false, false)],
            ),
            block(
                ListItem {
                    ordered: true,
                    depth: 1,
                },
                vec![run("personaleomsætning", false, false)],
            ),
            block(
                ListItem {
                    ordered: true,
                    depth: 0,
                },
                vec![run(
                    "Bilag om Holmstrupgård og Skovvangen opdateres.",
                    false,
                    false,
                )],
            ),
            block(
                Quote,
                vec![run(
                    "Det er en styrke, at høringssvarene fra LMU'erne varierer og har et forskelligt fokus.",
                    false,
                    false,
                )],
            ),
            block(
                Paragraph,
                vec![run(
                    "Med venlig hilsen\nHMU-formandskabet for Socialområdet",
                    false,
                    false,
                )],
            ),
        ],
    };
    let info = DocumentInfo {
        title: "Høringssvar til Visions- og Udviklingsplan for Socialområdet".into(),
        committee: Some("HMU Socialområdet".into()),
        version: Some("Endelig version".into()),
        approved_by: vec!["Ann-Britt Wetche".into(), "Tine Beck Jensen".into()],
        approved_at: Some("2. oktober 2023 kl. 10:15".into()),
        sha256: Some(super::html::sha256_hex(
            super::html::canonical(&doc).as_bytes(),
        )),
    };
    (doc, info)
}
