//! Demo data for a first look: a live LMU response in Tiptap's shape, and a token to open it.
//! Started with `samskriv serve --demo`; never touches a document that already has content.

use std::collections::HashMap;

use yrs::{Any, Text, Transact, Xml, XmlElementPrelim, XmlFragment, XmlTextPrelim};

use crate::ids::DocumentId;
use crate::store::{NewUpdate, Store, StoreError};

pub const DEMO_DOCUMENT: &str = "demo-hoeringssvar-SBU";

/// Creates the demo document unless it exists. Returns its id.
pub async fn seed(store: &Store) -> Result<DocumentId, StoreError> {
    let id = DocumentId::parse(DEMO_DOCUMENT).expect("valid id");
    let stored = store.load_document(&id).await?;
    if stored.snapshot.is_none() && stored.updates.is_empty() {
        store
            .append_updates(&[NewUpdate {
                document: id.clone(),
                data: demo_update().into(),
                user: "Samskriv (demo)".into(),
            }])
            .await?;
    }
    Ok(id)
}

/// The LMU response as Tiptap's StarterKit writes it into the fragment `default`.
fn demo_update() -> Vec<u8> {
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
