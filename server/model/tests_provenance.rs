//! Tests of the provenance report and the alignment helper.

use proptest::prelude::*;

use super::provenance::*;
use super::tests::{arb_blocks, blocks, h, li, p, prov};
use super::*;

fn marked(text: &str, committee: &str, version: i64, block: u32) -> Inline {
    Inline {
        text: text.into(),
        marks: prov(committee, version, block),
    }
}

fn plain(text: &str) -> Inline {
    Inline {
        text: text.into(),
        marks: Marks::default(),
    }
}

fn para(inlines: Vec<Inline>) -> Block {
    Block {
        kind: BlockKind::Paragraph,
        inlines,
    }
}

fn sbu() -> LmuResponse {
    LmuResponse {
        committee: "SBU".into(),
        version: 3,
        blocks: blocks(vec![
            h(1, "Høringssvar fra LMU SBU"),
            p("LMU SBU bakker op om planens retning og vil særligt fremhæve følgende."),
            li(0, "at medarbejderne inddrages tidligt i implementeringen"),
            li(0, "at arbejdsmiljøet følges tæt i MED-systemet"),
            li(
                0,
                "at der afsættes midler til kompetenceudvikling af personalet",
            ),
            li(0, "at nattevagterne på botilbuddene bevares"),
            p("Vi ser frem til et fortsat godt samarbejde om de pårørendes rolle."),
        ]),
    }
}

fn dok() -> LmuResponse {
    LmuResponse {
        committee: "DOK".into(),
        version: 7,
        blocks: blocks(vec![
            h(2, "Bemærkninger"),
            p("Økonomien i planen er for usikker, og besparelser må ikke ramme borgerne direkte."),
            p("Digitaliseringen skal understøtte dokumentationen, ikke øge den."),
            li(1, "kort"),
        ]),
    }
}

#[test]
fn marks_and_similarity_attribute_the_joint_response() {
    let joint = blocks(vec![
        h(1, "HMU's høringssvar"),
        // Taken from SBU block 2 and reworded, still marked.
        para(vec![
            plain("HMU lægger vægt på, "),
            marked(
                "at medarbejdere inddrages tidligt, når planen implementeres",
                "SBU",
                3,
                2,
            ),
            plain("."),
        ]),
        // Typed by hand, saying what DOK block 1 says.
        p("HMU finder økonomien usikker og vil ikke acceptere besparelser, der rammer borgerne."),
        // Two sources merged into one paragraph.
        para(vec![
            marked("Arbejdsmiljøet skal følges tæt i MED-systemet", "SBU", 3, 3),
            plain(", og "),
            marked(
                "digitaliseringen skal understøtte dokumentationen",
                "DOK",
                7,
                2,
            ),
            plain("."),
        ]),
        p("Afslutningsvis takker HMU for processen."),
    ]);
    let r = report(&joint, &[sbu(), dok()]);
    assert_eq!(r.blocks.len(), 5);
    assert_eq!(r.threshold, DRAWS_ON);

    let b1 = &r.blocks[1];
    assert_eq!(b1.marked.len(), 1);
    assert_eq!(
        (b1.marked[0].committee.as_str(), b1.marked[0].block),
        ("SBU", 2)
    );
    assert!(b1.marked[0].share > 0.7 && b1.marked[0].share < 0.8);
    let reworded = b1.marked[0].similarity.expect("similarity");
    assert!(reworded > 0.3 && reworded < 1.0, "{reworded}");
    assert_eq!(b1.committees, vec!["SBU"]);

    let b2 = &r.blocks[2];
    assert!(b2.marked.is_empty());
    assert_eq!(b2.unmarked_chars, b2.chars);
    assert_eq!(b2.similar[0].committee, "DOK");
    assert_eq!(b2.similar[0].block, 1);
    assert!(b2.similar[0].similarity >= DRAWS_ON);
    assert_eq!(b2.committees, vec!["DOK"]);

    let b3 = &r.blocks[3];
    assert_eq!(b3.marked.len(), 2);
    assert_eq!(b3.committees, vec!["DOK", "SBU"]);
    // ", og " and "." are unmarked but too short to draw on anything.
    assert!(b3.similar.is_empty());

    assert!(r.blocks[4].committees.is_empty());
    assert!(r.blocks[0].committees.is_empty());

    let sbu_cov = &r.committees[0];
    assert_eq!(sbu_cov.committee, "SBU");
    // Points: block 1 (intro), 2, 3, 4, 5 and 6; headings are not points.
    assert_eq!(sbu_cov.points, 6);
    assert_eq!(sbu_cov.reflected, 2);
    assert_eq!(sbu_cov.text, "SBU: 2 af 6 punkter afspejlet");
    assert_eq!(sbu_cov.unreflected, vec![1, 4, 5, 6]);
    let p2 = sbu_cov
        .items
        .iter()
        .find(|p| p.block == 2)
        .expect("point 2");
    assert_eq!(p2.by[0].how, How::Mark);
    assert_eq!(p2.by[0].joint_block, 1);

    let dok_cov = &r.committees[1];
    // "kort" has one content term: not a point.
    assert_eq!(dok_cov.points, 2);
    assert_eq!(dok_cov.reflected, 2);
    assert_eq!(dok_cov.text, "DOK: 2 af 2 punkter afspejlet");
    let p1 = dok_cov
        .items
        .iter()
        .find(|p| p.block == 1)
        .expect("point 1");
    assert_eq!(p1.by[0].how, How::Similarity);
    assert_eq!(p1.by[0].joint_block, 2);

    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(
        json["committees"][0]["text"],
        "SBU: 2 af 6 punkter afspejlet"
    );
    assert_eq!(json["committees"][0]["items"][1]["by"][0]["how"], "mark");
}

#[test]
fn a_mark_from_another_version_is_resolved_by_similarity() {
    // The chair took the passage from SBU's version 2, where it was block 5; version 3 has it
    // as block 3.
    let joint = blocks(vec![para(vec![marked(
        "at arbejdsmiljøet følges tæt i MED-systemet",
        "SBU",
        2,
        5,
    )])]);
    let r = report(&joint, &[sbu()]);
    assert_eq!(r.blocks[0].marked[0].similarity, None);
    let point = r.committees[0]
        .items
        .iter()
        .find(|p| p.block == 3)
        .expect("point");
    assert!(point.reflected);
    assert_eq!(point.by[0].how, How::Mark);
    // A mark naming a committee that is not in the report still shows in the block.
    let other = blocks(vec![para(vec![marked("noget tekst her", "XYZ", 1, 0)])]);
    let r = report(&other, &[sbu()]);
    assert_eq!(r.blocks[0].committees, vec!["XYZ"]);
    assert_eq!(r.committees[0].reflected, 0);
}

#[test]
fn thresholds_and_singular() {
    assert_eq!(coverage_text("IKH", 1, 1), "IKH: 1 af 1 punkt afspejlet");
    assert_eq!(coverage_text("IKH", 0, 0), "IKH: 0 af 0 punkter afspejlet");
    let joint = blocks(vec![p("Arbejdsmiljøet og MED-systemet nævnes kort.")]);
    let strict = report_with_threshold(&joint, &[sbu()], 0.99);
    let lax = report_with_threshold(&joint, &[sbu()], 0.1);
    assert!(strict.committees[0].reflected <= lax.committees[0].reflected);
    assert_eq!(
        report_with_threshold(&joint, &[sbu()], f32::NAN).threshold,
        DRAWS_ON
    );
}

#[test]
fn nothing_in_nothing_out() {
    let r = report(&Blocks::default(), &[]);
    assert!(r.blocks.is_empty() && r.committees.is_empty());
    let r = report(&Blocks::default(), &[sbu()]);
    assert_eq!(r.committees[0].reflected, 0);
    assert_eq!(r.committees[0].unreflected.len(), 6);
}

#[test]
fn alignment_finds_sections() {
    let joint = blocks(vec![
        p("Indledende bemærkninger om høringen."),
        h(1, "Medarbejdere og arbejdsmiljø"),
        p("Medarbejderne skal inddrages, og arbejdsmiljøet skal følges i MED-systemet."),
        h(1, "Økonomi"),
        p("Besparelser må ikke ramme borgerne."),
    ]);
    let s = sections(&joint);
    assert_eq!(s.len(), 3);
    assert_eq!((s[0].heading, s[0].start, s[0].end), (None, 0, 1));
    assert_eq!((s[1].heading, s[1].start, s[1].end), (Some(1), 1, 3));
    assert_eq!(s[2].title, "Økonomi");
    let a = align(&joint, &[sbu(), dok()]);
    let sbu_a = &a.responses[0];
    assert_eq!(sbu_a.blocks.len(), 7);
    assert_eq!(sbu_a.blocks[2].section, Some(1));
    assert_eq!(sbu_a.blocks[3].section, Some(1));
    assert_eq!(sbu_a.blocks[3].joint_block, Some(2));
    let dok_a = &a.responses[1];
    assert_eq!(dok_a.blocks[1].section, Some(2));
    assert_eq!(dok_a.blocks[1].joint_block, Some(4));
    assert!(dok_a.blocks[1].block_similarity > 0.5);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any input gives a report whose counts agree with its lists, without panicking.
    #[test]
    fn reports_are_consistent(
        joint in arb_blocks(8),
        lmus in prop::collection::vec(arb_blocks(8), 0..4),
        threshold in 0.0f32..1.0,
    ) {
        let lmus: Vec<LmuResponse> = lmus
            .into_iter()
            .enumerate()
            .map(|(k, blocks)| LmuResponse { committee: ["SBU", "DOK", "IKH", "SVO"][k].into(), version: 1, blocks })
            .collect();
        let r = report_with_threshold(&joint, &lmus, threshold);
        prop_assert_eq!(r.blocks.len(), joint.blocks.len());
        for (b, block) in r.blocks.iter().zip(&joint.blocks) {
            prop_assert_eq!(b.chars as usize, block.char_len());
            let marked: u32 = b.marked.iter().map(|m| m.chars).sum();
            prop_assert!(marked + b.unmarked_chars <= b.chars);
            for m in &b.marked {
                prop_assert!((0.0..=1.0).contains(&m.share));
            }
            for s in &b.similar {
                prop_assert!(s.similarity >= r.threshold && s.similarity <= 1.0);
            }
        }
        for c in &r.committees {
            prop_assert_eq!(c.points as usize, c.items.len());
            prop_assert_eq!((c.points - c.reflected) as usize, c.unreflected.len());
        }
        let a = align(&joint, &lmus);
        prop_assert_eq!(a.responses.len(), lmus.len());
    }
}
