//! How results are printed: a table for people, JSON (`--json`) for scripts.

use std::fmt::Write;

use hdrhistogram::Histogram;
use serde::Serialize;

/// Percentiles of a latency histogram, in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Latency {
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// 99.9th percentile.
    pub p999_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

impl Latency {
    /// Reads the percentiles of a histogram of nanoseconds.
    pub fn from_ns(histogram: &Histogram<u64>) -> Self {
        let ms = |ns: u64| ns as f64 / 1e6;
        if histogram.is_empty() {
            return Self::default();
        }
        Self {
            p50_ms: ms(histogram.value_at_quantile(0.50)),
            p99_ms: ms(histogram.value_at_quantile(0.99)),
            p999_ms: ms(histogram.value_at_quantile(0.999)),
            max_ms: ms(histogram.max()),
        }
    }
}

/// A result that can be shown as a table: a header row, then one row per figure.
pub trait Tabular {
    /// The column titles (the first is the figures' column).
    fn header(&self) -> Vec<String>;
    /// One row per figure: its name, then one cell per column.
    fn rows(&self) -> Vec<Vec<String>>;
}

/// Prints `result` to stdout, as JSON or as an aligned table.
pub fn print<T: Serialize + Tabular>(result: &T, json: bool) -> anyhow::Result<()> {
    print_tables(result, &[result], json)
}

/// Prints `result` to stdout as JSON, or `parts` of it as aligned tables one after
/// another: for a scenario whose figures do not share one set of columns.
pub fn print_tables<T: Serialize>(
    result: &T,
    parts: &[&dyn Tabular],
    json: bool,
) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(result)?);
    } else {
        let tables: Vec<String> = parts
            .iter()
            .map(|part| table(&part.header(), &part.rows()))
            .collect();
        print!("{}", tables.join("\n"));
    }
    Ok(())
}

/// Lays rows out in columns: the first left-aligned, the others right-aligned.
fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let all: Vec<&[String]> = std::iter::once(header)
        .chain(rows.iter().map(Vec::as_slice))
        .collect();
    let columns = all.iter().map(|row| row.len()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            all.iter()
                .filter_map(|row| row.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (index, row) in all.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let _ = match c {
                0 => write!(out, "{cell:<width$}", width = widths[0]),
                _ => write!(out, "  {cell:>width$}", width = widths[c]),
            };
        }
        out.push('\n');
        if index == 0 {
            let rule = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
            out.push_str(&"-".repeat(rule));
            out.push('\n');
        }
    }
    out
}

/// A number with thousands separators, for counts.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A byte count in KiB or MiB.
pub fn bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} KiB", n as f64 / 1024.0)
    }
}

/// An optional figure, or a dash.
pub fn maybe<T>(value: Option<T>, show: impl Fn(T) -> String) -> String {
    value.map_or_else(|| "-".to_owned(), show)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns() {
        let text = table(
            &["figure".into(), "a".into()],
            &[vec!["deliveries/s".into(), "1,000".into()]],
        );
        assert_eq!(
            text,
            "figure            a\n-------------------\ndeliveries/s  1,000\n"
        );
    }

    #[test]
    fn formats_counts_and_sizes() {
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(12), "12");
        assert_eq!(bytes(2048), "2.0 KiB");
        assert_eq!(bytes(64 << 20), "64.0 MiB");
        assert_eq!(bytes(1536 << 10), "1.5 MiB");
        assert_eq!(maybe(None::<u8>, |v| v.to_string()), "-");
    }
}
