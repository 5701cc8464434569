//! Stable sorting by a numeric key, through one instantiation of the standard library's sort.
//!
//! Why not `sort_by_key`: each element type and comparator it is called with gets its own copy of
//! the standard sort in the module (driftsort with its small-sort networks: 5–10 KB of wasm each),
//! and the page downloads every copy. Here every caller sorts `(key, index)` pairs, one type, and
//! then moves its elements into that order; the index makes keys unique, so an unstable sort of
//! the pairs gives the stable order.

/// Sorts `items` by `key`, keeping items with equal keys in the order they had (a stable sort).
pub(crate) fn stable_sort_by_key<T>(items: &mut [T], key: impl Fn(&T) -> u64) {
    if items.len() < 2 {
        return;
    }
    let pairs: Vec<(u64, usize)> = items.iter().enumerate().map(|(i, item)| (key(item), i)).collect();
    let order = sorted_indices(pairs);
    permute(items, &order);
}

/// The indices of `pairs` in ascending `(key, index)` order. Not generic: one sort in the module.
#[inline(never)]
fn sorted_indices(mut pairs: Vec<(u64, usize)>) -> Vec<usize> {
    pairs.sort_unstable();
    pairs.into_iter().map(|(_, i)| i).collect()
}

/// Moves `items[order[j]]` to position `j`, in place, following each cycle of the permutation
/// with swaps (no `Clone` or `Default` needed of `T`).
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        if placed.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut here = start;
        loop {
            if let Some(p) = placed.get_mut(here) {
                *p = true;
            }
            let from = order.get(here).copied().unwrap_or(start);
            if from == start || from >= items.len() {
                break;
            }
            items.swap(here, from);
            here = from;
        }
    }
}

/// An `f64` as a `u64` that sorts the same way as [`f64::total_cmp`]: flip every bit of a negative
/// number, only the sign bit of a positive one (IEEE 754 §5.10 totalOrder).
pub(crate) fn f64_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::XorShift;

    #[test]
    fn matches_the_standard_stable_sort() {
        let mut rng = XorShift(7);
        for len in 0..200usize {
            // Few distinct keys, so many ties: stability is what is being tested.
            let items: Vec<(u64, usize)> = (0..len).map(|i| (rng.next() % 5, i)).collect();
            let mut ours = items.clone();
            stable_sort_by_key(&mut ours, |&(k, _)| k);
            let mut std_sorted = items.clone();
            std_sorted.sort_by_key(|&(k, _)| k);
            assert_eq!(ours, std_sorted, "length {len}");
        }
    }

    #[test]
    fn moves_items_without_clone() {
        let mut items: Vec<String> = ["d", "b", "a", "c", "b"].iter().map(|s| s.to_string()).collect();
        stable_sort_by_key(&mut items, |s| u64::from(s.as_bytes()[0]));
        assert_eq!(items, ["a", "b", "b", "c", "d"]);
    }

    #[test]
    fn f64_keys_sort_like_total_cmp() {
        let mut values = vec![3.5, -0.0, 0.0, -1.0, f64::INFINITY, f64::NEG_INFINITY, 1e-300, -1e300, 2.0, f64::NAN];
        let mut by_key = values.clone();
        by_key.sort_by_key(|&x| f64_key(x));
        values.sort_by(f64::total_cmp);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&by_key), bits(&values));
    }
}
