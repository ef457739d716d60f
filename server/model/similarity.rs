//! Text similarity for diffs and provenance, aware of Danish.
//!
//! Two measures, for two questions:
//!
//! - **Is this the same passage, edited?** (diffs: pairing a changed paragraph with its old
//!   form, finding a moved paragraph) — [`Shape`] and [`Shape::dice`]: the Dice coefficient of
//!   the multisets of lowercased words, stop words included. It measures textual sameness.
//! - **Does this text say what that point says?** (provenance: text typed or pasted by hand,
//!   LMU points reflected in the joint response) — [`TermIndex`] and
//!   [`TermIndex::similarity`]: the overlap of the sets of *content terms*, weighted by inverse
//!   document frequency, relative to the smaller text. Content terms are words lowercased
//!   (`Æ`→`æ`, `Ø`→`ø`, `Å`→`å`), Danish stop words removed, and reduced by a light Danish
//!   stemmer (the suffix steps of the Snowball Danish algorithm), so that "medarbejderne
//!   inddrages" and "inddragelse af medarbejdere" share `medarbejd`, and word order, inflection
//!   and added words ("HMU lægger vægt på, at …") matter little: the measure survives
//!   rewording. Pairs of consecutive content terms count too (at [`PAIR_WEIGHT`]): a reworded
//!   passage keeps many ("medarbejd inddrag", "besparels ramm"), a passage that merely shares
//!   the subject's words keeps few. Weighting by inverse document frequency over all texts
//!   compared keeps words every response uses ("planen", "medarbejdere") from making
//!   unrelated passages look alike.
//!   Relative to the smaller text, because a joint paragraph that merges three LMU points
//!   reflects each of them fully. Texts with few content terms are damped (see
//!   [`MIN_TERMS`]) so that "Vi er enige." does not match everything.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Splits text into diff tokens: runs of letters and digits (a word, with any combining
/// marks), runs of whitespace, and single other characters (punctuation, symbols). The tokens
/// concatenate to the text.
pub fn diff_tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Word,
        Space,
        Other,
    }
    fn class(c: char) -> Class {
        if c.is_alphanumeric() || is_combining(c) {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut current: Option<Class> = None;
    for (i, c) in text.char_indices() {
        let k = class(c);
        match current {
            Some(prev) if prev == k && k != Class::Other => {}
            Some(_) => {
                out.push(&text[start..i]);
                start = i;
            }
            None => {}
        }
        current = Some(k);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn is_combining(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The words of a text (runs of letters and digits), lowercased.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    diff_tokens(text)
        .into_iter()
        .filter(|t| t.chars().next().is_some_and(|c| c.is_alphanumeric()))
        .map(str::to_lowercase)
}

/// Danish stop words (Snowball's list): words that say nothing about content.
const STOP_WORDS: &[&str] = &[
    "ad", "af", "alle", "alt", "anden", "at", "blev", "blive", "bliver", "da", "de", "dem", "den",
    "denne", "der", "deres", "det", "dette", "dig", "din", "disse", "dog", "du", "efter", "eller",
    "en", "end", "er", "et", "for", "fra", "ham", "han", "hans", "har", "havde", "have", "hende",
    "hendes", "her", "hos", "hun", "hvad", "hvis", "hvor", "i", "ikke", "ind", "jeg", "jer", "jo",
    "kunne", "man", "mange", "med", "meget", "men", "mig", "min", "mine", "mit", "mod", "ned",
    "noget", "nogle", "nu", "når", "og", "også", "om", "op", "os", "over", "på", "selv", "sig",
    "sin", "sine", "sit", "skal", "skulle", "som", "sådan", "thi", "til", "ud", "under", "var",
    "vi", "vil", "ville", "vor", "være", "været",
];

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'æ' | 'å' | 'ø')
}

/// Reduces a lowercased Danish word to its stem: the Snowball Danish stemmer's steps (main
/// suffixes, consonant pairs, other suffixes, undoubling). "medarbejderne" → "medarbejd",
/// "inddrages" → "inddrag", "arbejdsmiljøet" → "arbejdsmiljø".
pub fn stem(word: &str) -> String {
    // R1 (a byte offset): after the first non-vowel that follows a vowel, and after at least
    // three letters.
    let mut r1 = word.len();
    let mut previous_vowel = false;
    for (i, c) in word.char_indices() {
        let vowel = is_vowel(c);
        if !vowel && previous_vowel {
            r1 = i + c.len_utf8();
            break;
        }
        previous_vowel = vowel;
    }
    let three = word.char_indices().nth(3).map_or(word.len(), |(i, _)| i);
    let r1 = r1.max(three);
    if r1 >= word.len() {
        return word.to_owned();
    }
    let mut w = word.to_owned();

    // Step 1: main suffixes.
    const STEP1: &[&str] = &[
        "erendes", "erende", "hedens", "ethed", "erede", "heden", "heder", "endes", "ernes",
        "erens", "erets", "ered", "ende", "erne", "eren", "erer", "heds", "enes", "eres", "eret",
        "hed", "ene", "ere", "ens", "ers", "ets", "en", "er", "es", "et", "e",
    ];
    if let Some(len) = longest_suffix_in(&w, r1, STEP1) {
        w.truncate(w.len() - len);
    } else if w.ends_with('s')
        && w.len() > r1
        && w[..w.len() - 1]
            .chars()
            .next_back()
            .is_some_and(|c| "abcdfghjklmnoprtvyzå".contains(c))
    {
        w.pop();
    }

    // Step 2: consonant pairs.
    let step2 = |w: &mut String| {
        if longest_suffix_in(w, r1, &["gd", "dt", "gt", "kt"]).is_some() {
            w.pop();
        }
    };
    step2(&mut w);

    // Step 3: other suffixes.
    if w.ends_with("igst") {
        w.truncate(w.len() - 2);
    }
    if let Some(len) = longest_suffix_in(&w, r1, &["elig", "løst", "lig", "els", "ig"]) {
        if w.ends_with("løst") {
            w.pop();
        } else {
            w.truncate(w.len() - len);
            step2(&mut w);
        }
    }

    // Step 4: undouble a final consonant in R1.
    let mut tail = w.char_indices().rev();
    if let (Some((_, last)), Some((at, before))) = (tail.next(), tail.next())
        && at >= r1
        && last == before
        && !is_vowel(last)
    {
        w.pop();
    }
    w
}

/// The byte length of the longest of `suffixes` that `w` ends with inside R1 (`r1`, bytes).
fn longest_suffix_in(w: &str, r1: usize, suffixes: &[&str]) -> Option<usize> {
    suffixes
        .iter()
        .filter(|s| s.len() <= w.len() && w.len() - s.len() >= r1 && w.ends_with(*s))
        .map(|s| s.len())
        .max()
}

/// The content terms of a text: words lowercased, stop words and one-letter words removed,
/// stemmed. Numbers are kept ("§ 17", "2025").
pub fn content_terms(text: &str) -> Vec<String> {
    words(text).filter_map(|w| content_term(&w)).collect()
}

/// The content term of one lowercased word, if it is a content word.
fn content_term(word: &str) -> Option<String> {
    let short = word.chars().nth(1).is_none();
    if (short && !word.chars().all(char::is_numeric)) || is_stop_word(word) {
        return None;
    }
    Some(stem(word))
}

/// Below this many content terms, a text's similarity is damped in proportion: a very short
/// text is contained in many others by chance.
pub const MIN_TERMS: usize = 4;

/// The weight of a pair of consecutive content terms relative to a single term.
pub const PAIR_WEIGHT: f64 = 0.5;

/// Texts as sets of content terms, weighted by inverse document frequency over all texts added.
/// Add every text to compare ([`TermIndex::add`]), then compare any two by their handle.
#[derive(Debug, Default, Clone)]
pub struct TermIndex {
    /// The id of each single term.
    ids: HashMap<String, u32>,
    /// The id of each pair of single terms.
    pairs: HashMap<(u32, u32), u32>,
    df: Vec<u32>,
    texts: Vec<Vec<u32>>,
    weights: Vec<f64>,
    sums: Vec<f64>,
    documents: u32,
    sealed: bool,
    /// Whether each term (by id) is a pair of terms; its length is the number of terms.
    pair: Vec<bool>,
    /// The term of each lowercased word seen (None: not a content word).
    words: HashMap<String, Option<u32>>,
}

/// A text added to a [`TermIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextId(pub u32);

impl TermIndex {
    pub fn new() -> TermIndex {
        TermIndex::default()
    }

    /// Adds a text that counts for the term weights (a document of the collection); weights
    /// are recomputed when it is next compared.
    pub fn add(&mut self, text: &str) -> TextId {
        self.insert(text, true)
    }

    /// Adds a text to compare that does not count for the term weights (a part of a document
    /// already added, or a query).
    pub fn add_query(&mut self, text: &str) -> TextId {
        self.insert(text, false)
    }

    fn insert(&mut self, text: &str, counts: bool) -> TextId {
        let mut terms: Vec<u32> = Vec::new();
        let mut previous: Option<u32> = None;
        for word in words(text) {
            let term = match self.words.get(&word) {
                Some(term) => *term,
                None => {
                    let term = content_term(&word).map(|t| match self.ids.get(&t) {
                        Some(&id) => id,
                        None => {
                            let id = self.pair.len() as u32;
                            self.pair.push(false);
                            self.ids.insert(t, id);
                            id
                        }
                    });
                    self.words.insert(word, term);
                    term
                }
            };
            if let Some(t) = term {
                // Pairs of consecutive content terms (stop words between them skipped): text
                // taken from a passage keeps many of them even when reworded; text that only
                // shares the subject's common words keeps few.
                if let Some(p) = previous {
                    let next = self.pair.len() as u32;
                    let id = *self.pairs.entry((p, t)).or_insert(next);
                    if id == next {
                        self.pair.push(true);
                    }
                    terms.push(id);
                }
                previous = Some(t);
                terms.push(t);
            }
        }
        terms.sort_unstable();
        terms.dedup();
        self.df.resize(self.pair.len(), 0);
        if counts {
            for &t in &terms {
                if let Some(df) = self.df.get_mut(t as usize) {
                    *df += 1;
                }
            }
            self.documents += 1;
        }
        self.texts.push(terms);
        self.sealed = false;
        TextId(self.texts.len() as u32 - 1)
    }

    fn seal(&mut self) {
        if self.sealed {
            return;
        }
        let n = f64::from(self.documents);
        self.weights = self
            .df
            .iter()
            .zip(&self.pair)
            .map(|(&df, &pair)| {
                let idf = ((n + 1.0) / (f64::from(df) + 1.0)).ln() + 1.0;
                if pair { idf * PAIR_WEIGHT } else { idf }
            })
            .collect();
        self.sums = self
            .texts
            .iter()
            .map(|terms| terms.iter().map(|&t| self.weight(t)).sum())
            .collect();
        self.sealed = true;
    }

    fn weight(&self, term: u32) -> f64 {
        self.weights.get(term as usize).copied().unwrap_or(1.0)
    }

    /// The number of content terms of a text.
    pub fn terms(&self, id: TextId) -> usize {
        self.texts.get(id.0 as usize).map_or(0, Vec::len)
    }

    /// How much two texts say the same, 0..=1: the weight of the terms they share over the
    /// weight of the smaller one's terms, damped below [`MIN_TERMS`] terms.
    pub fn similarity(&mut self, a: TextId, b: TextId) -> f32 {
        self.seal();
        self.similarity_sealed(a, b)
    }

    /// [`TermIndex::similarity`] without re-weighting: for many comparisons after one
    /// [`TermIndex::prepare`].
    pub fn similarity_sealed(&self, a: TextId, b: TextId) -> f32 {
        let (Some(ta), Some(tb)) = (self.texts.get(a.0 as usize), self.texts.get(b.0 as usize))
        else {
            return 0.0;
        };
        if ta.is_empty() || tb.is_empty() {
            return 0.0;
        }
        let (sa, sb) = (
            self.sums.get(a.0 as usize).copied().unwrap_or(0.0),
            self.sums.get(b.0 as usize).copied().unwrap_or(0.0),
        );
        let (small_len, small_sum) = if sa <= sb {
            (ta.len(), sa)
        } else {
            (tb.len(), sb)
        };
        if small_sum <= 0.0 {
            return 0.0;
        }
        let shared = self.shared_weight(ta, tb);
        let damp = (small_len as f64 / MIN_TERMS as f64).min(1.0);
        ((shared / small_sum) * damp).clamp(0.0, 1.0) as f32
    }

    /// Computes the weights now, so that [`TermIndex::similarity_sealed`] can be used.
    pub fn prepare(&mut self) {
        self.seal();
    }

    fn shared_weight(&self, a: &[u32], b: &[u32]) -> f64 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
            match x.cmp(&y) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += self.weight(x);
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }
}

/// A text's words as a multiset, for the "same passage, edited?" question of diffs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// Hashes of the lowercased words, sorted.
    words: Vec<u64>,
    /// A 256-bit sketch of the words (one bit per word hash) for a cheap bound of the Dice.
    sketch: [u64; 4],
    /// Length of the text in chars.
    pub chars: usize,
}

impl Shape {
    pub fn of(text: &str) -> Shape {
        let mut words: Vec<u64> = words(text)
            .map(|w| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                w.hash(&mut h);
                h.finish()
            })
            .collect();
        words.sort_unstable();
        let mut sketch = [0u64; 4];
        for w in &words {
            let bit = (w >> 56) as usize;
            if let Some(slot) = sketch.get_mut(bit / 64) {
                *slot |= 1 << (bit % 64);
            }
        }
        Shape {
            words,
            sketch,
            chars: text.chars().count(),
        }
    }

    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// The Dice coefficient of the two word multisets: 2·shared / (|a| + |b|). Two texts
    /// without words are alike when both are empty.
    pub fn dice(&self, other: &Shape) -> f32 {
        let total = self.words.len() + other.words.len();
        if total == 0 {
            return if self.chars == 0 && other.chars == 0 {
                1.0
            } else {
                0.0
            };
        }
        let (mut i, mut j, mut shared) = (0, 0, 0usize);
        while let (Some(x), Some(y)) = (self.words.get(i), other.words.get(j)) {
            match x.cmp(y) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        (2 * shared) as f32 / total as f32
    }

    /// An upper bound of [`Shape::dice`], cheap to compute: each sketch bit set on one side
    /// only stands for at least one word that the other text lacks.
    pub fn dice_bound(&self, other: &Shape) -> f32 {
        let (a, b) = (self.words.len(), other.words.len());
        if a + b == 0 {
            return 1.0;
        }
        let only = |x: &[u64; 4], y: &[u64; 4]| -> usize {
            x.iter()
                .zip(y)
                .map(|(p, q)| (p & !q).count_ones() as usize)
                .sum()
        };
        let shared = a
            .saturating_sub(only(&self.sketch, &other.sketch))
            .min(b.saturating_sub(only(&other.sketch, &self.sketch)));
        (2 * shared) as f32 / (a + b) as f32
    }
}

/// The similarity of two texts on their own (inverse document frequencies from just the two).
/// For many comparisons build one [`TermIndex`].
pub fn text_similarity(a: &str, b: &str) -> f32 {
    let mut index = TermIndex::new();
    let (x, y) = (index.add(a), index.add(b));
    index.similarity(x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_concatenate_to_the_text() {
        for text in [
            "",
            "Hej, verden!",
            "  MED-udvalg  ærø ÅØÆ\n\tslut.",
            "emoji 😀 og e\u{301}t ord",
        ] {
            assert_eq!(diff_tokens(text).concat(), text);
        }
        assert_eq!(
            diff_tokens("Arbejdsmiljø, på ø'en."),
            vec!["Arbejdsmiljø", ",", " ", "på", " ", "ø", "'", "en", "."]
        );
        assert_eq!(diff_tokens("a  b"), vec!["a", "  ", "b"]);
        assert_eq!(diff_tokens("!!"), vec!["!", "!"]);
    }

    #[test]
    fn stop_words_are_sorted() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn danish_stems() {
        assert_eq!(stem("medarbejderne"), "medarbejd");
        assert_eq!(stem("medarbejdere"), "medarbejd");
        assert_eq!(stem("inddrages"), "inddrag");
        assert_eq!(stem("arbejdsmiljøet"), "arbejdsmiljø");
        assert_eq!(stem("arbejdsmiljø"), "arbejdsmiljø");
        assert_eq!(stem("følges"), stem("følger"));
        assert_eq!(stem("implementeringen"), stem("implementering"));
        assert_eq!(stem("på"), "på");
        assert_eq!(stem(""), "");
        assert_eq!(stem("x"), "x");
    }

    #[test]
    fn danish_lowercasing() {
        assert_eq!(
            content_terms("ÆBLER ØRESUND ÅEN"),
            content_terms("æbler øresund åen")
        );
    }

    #[test]
    fn rewording_stays_similar() {
        let point = "at medarbejderne inddrages tidligt i implementeringen";
        let reworded = "HMU lægger vægt på, at medarbejdere bliver inddraget tidligt, når planen \
                        skal implementeres.";
        let unrelated = "Budgettet for 2026 forudsætter færre vikarer på botilbuddene.";
        let mut index = TermIndex::new();
        let p = index.add(point);
        let r = index.add(reworded);
        let u = index.add(unrelated);
        let close = index.similarity(p, r);
        let far = index.similarity(p, u);
        assert!(close >= 0.5, "{close}");
        assert!(far < 0.2, "{far}");
        assert_eq!(index.similarity(p, p), 1.0);
    }

    #[test]
    fn short_texts_are_damped() {
        let mut index = TermIndex::new();
        let short = index.add("Enige.");
        let long = index.add("Vi er enige i at planen er god og at den skal vedtages hurtigt.");
        assert!(index.similarity(short, long) <= 0.25);
    }

    /// Real Danish: LMU points and the joint response's rewording of them, and other points on
    /// the same subjects. Rewordings must reach the "draws on" threshold, other points stay
    /// well below it (at most 0.25; they score 0.17 and below).
    const REWORDED: &[(&str, &str)] = &[
        (
            "at medarbejderne inddrages tidligt i implementeringen",
            "HMU lægger vægt på, at medarbejdere bliver inddraget tidligt, når planen skal \
             implementeres.",
        ),
        (
            "Økonomien i planen er for usikker, og besparelser må ikke ramme borgerne direkte.",
            "HMU finder økonomien usikker og vil ikke acceptere besparelser, der rammer borgerne.",
        ),
        (
            "at arbejdsmiljøet følges tæt i MED-systemet",
            "Arbejdsmiljøet skal følges tæt af MED-systemet i hele perioden.",
        ),
        (
            "Vi savner en plan for rekruttering og fastholdelse af social- og \
             sundhedsassistenter.",
            "Der mangler en plan for, hvordan vi rekrutterer og fastholder social- og \
             sundhedsassistenter.",
        ),
        (
            "Nattevagterne på botilbuddene skal bevares, da beboernes sikkerhed ellers er i fare.",
            "HMU anbefaler, at nattevagterne bevares på botilbuddene af hensyn til beboernes \
             sikkerhed.",
        ),
        (
            "Digitaliseringen skal understøtte dokumentationen, ikke øge den.",
            "Digitalisering må ikke føre til mere dokumentation, men skal understøtte den.",
        ),
    ];
    const OTHER_POINTS: &[&str] = &[
        "Der skal afsættes midler til kompetenceudvikling af personalet.",
        "Planen bør evalueres efter et år i MED-systemet.",
        "Borgerne skal inddrages i udviklingen af deres egne tilbud.",
        "Vi bakker op om planens overordnede retning.",
        "Sygefraværet er steget, og det skal medarbejderne have hjælp til at nedbringe.",
    ];

    #[test]
    fn rewordings_reach_the_threshold_and_other_points_do_not() {
        let threshold = crate::model::provenance::DRAWS_ON;
        let mut index = TermIndex::new();
        let pairs: Vec<(TextId, TextId)> = REWORDED
            .iter()
            .map(|(a, b)| (index.add(a), index.add(b)))
            .collect();
        let others: Vec<TextId> = OTHER_POINTS.iter().map(|t| index.add(t)).collect();
        for (k, &(point, joint)) in pairs.iter().enumerate() {
            let s = index.similarity(point, joint);
            assert!(s >= threshold, "rewording {k}: {s}");
            for (l, &(other, _)) in pairs.iter().enumerate() {
                if l != k {
                    let s = index.similarity(other, joint);
                    assert!(s <= 0.25, "point {l} against rewording {k}: {s}");
                }
            }
            for &other in &others {
                let s = index.similarity(other, joint);
                assert!(
                    s < threshold / 2.0,
                    "other point against rewording {k}: {s}"
                );
            }
        }
    }

    #[test]
    fn dice_of_shapes() {
        let a = Shape::of("En to tre fire");
        let b = Shape::of("en to tre fem");
        assert!((a.dice(&b) - 0.75).abs() < 1e-6);
        assert_eq!(Shape::of("").dice(&Shape::of("")), 1.0);
        assert_eq!(Shape::of("!").dice(&Shape::of("")), 0.0);
        assert!(a.dice_bound(&b) >= a.dice(&b));
    }

    proptest::proptest! {
        /// The bound never cuts off a pair that is alike.
        #[test]
        fn dice_bound_bounds(a in "[a-eæ ]{0,60}", b in "[a-eæ ]{0,60}") {
            let (x, y) = (Shape::of(&a), Shape::of(&b));
            proptest::prop_assert!(x.dice_bound(&y) + 1e-6 >= x.dice(&y));
        }
    }
}
