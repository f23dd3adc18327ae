//! How deeply a JSON text nests, measured without parsing it.
//!
//! JSON parsers recurse once per level of nesting, so a line of a few thousand `[` can
//! overflow a small thread stack before any recursion limit of the parser applies (and
//! an overflow aborts the whole process). This scan is a flat loop over the bytes: it
//! bounds the depth before a parser sees the line.

/// Whether `text` opens more than `max` arrays or objects inside one another.
///
/// Brackets inside JSON strings do not count (escaped quotes are understood). The scan
/// does not validate the text: anything malformed is left for the parser to refuse.
pub fn nesting_depth_exceeds(text: &str, max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in text.as_bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_arrays_and_objects_inside_one_another() {
        assert!(!nesting_depth_exceeds(r#"{"type":"who"}"#, 1));
        assert!(!nesting_depth_exceeds(r#"{"roster":["a","b"]}"#, 2));
        assert!(nesting_depth_exceeds(r#"{"roster":["a","b"]}"#, 1));
        assert!(nesting_depth_exceeds(r#"{"a":{"a":{"a":1}}}"#, 2));
        assert!(!nesting_depth_exceeds("[][][][][]", 1));
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let text = r#"{"type":"say","text":"[[[{{{ \"[[[ \\"}"#;
        assert!(!nesting_depth_exceeds(text, 1));
        assert!(nesting_depth_exceeds(r#"{"text":"\\",[[1]]}"#, 2));
    }

    #[test]
    fn a_deep_line_is_caught_before_or_after_its_type() {
        let deep = "[".repeat(5000);
        assert!(nesting_depth_exceeds(
            &format!(r#"{{"type":"say","x":{deep}}}"#),
            8
        ));
        assert!(nesting_depth_exceeds(
            &format!(r#"{{"x":{deep},"type":"say"}}"#),
            8
        ));
    }

    proptest! {
        #[test]
        fn agrees_with_the_depth_of_what_it_scans(depth in 0usize..40, max in 0usize..40) {
            let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            prop_assert_eq!(nesting_depth_exceeds(&text, max), depth > max);
        }
    }
}
