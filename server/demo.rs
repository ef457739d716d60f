//! Demo data for a first look (`samskriv serve --demo`): HMU Socialområdet with its nine LMUs,
//! a secretariat user, the HMU chairs, a few members per LMU (fictional names), and three
//! hearings at three stages of the round:
//!
//! - "Visions- og Udviklingsplan for Socialområdet", the seeds' hearing: every LMU has
//!   submitted its response (shared/seeds/003, item 2) and the chairs consolidate them;
//! - "Input til ny psykiatriplan for Region Midtjylland": open, SBU's response under way;
//! - "Arbejdsmiljøindsatsen 2026-2030": a draft the secretariat may send out;
//!
//! and the HMU meeting of 25 September 2023 as an agenda, for filing the joint response.
//! Never touches a database that already has committees.

use yrs::Transact;

use crate::domain::policy::{CommitteeId, Principal, Role};
use crate::ids::DocumentId;
use crate::store::hearings::NewHearing;
use crate::store::people::CommitteeKind;
use crate::store::{NewUpdate, now_millis};
use crate::workflow::Round;

/// Every demo user's password.
pub const PASSWORD: &str = "demo1234";
pub const DOMAIN: &str = "demo.samskriv.dk";

/// (short name, full name, e-mail prefix, [chair, member 1, member 2])
pub const LMUS: [(&str, &str, &str, [&str; 3]); 9] = [
    (
        "SVO",
        "Specialområde Socialpsykiatri Voksne",
        "svo",
        ["Lone Kjær", "Peter Bach", "Sanne Friis"],
    ),
    (
        "SUA",
        "Specialområde Udviklingshæmning og ADHD",
        "sua",
        ["Henrik Lauritsen", "Maja Storm", "Ole Vestergaard"],
    ),
    (
        "SOH",
        "Specialområde Hjerneskade",
        "soh",
        ["Tina Bak", "Rasmus Højgaard", "Inge Mølgaard"],
    ),
    (
        "Socialstaben",
        "Socialstaben",
        "socialstaben",
        ["Anders Krogh", "Camilla Vinther", "Jonas Brix"],
    ),
    (
        "SBU",
        "Specialområde Børn og Unge",
        "sbu",
        ["Anne Jensen", "Søren Dalgaard", "Pia Thygesen"],
    ),
    (
        "SAU",
        "Specialområde Autisme",
        "sau",
        ["Mads Overgaard", "Helle Skov", "Kasper Lund"],
    ),
    (
        "IKH",
        "Specialområde Kommunikation og Handicap",
        "ikh",
        ["Bente Iversen", "Morten Ravn", "Julie Kragh"],
    ),
    (
        "Holmstrupgård",
        "Holmstrupgård",
        "holmstrupgaard",
        ["Niels Bjerre", "Lise Holst", "Emil Fogh"],
    ),
    (
        "DOK",
        "Specialområde Kriminalitetstruede og Dømte Børn og Unge",
        "dok",
        ["Gitte Damgaard", "Thomas Bruun", "Rikke Lykke"],
    ),
];

pub const HEARING_TITLE: &str = "Visions- og Udviklingsplan for Socialområdet";
/// The hearing the LMUs are still writing to.
pub const OPEN_HEARING_TITLE: &str = "Input til ny psykiatriplan for Region Midtjylland";
/// The hearing the secretariat has prepared but not sent out.
pub const DRAFT_HEARING_TITLE: &str = "Arbejdsmiljøindsatsen 2026-2030";

/// What the demo made, to print.
pub struct Demo {
    /// The seed hearing: every LMU has answered; the chairs consolidate.
    pub hearing: i64,
    pub open_hearing: i64,
    pub draft_hearing: i64,
    pub meeting: i64,
    pub created: bool,
}

/// Seeds the demo unless the database already has it.
pub async fn seed(round: &Round) -> anyhow::Result<Demo> {
    let store = &round.store;
    let hearings = store.hearings().await?;
    let find = |title: &str| hearings.iter().find(|h| h.title == title).map(|h| h.id);
    if let (Some(hearing), Some(open_hearing), Some(draft_hearing)) = (
        find(HEARING_TITLE),
        find(OPEN_HEARING_TITLE),
        find(DRAFT_HEARING_TITLE),
    ) {
        let meeting = store.meetings().await?.first().map(|m| m.id).unwrap_or(0);
        return Ok(Demo {
            hearing,
            open_hearing,
            draft_hearing,
            meeting,
            created: false,
        });
    }
    if !store.committees().await?.is_empty() {
        anyhow::bail!(
            "the database already has committees; the demo is only seeded into an empty one"
        );
    }
    // One hash for all: argon2 is slow on purpose, and these are demo logins.
    let hash = tokio::task::spawn_blocking(|| crate::auth::password::hash(PASSWORD))
        .await?
        .map_err(anyhow::Error::msg)?;
    let user = |name: &'static str, email: String, secretariat: bool| {
        let hash = hash.clone();
        async move {
            store
                .create_user(name, &email, &hash, secretariat)
                .await?
                .ok_or_else(|| anyhow::anyhow!("{email} exists"))
        }
    };
    let hmu = store
        .create_committee(CommitteeKind::Main, "HMU Socialområdet", "HMU", None)
        .await?;
    let secretariat = user("Mette Lund", format!("sekretariat@{DOMAIN}"), true).await?;
    let formand = user("Birgitte Holm", format!("formand@{DOMAIN}"), false).await?;
    let naestformand = user("Karsten Dahl", format!("naestformand@{DOMAIN}"), false).await?;
    store.set_membership(formand, hmu, Role::Chair).await?;
    store.set_membership(naestformand, hmu, Role::Chair).await?;
    // (committee, short name, chair, chair's name)
    let mut lmus: Vec<(CommitteeId, &str, i64, &str)> = Vec::new();
    for (short, name, prefix, people) in LMUS {
        let lmu = store
            .create_committee(CommitteeKind::Local, name, short, Some(hmu))
            .await?;
        let chair = user(people[0], format!("{prefix}.formand@{DOMAIN}"), false).await?;
        store.set_membership(chair, lmu, Role::Chair).await?;
        // The LMU chairs sit in the HMU.
        store.set_membership(chair, hmu, Role::Member).await?;
        for (i, person) in people[1..].iter().enumerate() {
            let member = user(person, format!("{prefix}.medlem{}@{DOMAIN}", i + 1), false).await?;
            store.set_membership(member, lmu, Role::Member).await?;
        }
        lmus.push((lmu, short, chair, people[0]));
    }
    let sekretariat = Principal {
        user: secretariat,
        name: "Mette Lund".into(),
        secretariat: true,
        memberships: Vec::new(),
    };
    let day = 24 * 3600 * 1000;
    // Noon (Danish winter time) of today.
    let noon = (now_millis() / day) * day + 11 * 3600 * 1000;
    let invited: Vec<CommitteeId> = lmus.iter().map(|l| l.0).collect();
    let letter = crate::demo_texts::hearing_letter();

    // 1. The seed hearing: every LMU has answered and the chairs consolidate.
    let hearing = create(
        round,
        &sekretariat,
        NewHearing {
            committee_id: hmu,
            title: HEARING_TITLE.into(),
            issuing_body: "Socialdirektionen, Socialområdet".into(),
            description:
                "Udkast til Visions- og Udviklingsplan for Socialområdet sendes i høring i \
                LMU'erne. Hvert LMU skriver sit høringssvar her. HMU-formandskabet udarbejder \
                derefter med afsæt i LMU'ernes svar et fælles høringssvar fra HMU, som drøftes på \
                HMU-mødet; de enkelte LMU-svar vedlægges som bilag."
                    .into(),
            lmu_deadline: noon + day,
            hmu_deadline: noon + 14 * day,
            invited: invited.clone(),
            approval_quorum: None,
        },
        Some(&letter),
    )
    .await?;
    for (lmu, short, chair, chair_name) in &lmus {
        let content = crate::demo_texts::lmu_response(short)
            .ok_or_else(|| anyhow::anyhow!("no demo text for {short}"))?;
        let response = write(round, hearing, *lmu, &content, chair_name).await?;
        let chair = store
            .principal(*chair)
            .await?
            .ok_or_else(|| anyhow::anyhow!("chair of {short} vanished"))?;
        round.submit_response(&chair, &response).await?;
    }

    // 2. An open hearing: SBU is writing, the others have not begun.
    let open_hearing = create(
        round,
        &sekretariat,
        NewHearing {
            committee_id: hmu,
            title: OPEN_HEARING_TITLE.into(),
            issuing_body: "Psykiatrien, Region Midtjylland".into(),
            description: "Psykiatrien har sendt en ny psykiatriplan i høring. Socialområdet er \
                høringspart, og socialledelsen ønsker LMU'ernes input og bemærkninger, som kan \
                indgå i høringssvaret fra Socialområdet."
                .into(),
            lmu_deadline: noon + 14 * day,
            hmu_deadline: noon + 28 * day,
            invited: invited.clone(),
            approval_quorum: None,
        },
        None,
    )
    .await?;
    let sbu = lmus
        .iter()
        .find(|l| l.1 == "SBU")
        .map(|l| l.0)
        .ok_or_else(|| anyhow::anyhow!("no SBU"))?;
    write(round, open_hearing, sbu, &sbu_draft(), "Anne Jensen").await?;

    // 3. A hearing the secretariat has prepared and may send out.
    let draft_id = round
        .create_hearing(
            &sekretariat,
            NewHearing {
                committee_id: hmu,
                title: DRAFT_HEARING_TITLE.into(),
                issuing_body: "Koncern HR, Region Midtjylland".into(),
                description: "Orientering om og høring over arbejdsmiljøindsatsen i Region \
                    Midtjylland i 2026 og frem til 2030."
                    .into(),
                lmu_deadline: noon + 21 * day,
                hmu_deadline: noon + 35 * day,
                invited,
                approval_quorum: None,
            },
        )
        .await?;

    // The HMU meeting the seed hearing's response is discussed at and filed with.
    let meeting = seed_meeting(round, hmu, secretariat).await?;
    Ok(Demo {
        hearing,
        open_hearing,
        draft_hearing: draft_id,
        meeting,
        created: true,
    })
}

/// Creates and opens a hearing, with its letter as material.
async fn create(
    round: &Round,
    by: &Principal,
    new: NewHearing,
    letter: Option<&crate::model::Blocks>,
) -> anyhow::Result<i64> {
    let title = new.title.clone();
    let id = round.create_hearing(by, new).await?;
    if let Some(letter) = letter {
        let pdf = crate::export::pdf::document(
            letter,
            &crate::export::DocumentInfo {
                title: format!("Høringsbrev: {title}"),
                committee: Some("Socialdirektionen".into()),
                ..Default::default()
            },
        )
        .map_err(|e| anyhow::anyhow!("the letter's PDF: {e}"))?;
        let sha = crate::export::html::sha256_hex(&pdf);
        round
            .store
            .add_file(
                id,
                "Høringsbrev.pdf",
                "application/pdf",
                &sha,
                &pdf,
                by.user,
            )
            .await?;
    }
    let row = round
        .store
        .hearing(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("hearing {id} vanished"))?;
    round.open_hearing(by, &row).await?;
    Ok(id)
}

/// Writes `content` into an LMU's response document as `author`; returns the response.
async fn write(
    round: &Round,
    hearing: i64,
    lmu: CommitteeId,
    content: &crate::model::Blocks,
    author: &str,
) -> anyhow::Result<crate::store::hearings::ResponseRow> {
    let document = crate::workflow::hearings::response_document(hearing, lmu);
    let id = DocumentId::parse(&document).expect("valid id");
    let update = {
        let doc = yrs::Doc::new();
        let mut txn = doc.transact_mut();
        crate::model::write::insert_blocks(&mut txn, 0, content)
            .map_err(|e| anyhow::anyhow!("demo text: {e}"))?;
        txn.encode_update_v1()
    };
    round
        .store
        .append_updates(&[NewUpdate {
            document: id,
            data: update.into(),
            user: author.into(),
        }])
        .await?;
    round
        .store
        .response_by_document(&document)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no response {document}"))
}

/// The meeting of 25 September 2023 (the seeds), as an agenda: its items, the minutes to be
/// written.
async fn seed_meeting(round: &Round, hmu: CommitteeId, by: i64) -> anyhow::Result<i64> {
    use crate::export::minutes::Kind;
    use crate::store::meetings::{ItemFields, MeetingFields};
    let (_, items) = crate::export::sample::minutes_2023_09_25(Kind::Agenda);
    let meeting = round
        .store
        .create_meeting(
            hmu,
            &MeetingFields {
                date: "2023-09-25".into(),
                start_time: Some("14:00".into()),
                end_time: Some("15:00".into()),
                place: "Virtuelt møde, alle ringer til".into(),
                initials: "/MELAR1".into(),
            },
            by,
        )
        .await?;
    for item in items {
        let text = |blocks: &crate::model::Blocks| {
            blocks
                .blocks
                .iter()
                .map(|b| match b.kind {
                    crate::model::BlockKind::ListItem { .. } => format!("- {}", b.text()),
                    _ => b.text(),
                })
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        round
            .store
            .add_item(
                meeting,
                &ItemFields {
                    title: item.title.clone(),
                    time_start: item.time.map(|t| t.start.format(':')),
                    time_end: item.time.map(|t| t.end.format(':')),
                    case_number: item.case_number.clone().unwrap_or_default(),
                    recommendation: item.recommendation.clone(),
                    presentation: text(&item.presentation),
                    decision: String::new(),
                },
                by,
            )
            .await?;
    }
    Ok(meeting)
}

/// The lines `serve --demo` prints: how to log in.
pub fn logins() -> Vec<String> {
    let mut out = vec![
        format!("  sekretariat@{DOMAIN}      Mette Lund (sekretariatet)"),
        format!("  formand@{DOMAIN}          Birgitte Holm (HMU-formand)"),
        format!("  naestformand@{DOMAIN}     Karsten Dahl (HMU-næstformand)"),
    ];
    for (short, _, prefix, people) in LMUS {
        out.push(format!(
            "  {prefix}.formand@{DOMAIN}, {prefix}.medlem1@…, {prefix}.medlem2@…   LMU {short}: {}, {}, {}",
            people[0], people[1], people[2]
        ));
    }
    out
}

/// SBU's draft for the open hearing: under way, not submitted.
fn sbu_draft() -> crate::model::Blocks {
    use crate::model::{Block, BlockKind, Blocks, Marks};
    let item = |text: &str| {
        Block::plain(
            BlockKind::ListItem {
                ordered: false,
                depth: 0,
            },
            text,
        )
    };
    let mut first = Block {
        kind: BlockKind::ListItem {
            ordered: false,
            depth: 0,
        },
        inlines: Vec::new(),
    };
    first.push("at ", &Marks::default());
    first.push(
        "samarbejdet mellem psykiatrien og socialområdet",
        &Marks {
            bold: true,
            ..Marks::default()
        },
    );
    first.push(" nævnes i planen", &Marks::default());
    Blocks {
        blocks: vec![
            Block::plain(BlockKind::Heading { level: 1 }, "Input fra LMU SBU"),
            Block::plain(
                BlockKind::Paragraph,
                "Vedr. udkast til ny psykiatriplan for Region Midtjylland.",
            ),
            Block::plain(
                BlockKind::Paragraph,
                "LMU SBU bakker op om planens retning og vil særligt fremhæve:",
            ),
            first,
            item(
                "at de unges overgang fra børne- og ungdomspsykiatrien til voksenpsykiatrien sikres",
            ),
        ],
    }
}
