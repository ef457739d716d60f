//! Demo data for a first look (`samskriv serve --demo`): HMU Socialområdet with its nine LMUs,
//! a secretariat user, the HMU chairs, a few members per LMU (fictional names), and an open
//! hearing on "Visions- og Udviklingsplan for Socialområdet" whose SBU response is under way.
//! Never touches a database that already has committees.

use std::collections::HashMap;

use yrs::{Any, Text, Transact, Xml, XmlElementPrelim, XmlFragment, XmlTextPrelim};

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

/// What the demo made, to print.
pub struct Demo {
    pub hearing: i64,
    pub created: bool,
}

/// Seeds the demo unless the database already has committees.
pub async fn seed(round: &Round) -> anyhow::Result<Demo> {
    let store = &round.store;
    if let Some(existing) = store
        .hearings()
        .await?
        .iter()
        .find(|h| h.title == HEARING_TITLE)
    {
        return Ok(Demo {
            hearing: existing.id,
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
    let mut lmus: Vec<CommitteeId> = Vec::new();
    let mut sbu = 0;
    for (short, name, prefix, people) in LMUS {
        let lmu = store
            .create_committee(CommitteeKind::Local, name, short, Some(hmu))
            .await?;
        lmus.push(lmu);
        if short == "SBU" {
            sbu = lmu;
        }
        let chair = user(people[0], format!("{prefix}.formand@{DOMAIN}"), false).await?;
        store.set_membership(chair, lmu, Role::Chair).await?;
        // The LMU chairs sit in the HMU.
        store.set_membership(chair, hmu, Role::Member).await?;
        for (i, person) in people[1..].iter().enumerate() {
            let member = user(person, format!("{prefix}.medlem{}@{DOMAIN}", i + 1), false).await?;
            store.set_membership(member, lmu, Role::Member).await?;
        }
    }
    let day = 24 * 3600 * 1000;
    // Noon, two and four weeks from today.
    let noon = (now_millis() / day) * day + 11 * 3600 * 1000;
    let hearing = NewHearing {
        committee_id: hmu,
        title: HEARING_TITLE.into(),
        issuing_body: "Socialdirektionen, Socialområdet".into(),
        description: "Udkast til Visions- og Udviklingsplan for Socialområdet sendes i høring i \
            LMU'erne. Hvert LMU skriver sit høringssvar her. HMU-formandskabet udarbejder derefter \
            med afsæt i LMU'ernes svar et fælles høringssvar fra HMU, som drøftes på HMU-mødet; \
            de enkelte LMU-svar vedlægges som bilag."
            .into(),
        lmu_deadline: noon + 14 * day,
        hmu_deadline: noon + 28 * day,
        invited: lmus,
        approval_quorum: None,
    };
    let sekretariat = Principal {
        user: secretariat,
        name: "Mette Lund".into(),
        secretariat: true,
        memberships: Vec::new(),
    };
    let id = round.create_hearing(&sekretariat, hearing).await?;
    let row = store
        .hearing(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("hearing {id} vanished"))?;
    round.open_hearing(&sekretariat, &row).await?;
    // SBU has started writing.
    let document = crate::workflow::hearings::response_document(id, sbu);
    let document = DocumentId::parse(&document).expect("valid id");
    store
        .append_updates(&[NewUpdate {
            document,
            data: sbu_draft().into(),
            user: "Anne Jensen".into(),
        }])
        .await?;
    Ok(Demo {
        hearing: id,
        created: true,
    })
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

/// SBU's draft as Tiptap's StarterKit writes it into the fragment `default`.
fn sbu_draft() -> Vec<u8> {
    let doc = yrs::Doc::new();
    let fragment = doc.get_or_insert_xml_fragment("default");
    let mut txn = doc.transact_mut();
    let heading = fragment.insert(&mut txn, 0, XmlElementPrelim::empty("heading"));
    heading.insert_attribute(&mut txn, "level", Any::Number(yrs::Number::Int(1)));
    heading.insert(&mut txn, 0, XmlTextPrelim::new("Høringssvar fra LMU SBU"));
    let paragraphs = [
        "Vedr. Visions- og Udviklingsplan for Socialområdet.",
        "LMU SBU bakker op om planens retning og vil særligt fremhæve:",
    ];
    for (i, text) in paragraphs.iter().enumerate() {
        let p = fragment.insert(&mut txn, 1 + i as u32, XmlElementPrelim::empty("paragraph"));
        p.insert(&mut txn, 0, XmlTextPrelim::new(*text));
    }
    let list = fragment.insert(&mut txn, 3, XmlElementPrelim::empty("bulletList"));
    let points = [
        "at medarbejderne inddrages tidligt i implementeringen",
        "at arbejdsmiljøet følges tæt i MED-systemet",
    ];
    for (i, point) in points.iter().enumerate() {
        let item = list.insert(&mut txn, i as u32, XmlElementPrelim::empty("listItem"));
        let p = item.insert(&mut txn, 0, XmlElementPrelim::empty("paragraph"));
        let text = p.insert(&mut txn, 0, XmlTextPrelim::new(*point));
        if i == 0 {
            let bold = HashMap::from([("bold".into(), Any::Map(Default::default()))]);
            text.format(&mut txn, 3, 13, bold);
        }
    }
    txn.encode_update_v1()
}
