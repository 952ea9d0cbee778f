//! Opaque cursors for the fake's cursor-paginated endpoints (the bulk tables
//! today): a position signed with the parameters of the request it came from.

/// FNV-1a over `parts`, each followed by a `0xff` separator.
pub(super) fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A cursor: the offset masked and signed with `params` (a hash of the
/// request's parameters), as 32 hex characters.
pub(super) fn encode(params: u64, offset: usize) -> String {
    let masked = offset as u64 ^ params.rotate_left(17);
    let check = fnv(&[&params.to_string(), &offset.to_string()]);
    format!("{masked:016x}{check:016x}")
}

/// The offset in a cursor made by [`encode`] with the same `params`; `None`
/// for anything else.
pub(super) fn decode(params: u64, cursor: &str) -> Option<usize> {
    if cursor.len() != 32 || !cursor.is_ascii() {
        return None;
    }
    let masked = u64::from_str_radix(&cursor[..16], 16).ok()?;
    let check = u64::from_str_radix(&cursor[16..], 16).ok()?;
    let offset = (masked ^ params.rotate_left(17)) as usize;
    (fnv(&[&params.to_string(), &offset.to_string()]) == check).then_some(offset)
}
