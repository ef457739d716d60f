//! Structural validation of Yjs v1 updates before yrs (or any relayed JavaScript client) sees them.
//!
//! yrs 0.28 is not hardened against hostile bytes (shared/design.md §6): unbounded recursion in
//! `Any::decode` aborts the process, counts are reserved before they are checked, and an update
//! whose dependencies are missing is kept as a pending update that breaks every later sync of
//! the room. Every update is therefore parsed here first, with every count checked against the
//! remaining input and nesting bounded, and [`ParsedUpdate::check_integrable`] proves that the
//! update integrates completely into a document with a given state vector, so that nothing is ever
//! left pending.
//!
//! The format is Yjs' update encoding v1 (yjs `src/utils/encoding.js`, `readClientsStructRefs`).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use super::ProtocolError;
use super::lib0::Reader;

/// Deepest nesting accepted in `Any` values and JSON content. Tiptap's attributes nest two deep.
pub const MAX_NESTING: usize = 32;

/// Deepest nesting of shared types (an XML element in an element in …). yrs deletes nested
/// types recursively, so a deep enough tree overflows the stack when it is deleted; Tiptap's
/// deepest structures (lists in lists) stay far below this.
pub const MAX_TYPE_DEPTH: u16 = 48;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Id {
    pub client: u64,
    pub clock: u32,
}

#[derive(Debug, Clone)]
struct Struct {
    clock: u32,
    len: u32,
    /// A `Skip` struct marks a range the update does not contain.
    skip: bool,
    /// Items that must exist before this one can integrate (origin, right origin, parent).
    deps: [Option<Id>; 3],
    /// The item's parent is a root type (named), not an item.
    root_parent: bool,
    /// The item is a shared type: items can live inside it.
    is_type: bool,
}

#[derive(Debug, Clone)]
struct ClientStructs {
    client: u64,
    structs: Vec<Struct>,
}

/// Where the items of a document live: for each client, ranges of clocks and the nesting
/// depth of the container their items are in (0 for a root type). Consecutive typing merges
/// into one range, so this stays small.
#[derive(Debug, Clone, Default)]
pub struct Levels {
    ranges: HashMap<u64, Vec<(u32, u32, u16)>>,
}

impl Levels {
    pub fn lookup(&self, id: &Id) -> Option<u16> {
        let ranges = self.ranges.get(&id.client)?;
        let i = ranges.partition_point(|r| r.0 <= id.clock).checked_sub(1)?;
        let (_, end, level) = ranges[i];
        (id.clock < end).then_some(level)
    }

    /// Records items `start..end` of `client` (only the part past what is known; clients'
    /// items arrive in clock order).
    pub fn push(&mut self, client: u64, start: u32, end: u32, level: u16) {
        let ranges = self.ranges.entry(client).or_default();
        let known_end = ranges.last().map_or(0, |r| r.1);
        let start = start.max(known_end);
        if start >= end {
            return;
        }
        match ranges.last_mut() {
            Some(last) if last.1 == start && last.2 == level => last.1 = end,
            _ => ranges.push((start, end, level)),
        }
    }

    pub fn merge(&mut self, new: &[(u64, u32, u32, u16)]) {
        for &(client, start, end, level) in new {
            self.push(client, start, end, level);
        }
    }
}

/// A structurally valid update: what it adds, per client, and what it deletes.
#[derive(Debug, Clone, Default)]
pub struct ParsedUpdate {
    groups: Vec<ClientStructs>,
    deletes: Vec<(u64, u32, u32)>,
}

/// Why an update cannot be integrated completely into the current document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IntegrationError {
    #[error("the update depends on content the document does not have")]
    MissingDependency,
    #[error("the update nests shared types deeper than {MAX_TYPE_DEPTH}")]
    TooDeep,
}

impl ParsedUpdate {
    /// Parses and checks a v1 update. Fails on anything a Yjs client could not decode.
    pub fn parse(bytes: &[u8]) -> Result<Self, ProtocolError> {
        let mut r = Reader::new(bytes);
        let mut update = ParsedUpdate::default();
        let mut seen_clients = HashSet::new();
        let n_clients = r.count(3)?;
        for _ in 0..n_clients {
            let n_structs = r.count(2)?;
            let client = r.var_u64()?;
            let mut clock = r.var_u32()?;
            if !seen_clients.insert(client) {
                // yrs and Yjs treat a repeated client differently: refuse rather than diverge.
                return Err(ProtocolError::Malformed("client listed twice"));
            }
            let mut structs = Vec::with_capacity(n_structs);
            for _ in 0..n_structs {
                let s = read_struct(&mut r, clock)?;
                clock = clock
                    .checked_add(s.len)
                    .ok_or(ProtocolError::IntegerOverflow)?;
                structs.push(s);
            }
            update.groups.push(ClientStructs { client, structs });
        }
        let n_ds_clients = r.count(2)?;
        for _ in 0..n_ds_clients {
            let client = r.var_u64()?;
            let n = r.count(2)?;
            for _ in 0..n {
                let clock = r.var_u32()?;
                let len = r.var_u32()?;
                if len == 0 {
                    return Err(ProtocolError::Malformed("empty delete range"));
                }
                clock
                    .checked_add(len)
                    .ok_or(ProtocolError::IntegerOverflow)?;
                update.deletes.push((client, clock, len));
            }
        }
        if !r.is_empty() {
            return Err(ProtocolError::Malformed("trailing bytes after update"));
        }
        Ok(update)
    }

    /// What the update deletes: (client, first clock, length).
    pub fn deletes(&self) -> &[(u64, u32, u32)] {
        &self.deletes
    }

    /// True when the update neither adds nor deletes anything (an empty sync step 2).
    pub fn is_empty(&self) -> bool {
        self.deletes.is_empty() && self.groups.iter().all(|g| g.structs.is_empty())
    }

    /// For each client the update writes, the clock just past its last struct: once the update
    /// is committed, everything of that client below this clock is durable.
    pub fn clock_ends(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.groups.iter().filter_map(|g| {
            g.structs
                .iter()
                .rev()
                .find(|s| !s.skip)
                .map(|s| (g.client, s.clock + s.len))
        })
    }

    /// Proves that the update integrates completely into a document whose state vector is
    /// `known` (client → next clock), leaving nothing pending. Mirrors Yjs' integration order:
    /// each client's structs in clock order, each waiting for its origin, right origin and
    /// parent. Runs in O(n log n) on hostile input (a heap of waiters per client).
    pub fn check_integrable(&self, known: impl Fn(u64) -> u32) -> Result<(), IntegrationError> {
        self.check(known, &Levels::default()).map(|_| ())
    }

    /// [`Self::check_integrable`], and bounds how deep the update nests shared types, given
    /// where the document's items live (`doc`). Returns where this update's items will live,
    /// for the caller to merge into `doc` once the update is applied.
    pub fn check(
        &self,
        known: impl Fn(u64) -> u32,
        doc: &Levels,
    ) -> Result<Vec<(u64, u32, u32, u16)>, IntegrationError> {
        // The ranges this update integrated, and the depth of their container.
        let mut levels = Levels::default();
        let mut placed = Vec::new();
        let mut avail: HashMap<u64, u32> = HashMap::new();
        let avail_of = |avail: &mut HashMap<u64, u32>, c: u64| -> u32 {
            *avail.entry(c).or_insert_with(|| known(c))
        };
        let mut next = vec![0usize; self.groups.len()];
        let mut waiting: HashMap<u64, BinaryHeap<Reverse<(u32, usize)>>> = HashMap::new();
        let mut ready: Vec<usize> = (0..self.groups.len()).collect();

        while let Some(g) = ready.pop() {
            let group = &self.groups[g];
            'structs: while let Some(s) = group.structs.get(next[g]) {
                if s.skip {
                    next[g] += 1;
                    continue;
                }
                let own = avail_of(&mut avail, group.client);
                if s.clock > own {
                    // A gap in the client's own history: nothing in this update can fill it.
                    return Err(IntegrationError::MissingDependency);
                }
                for dep in s.deps.iter().flatten() {
                    if dep.clock >= avail_of(&mut avail, dep.client) {
                        waiting
                            .entry(dep.client)
                            .or_default()
                            .push(Reverse((dep.clock, g)));
                        break 'structs;
                    }
                }
                // Depth of the container the item lives in. An item whose neighbour or parent
                // was garbage-collected is collected too: it nests nothing.
                let level_of = |id: &Id| levels.lookup(id).or_else(|| doc.lookup(id)).unwrap_or(0);
                let [origin, right, parent] = &s.deps;
                let level = if s.root_parent {
                    0
                } else if let Some(p) = parent {
                    // Inside the type item p: one deeper than p's own container.
                    level_of(p) + 1
                } else if let Some(neighbour) = origin.as_ref().or(right.as_ref()) {
                    // Beside an existing item: in the same container.
                    level_of(neighbour)
                } else {
                    0
                };
                if s.is_type && level + 1 > MAX_TYPE_DEPTH {
                    return Err(IntegrationError::TooDeep);
                }
                levels.push(group.client, s.clock, s.clock + s.len, level);
                placed.push((group.client, s.clock, s.clock + s.len, level));
                let end = own.max(s.clock + s.len);
                avail.insert(group.client, end);
                next[g] += 1;
                if let Some(heap) = waiting.get_mut(&group.client) {
                    while let Some(Reverse((clock, waiter))) = heap.peek().copied() {
                        if clock >= end {
                            break;
                        }
                        heap.pop();
                        ready.push(waiter);
                    }
                }
            }
        }
        for (g, group) in self.groups.iter().enumerate() {
            if group.structs[next[g]..].iter().any(|s| !s.skip) {
                return Err(IntegrationError::MissingDependency);
            }
        }
        for &(client, clock, len) in &self.deletes {
            if clock + len > avail_of(&mut avail, client) {
                return Err(IntegrationError::MissingDependency);
            }
        }
        Ok(placed)
    }
}

fn read_id(r: &mut Reader) -> Result<Id, ProtocolError> {
    Ok(Id {
        client: r.var_u64()?,
        clock: r.var_u32()?,
    })
}

fn nonzero(len: u32) -> Result<u32, ProtocolError> {
    if len == 0 {
        Err(ProtocolError::Malformed("zero-length struct"))
    } else {
        Ok(len)
    }
}

fn read_struct(r: &mut Reader, clock: u32) -> Result<Struct, ProtocolError> {
    let info = r.u8()?;
    // yrs reads GC and Skip only from exactly these bytes (Yjs masks the high bits): refuse what
    // the two would read differently.
    if matches!(info & 0x1f, 0 | 10) && info & 0xe0 != 0 {
        return Err(ProtocolError::Malformed("flags on a GC or skip struct"));
    }
    match info & 0x1f {
        0 => Ok(Struct {
            clock,
            len: nonzero(r.var_u32()?)?,
            skip: false,
            deps: [None; 3],
            root_parent: true,
            is_type: false,
        }),
        10 => Ok(Struct {
            clock,
            len: nonzero(r.var_u32()?)?,
            skip: true,
            deps: [None; 3],
            root_parent: true,
            is_type: false,
        }),
        content_ref @ 1..=9 => {
            let origin = if info & 0x80 != 0 {
                Some(read_id(r)?)
            } else {
                None
            };
            let right = if info & 0x40 != 0 {
                Some(read_id(r)?)
            } else {
                None
            };
            if origin.is_some() && origin == right {
                // An item cannot sit between an item and itself; yrs and Yjs disagree on it.
                return Err(ProtocolError::Malformed("origin equals right origin"));
            }
            let mut parent = None;
            let mut root_parent = false;
            if origin.is_none() && right.is_none() {
                match r.var_u64()? {
                    1 => {
                        r.string()?;
                        root_parent = true;
                    }
                    0 => parent = Some(read_id(r)?),
                    _ => return Err(ProtocolError::Malformed("bad parent info")),
                }
                if info & 0x20 != 0 {
                    r.string()?;
                }
            }
            let len = read_content(r, content_ref)?;
            Ok(Struct {
                clock,
                len: nonzero(len)?,
                skip: false,
                deps: [origin, right, parent],
                root_parent,
                is_type: content_ref == 7,
            })
        }
        _ => Err(ProtocolError::Malformed("unknown struct type")),
    }
}

/// Reads item content and returns its length in clock units.
fn read_content(r: &mut Reader, content_ref: u8) -> Result<u32, ProtocolError> {
    match content_ref {
        // Deleted
        1 => r.var_u32(),
        // JSON: a count of JSON strings
        2 => {
            let n = r.count(1)?;
            for _ in 0..n {
                let s = r.string()?;
                if s != "undefined" {
                    check_json(s)?;
                }
            }
            u32::try_from(n).map_err(|_| ProtocolError::IntegerOverflow)
        }
        // Binary
        3 => r.buf().map(|_| 1),
        // String: its length is counted in UTF-16 units, as in JavaScript
        4 => {
            let s = r.string()?;
            u32::try_from(s.encode_utf16().count()).map_err(|_| ProtocolError::IntegerOverflow)
        }
        // Embed
        5 => check_json(r.string()?).map(|_| 1),
        // Format: key and JSON value
        6 => {
            r.string()?;
            check_json(r.string()?).map(|_| 1)
        }
        // Type
        7 => {
            match r.var_u64()? {
                // XmlElement carries its node name, XmlHook its key
                3 | 5 => {
                    r.string()?;
                }
                0..=6 => {}
                _ => return Err(ProtocolError::Malformed("unknown type reference")),
            }
            Ok(1)
        }
        // Any: a count of values
        8 => {
            let n = r.count(1)?;
            for _ in 0..n {
                read_any(r, 0)?;
            }
            u32::try_from(n).map_err(|_| ProtocolError::IntegerOverflow)
        }
        // Doc: subdocuments are not used by Samskriv, and yrs leaks them (found by fuzzing)
        9 => Err(ProtocolError::Malformed("subdocuments are not supported")),
        _ => Err(ProtocolError::Malformed("unknown content type")),
    }
}

/// lib0's `Any` encoding, with the nesting bounded (yrs recurses without a limit).
fn read_any(r: &mut Reader, depth: usize) -> Result<(), ProtocolError> {
    if depth > MAX_NESTING {
        return Err(ProtocolError::TooDeep);
    }
    match r.u8()? {
        // undefined, null, false, true
        127 | 126 | 121 | 120 => Ok(()),
        // varInt
        125 => r.var_i64(),
        // float32, float64, bigint64
        124 => r.bytes(4).map(|_| ()),
        123 | 122 => r.bytes(8).map(|_| ()),
        // string
        119 => r.string().map(|_| ()),
        // object: count, then key and value
        118 => {
            let n = r.count(2)?;
            for _ in 0..n {
                r.string()?;
                read_any(r, depth + 1)?;
            }
            Ok(())
        }
        // array
        117 => {
            let n = r.count(1)?;
            for _ in 0..n {
                read_any(r, depth + 1)?;
            }
            Ok(())
        }
        // Uint8Array
        116 => r.buf().map(|_| ()),
        _ => Err(ProtocolError::Malformed("unknown value type")),
    }
}

/// JSON text as a JavaScript client will `JSON.parse` it; the nesting is bounded.
pub fn check_json(s: &str) -> Result<(), ProtocolError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for b in s.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(ProtocolError::TooDeep);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    serde_json::from_str::<serde::de::IgnoredAny>(s)
        .map(|_| ())
        .map_err(|_| ProtocolError::Malformed("invalid JSON"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// The nested-Any update from design.md §6 that overflows yrs' stack.
    pub fn deep_any_update(depth: usize) -> Vec<u8> {
        let mut u = hex("0101010028010101");
        u.extend_from_slice(&[0x6d, 0x01, 0x6b, 0x01]);
        for _ in 0..depth {
            u.extend_from_slice(&[0x75, 0x01]);
        }
        u.extend_from_slice(&[0x7e, 0x00]);
        u
    }

    #[test]
    fn deeply_nested_any_is_refused() {
        let u = deep_any_update(10_000);
        assert!(ParsedUpdate::parse(&u).is_err());
    }

    #[test]
    fn the_pending_29_byte_update_is_refused() {
        let u = hex("0101d30b01020000010000000100000401000306050241004301011000");
        let verdict = ParsedUpdate::parse(&u)
            .map_err(|_| ())
            .and_then(|p| p.check_integrable(|_| 0).map_err(|_| ()));
        assert!(verdict.is_err());
    }

    #[test]
    fn huge_counts_are_refused() {
        // one client, 2^28 structs, in 7 bytes
        let u = [0x01, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00];
        assert_eq!(
            ParsedUpdate::parse(&u).err(),
            Some(ProtocolError::CountTooLarge)
        );
    }

    use yrs::updates::decoder::Decode;
    use yrs::{
        Any, Array, Doc, GetString, Map, ReadTxn, StateVector, Text, Transact, WriteTxn, Xml,
        XmlFragment,
    };

    fn clocks(doc: &Doc) -> impl Fn(u64) -> u32 {
        let sv = doc.transact().state_vector();
        move |c| sv.get(&yrs::ClientID::new(c))
    }

    #[test]
    fn real_updates_parse_and_integrate() {
        let a = Doc::new();
        let text = a.get_or_insert_text("text");
        let map = a.get_or_insert_map("map");
        let frag = a.get_or_insert_xml_fragment("default");
        let mut updates = Vec::new();
        {
            let mut txn = a.transact_mut();
            text.insert(&mut txn, 0, "Høringssvar 🙂 fra SBU");
            updates.push(txn.encode_update_v1());
        }
        {
            let mut txn = a.transact_mut();
            text.remove_range(&mut txn, 0, 1);
            map.insert(
                &mut txn,
                "nested",
                Any::from(vec![Any::from("x"), Any::Null, Any::from(1.5)]),
            );
            let arr = txn.get_or_insert_array("array");
            arr.insert(&mut txn, 0, Any::from(7i64));
            let p = frag.insert(&mut txn, 0, yrs::XmlElementPrelim::empty("paragraph"));
            p.insert_attribute(&mut txn, "level", Any::from(2.0));
            updates.push(txn.encode_update_v1());
        }
        let b = Doc::new();
        for u in &updates {
            let parsed = ParsedUpdate::parse(u).expect("valid update");
            assert!(!parsed.is_empty());
            parsed
                .check_integrable(clocks(&b))
                .expect("integrable in order");
            let mut txn = b.transact_mut();
            txn.apply_update(yrs::Update::decode_v1(u).unwrap())
                .unwrap();
        }
        assert_eq!(
            text.get_string(&a.transact()),
            b.get_or_insert_text("text").get_string(&b.transact())
        );
        // The full state, from another client's point of view
        let full = a
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        ParsedUpdate::parse(&full)
            .unwrap()
            .check_integrable(|_| 0)
            .unwrap();
        // An empty update (what a synced client sends as its step 2)
        assert!(ParsedUpdate::parse(&[0, 0]).unwrap().is_empty());
    }

    #[test]
    fn an_update_without_its_predecessor_is_not_integrable() {
        let a = Doc::new();
        let text = a.get_or_insert_text("text");
        let first = {
            let mut txn = a.transact_mut();
            text.insert(&mut txn, 0, "først");
            txn.encode_update_v1()
        };
        let second = {
            let mut txn = a.transact_mut();
            text.insert(&mut txn, 5, " så");
            txn.encode_update_v1()
        };
        let deletion = {
            let mut txn = a.transact_mut();
            text.remove_range(&mut txn, 0, 1);
            txn.encode_update_v1()
        };
        let empty = Doc::new();
        let second = ParsedUpdate::parse(&second).unwrap();
        assert_eq!(
            second.check_integrable(clocks(&empty)),
            Err(IntegrationError::MissingDependency)
        );
        // a deletion of content the document does not have would stay pending too
        let deletion = ParsedUpdate::parse(&deletion).unwrap();
        assert!(deletion.check_integrable(clocks(&empty)).is_err());
        let b = Doc::new();
        b.transact_mut()
            .apply_update(yrs::Update::decode_v1(&first).unwrap())
            .unwrap();
        second.check_integrable(clocks(&b)).unwrap();
        deletion.check_integrable(clocks(&b)).unwrap();
    }

    #[test]
    fn dependencies_between_clients_in_one_update_resolve_in_any_order() {
        // B edits on top of A; one merged update carries both, B's client listed first.
        let a = Doc::with_client_id(1);
        let b = Doc::with_client_id(2);
        let ta = a.get_or_insert_text("text");
        let tb = b.get_or_insert_text("text");
        let ua = {
            let mut txn = a.transact_mut();
            ta.insert(&mut txn, 0, "abc");
            txn.encode_update_v1()
        };
        b.transact_mut()
            .apply_update(yrs::Update::decode_v1(&ua).unwrap())
            .unwrap();
        {
            let mut txn = b.transact_mut();
            tb.insert(&mut txn, 1, "X");
        }
        let full = b
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        ParsedUpdate::parse(&full)
            .unwrap()
            .check_integrable(|_| 0)
            .unwrap();
    }

    #[test]
    fn an_item_that_depends_on_itself_is_not_integrable() {
        // client 5, one string item at clock 0 whose origin is (5, 0): itself
        let u = [1, 1, 5, 0, 0x84, 5, 0, 1, b'x', 0];
        let parsed = ParsedUpdate::parse(&u).unwrap();
        assert!(parsed.check_integrable(|_| 0).is_err());
    }

    #[test]
    fn nesting_of_shared_types_is_bounded() {
        use yrs::{XmlElementPrelim, XmlElementRef};
        // XML elements nested in one update, each the first child of the previous one
        let d = Doc::new();
        let f = d.get_or_insert_xml_fragment("default");
        let nest = |txn: &mut yrs::TransactionMut, mut el: XmlElementRef, levels: usize| {
            for _ in 0..levels {
                el = el.insert(txn, 0, XmlElementPrelim::empty("blockquote"));
            }
            el
        };
        let (first, deepest) = {
            let mut txn = d.transact_mut();
            let top = f.insert(&mut txn, 0, XmlElementPrelim::empty("blockquote"));
            let deepest = nest(&mut txn, top, 39);
            (txn.encode_update_v1(), deepest)
        };
        let parsed = ParsedUpdate::parse(&first).unwrap();
        let placed = parsed.check(|_| 0, &Levels::default()).unwrap();
        let mut doc_levels = Levels::default();
        doc_levels.merge(&placed);
        // … and across updates: ten more levels inside the deepest element are refused
        let sv = d.transact().state_vector();
        let second = {
            let mut txn = d.transact_mut();
            nest(&mut txn, deepest.clone(), 10);
            txn.encode_update_v1()
        };
        let parsed = ParsedUpdate::parse(&second).unwrap();
        let known = |c: u64| sv.get(&yrs::ClientID::new(c));
        assert_eq!(
            parsed.check(known, &doc_levels),
            Err(IntegrationError::TooDeep)
        );
        assert!(
            parsed.check_integrable(known).is_ok(),
            "integrable, only too deep"
        );
        // many siblings at a shallow level are fine, however many updates bring them
        let e = Doc::new();
        let g = e.get_or_insert_xml_fragment("default");
        let mut e_levels = Levels::default();
        let list = {
            let mut txn = e.transact_mut();
            let list = g.insert(&mut txn, 0, XmlElementPrelim::empty("bulletList"));
            let u = txn.encode_update_v1();
            e_levels.merge(
                &ParsedUpdate::parse(&u)
                    .unwrap()
                    .check(|_| 0, &e_levels)
                    .unwrap(),
            );
            list
        };
        for i in 0..200u32 {
            let sv = e.transact().state_vector();
            let u = {
                let mut txn = e.transact_mut();
                let item = list.insert(&mut txn, i, XmlElementPrelim::empty("listItem"));
                item.insert(&mut txn, 0, XmlElementPrelim::empty("paragraph"));
                txn.encode_update_v1()
            };
            let placed = ParsedUpdate::parse(&u)
                .unwrap()
                .check(|c| sv.get(&yrs::ClientID::new(c)), &e_levels)
                .expect("shallow siblings");
            e_levels.merge(&placed);
        }
        // a fresh 60-deep tree in one update
        let e = Doc::new();
        let g = e.get_or_insert_xml_fragment("default");
        let mut txn = e.transact_mut();
        let top = g.insert(&mut txn, 0, XmlElementPrelim::empty("p"));
        nest(&mut txn, top, 59);
        let parsed = ParsedUpdate::parse(&txn.encode_update_v1()).unwrap();
        assert_eq!(
            parsed.check(|_| 0, &Levels::default()),
            Err(IntegrationError::TooDeep)
        );
    }

    #[test]
    fn json_depth_is_bounded() {
        assert!(check_json("{\"a\":[1,2,{\"b\":null}]}").is_ok());
        assert_eq!(check_json(&"[".repeat(100)), Err(ProtocolError::TooDeep));
        assert!(check_json("{").is_err());
        assert!(check_json("\"[[[[\"").is_ok());
    }
}
