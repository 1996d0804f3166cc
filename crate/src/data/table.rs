//! Tables of named columns, and the CSV/TSV reader that makes them from a person's file.
//!
//! The reader never panics and never silently changes data: everything it had to repair
//! (a byte-order mark, a non-UTF-8 file, short or long rows, duplicate or missing column
//! names) becomes a notice, and what it cannot read becomes a `CsvError` whose message says
//! what is wrong and where. Parsing itself is the `csv` crate's; sniffing the delimiter and
//! the header, typing columns and finding an unclosed quote are done here.

use std::collections::HashMap;
use std::fmt;

/// Largest file read (bytes). Checked before anything else, so a huge file is refused at once.
pub const MAX_BYTES: usize = 128_000_000;
/// Largest table (rows × columns) kept in memory.
pub const MAX_CELLS: usize = 16_000_000;
/// Cells that mean "no value" (after trimming), as pandas reads them.
pub const MISSING: [&str; 11] = ["", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "?", "-"];
/// Code of a missing cell in a text column.
pub const MISSING_CODE: u32 = u32::MAX;

/// One column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Numbers; NaN marks a missing cell.
    Numeric(Vec<f64>),
    /// Text: an index into `levels` per row (sorted levels), `MISSING_CODE` when missing.
    Text { codes: Vec<u32>, levels: Vec<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub values: Values,
}

impl Column {
    pub fn numeric(name: &str, values: Vec<f64>) -> Column {
        Column { name: name.into(), values: Values::Numeric(values) }
    }

    pub fn is_missing(&self, row: usize) -> bool {
        match &self.values {
            Values::Numeric(v) => v[row].is_nan(),
            Values::Text { codes, .. } => codes[row] == MISSING_CODE,
        }
    }

    pub fn missing(&self) -> usize {
        match &self.values {
            Values::Numeric(v) => v.iter().filter(|x| x.is_nan()).count(),
            Values::Text { codes, .. } => codes.iter().filter(|&&c| c == MISSING_CODE).count(),
        }
    }

    pub fn is_numeric(&self) -> bool {
        matches!(self.values, Values::Numeric(_))
    }

    /// The cell as text (numbers in their shortest form), or None when missing.
    pub fn text(&self, row: usize) -> Option<String> {
        match &self.values {
            Values::Numeric(v) => (!v[row].is_nan()).then(|| format!("{}", v[row])),
            Values::Text { codes, levels } => levels.get(codes[row] as usize).cloned(),
        }
    }
}

/// Named columns of equal length.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: usize,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// A file that cannot be read as a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    Empty,
    HeaderOnly,
    TooBig { bytes: usize },
    TooManyCells { cells: usize },
    UnclosedQuote { line: usize },
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::Empty => write!(f, "The file is empty: there is nothing to read."),
            CsvError::HeaderOnly => write!(f, "The file has a header row but no data rows."),
            CsvError::TooBig { bytes } => write!(
                f,
                "The file is {:.1} MB; Latih reads files of at most {} MB in the browser. Use a sample of the rows.",
                *bytes as f64 / 1e6,
                MAX_BYTES / 1_000_000
            ),
            CsvError::TooManyCells { cells } => write!(
                f,
                "The table has {cells} cells; Latih keeps at most {MAX_CELLS} (rows × columns) in the browser. Use a sample of the rows."
            ),
            CsvError::UnclosedQuote { line } => write!(
                f,
                "A quoted field opened on line {line} is never closed, so the rest of the file would be one cell. Close the quote (or remove it) and load the file again."
            ),
        }
    }
}

/// How the file was read, and what was repaired on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub table: Table,
    pub delimiter: u8,
    pub header: bool,
    pub notices: Vec<String>,
}

/// Choices that override what the reader would detect.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    pub delimiter: Option<u8>,
    pub header: Option<bool>,
}

/// Reads CSV or TSV bytes into a table.
pub fn read_csv(bytes: &[u8], options: CsvOptions) -> Result<Parsed, CsvError> {
    let mut reading = CsvReading::start(bytes, options)?;
    while !reading.step(usize::MAX)? {}
    reading.finish()
}

/// A CSV file being read a slice of records at a time, so a page can read a large file
/// without freezing (`read_csv` is the same reading in one go). Each record is read once for
/// the numbers, and once more for the columns that turned out to hold text.
pub struct CsvReading {
    reader: Option<csv::Reader<std::io::Cursor<Vec<u8>>>>,
    texts: bool,
    skip_header: bool,
    /// Bytes of the text, for the progress.
    length: usize,
    delimiter: u8,
    header: bool,
    width: usize,
    names: Vec<String>,
    builders: Vec<Builder>,
    ragged: usize,
    first_ragged: Option<(u64, usize)>,
    rows: usize,
    notices: Vec<String>,
}

impl CsvReading {
    /// Checks the file (size, encoding, delimiter, quotes, header) and sets up the reading.
    pub fn start(bytes: &[u8], options: CsvOptions) -> Result<CsvReading, CsvError> {
        if bytes.len() > MAX_BYTES {
            return Err(CsvError::TooBig { bytes: bytes.len() });
        }
        let mut notices = Vec::new();
        let mut bytes = bytes;
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            bytes = rest;
            notices.push("The file starts with a byte-order mark (as Excel writes); it was skipped.".into());
        }
        let text: String = match std::str::from_utf8(bytes) {
            Ok(t) => t.to_owned(),
            Err(e) => {
                let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
                notices.push(format!(
                    "The file is not UTF-8 (line {line} has a byte that is not); it was read as Latin-1. If accents look wrong, save the file as UTF-8."
                ));
                // Latin-1 maps each byte to the code point of the same value.
                bytes.iter().map(|&b| b as char).collect()
            }
        };
        if text.trim().is_empty() {
            return Err(CsvError::Empty);
        }
        let delimiter = options.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
        if let Some(line) = unclosed_quote(&text, delimiter) {
            return Err(CsvError::UnclosedQuote { line });
        }
        // The first two rows decide the header; the whole file is read column-wise by `step`.
        let mut records: Vec<Vec<String>> = Vec::new();
        for_each_record(&text, delimiter, false, |record| {
            records.push(record.iter().map(str::to_owned).collect());
            records.len() < 2
        });
        if records.is_empty() {
            return Err(CsvError::Empty);
        }
        let header = options.header.unwrap_or_else(|| looks_like_header(&records, &text, delimiter));
        let width = records[0].len();
        let names = if header {
            header_names(&records[0], &mut notices)
        } else {
            (1..=width).map(|i| format!("column {i}")).collect()
        };
        let length = text.len();
        Ok(CsvReading {
            reader: Some(records_of(text.into_bytes(), delimiter)),
            texts: false,
            skip_header: header,
            length,
            delimiter,
            header,
            width,
            names,
            builders: (0..width).map(|_| Builder::default()).collect(),
            ragged: 0,
            first_ragged: None,
            rows: 0,
            notices,
        })
    }

    /// Reads up to `records` more records; true when the whole file is read.
    pub fn step(&mut self, records: usize) -> Result<bool, CsvError> {
        let mut record = csv::StringRecord::new();
        let mut read = 0;
        while read < records {
            let Some(reader) = self.reader.as_mut() else { return Ok(true) };
            // Reading bytes in memory cannot fail with an I/O error; any error ends the file.
            if !reader.read_record(&mut record).unwrap_or(false) {
                self.end_pass();
                continue;
            }
            if record.len() == 1 && record[0].trim().is_empty() {
                continue;
            }
            if self.skip_header {
                self.skip_header = false;
                continue;
            }
            read += 1;
            if self.texts {
                for (c, b) in self.builders.iter_mut().enumerate().filter(|(_, b)| b.is_text) {
                    b.push_text(record.get(c).unwrap_or(""));
                }
                continue;
            }
            if record.len() != self.width {
                self.ragged += 1;
                if self.first_ragged.is_none() {
                    self.first_ragged = Some((record.position().map_or(0, |p| p.line()), record.len()));
                }
            }
            for (c, b) in self.builders.iter_mut().enumerate() {
                b.push(record.get(c).unwrap_or(""));
            }
            self.rows += 1;
            let cells = self.rows.saturating_mul(self.width);
            if cells > MAX_CELLS {
                return Err(CsvError::TooManyCells { cells });
            }
        }
        Ok(self.reader.is_none())
    }

    /// After the numbers, the text columns' cells are read in a second pass (when there are any).
    fn end_pass(&mut self) {
        let Some(reader) = self.reader.take() else { return };
        if !self.texts && self.builders.iter().any(|b| b.is_text) {
            self.texts = true;
            self.skip_header = self.header;
            self.reader = Some(records_of(reader.into_inner().into_inner(), self.delimiter));
        }
    }

    /// How much of the reading is done, from 0 to 1.
    pub fn progress(&self) -> f64 {
        let Some(reader) = &self.reader else { return 1.0 };
        let at = reader.position().byte() as f64 / self.length.max(1) as f64;
        match (self.texts, self.builders.iter().any(|b| b.is_text)) {
            (true, _) => 0.5 + at / 2.0,
            (false, true) => at / 2.0,
            (false, false) => at,
        }
    }

    /// Rows read so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The table read (call once `step` returned true).
    pub fn finish(mut self) -> Result<Parsed, CsvError> {
        if self.rows == 0 {
            return Err(if self.header { CsvError::HeaderOnly } else { CsvError::Empty });
        }
        let (ragged, width) = (self.ragged, self.width);
        if let Some((line, got)) = self.first_ragged {
            self.notices.push(format!(
                "{ragged} row{} did not have {width} fields like the {} (first: line {line} has {got}); short rows were padded with missing values and extra fields dropped.",
                if ragged == 1 { "" } else { "s" },
                if self.header { "header" } else { "first row" }
            ));
        }
        let mut columns: Vec<Column> = Vec::with_capacity(width);
        for (name, b) in self.names.into_iter().zip(self.builders) {
            if b.count_present == 0 {
                self.notices.push(format!(
                    "Column “{name}” has no values at all; it is kept for the summary but cannot be used as an input."
                ));
            }
            columns.push(Column { name, values: b.finish() });
        }
        let rows = self.rows;
        Ok(Parsed {
            table: Table { columns, rows },
            delimiter: self.delimiter,
            header: self.header,
            notices: self.notices,
        })
    }
}

impl fmt::Debug for CsvReading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CsvReading").field("rows", &self.rows).field("progress", &self.progress()).finish()
    }
}

fn records_of(bytes: Vec<u8>, delimiter: u8) -> csv::Reader<std::io::Cursor<Vec<u8>>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(std::io::Cursor::new(bytes))
}

/// Builds one column: numbers while every present cell is a number. The first cell that is
/// not makes it a text column, whose cells are then collected as written in a second pass
/// (keeping every cell's text from the start would cost an allocation per cell).
#[derive(Default)]
struct Builder {
    numbers: Vec<f64>,
    is_text: bool,
    /// Text cells as ids into `seen` (in order of first appearance), MISSING_CODE for missing:
    /// one allocation per distinct text, not per cell.
    text: Vec<u32>,
    seen: HashMap<String, u32>,
    count_present: usize,
}

impl Builder {
    fn push(&mut self, cell: &str) {
        let t = cell.trim();
        let missing = MISSING.contains(&t);
        if !missing {
            self.count_present += 1;
        }
        if self.is_text {
            return;
        }
        match t.parse::<f64>() {
            _ if missing => self.numbers.push(f64::NAN),
            Ok(v) if v.is_finite() => self.numbers.push(v),
            _ => {
                self.is_text = true;
                self.numbers = Vec::new();
            }
        }
    }

    fn push_text(&mut self, cell: &str) {
        let t = cell.trim();
        let id = if MISSING.contains(&t) {
            MISSING_CODE
        } else if let Some(&id) = self.seen.get(t) {
            id
        } else {
            let id = self.seen.len() as u32;
            self.seen.insert(t.to_owned(), id);
            id
        };
        self.text.push(id);
    }

    /// The column's values; a text column's levels sorted, its codes indices into them.
    fn finish(self) -> Values {
        if !self.is_text {
            return Values::Numeric(self.numbers);
        }
        let mut by_id: Vec<(String, u32)> = self.seen.into_iter().collect();
        by_id.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut code_of = vec![MISSING_CODE; by_id.len()];
        for (code, (_, id)) in by_id.iter().enumerate() {
            code_of[*id as usize] = code as u32;
        }
        let codes =
            self.text.iter().map(|&id| if id == MISSING_CODE { MISSING_CODE } else { code_of[id as usize] }).collect();
        Values::Text { codes, levels: by_id.into_iter().map(|(level, _)| level).collect() }
    }
}

/// Calls `each` with every data record (blank lines and the header skipped).
fn for_each_record(text: &str, delimiter: u8, header: bool, mut each: impl FnMut(&csv::StringRecord) -> bool) {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut skip_header = header;
    // Reading a &str cannot fail with an I/O error; any error ends the file rather than panics.
    while reader.read_record(&mut record).unwrap_or(false) {
        if record.len() == 1 && record[0].trim().is_empty() {
            continue;
        }
        if skip_header {
            skip_header = false;
            continue;
        }
        if !each(&record) {
            return;
        }
    }
}

/// The delimiter that splits the first lines most consistently (comma when none does).
fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let mut best = (b',', 0usize);
    for d in [b',', b'\t', b';', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let first = counts[0];
        if first == 0 {
            continue;
        }
        // How many lines agree with the first line's count.
        let agree = counts.iter().filter(|&&c| c == first).count();
        let score = agree * 1000 + first;
        if agree * 2 >= counts.len() && score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, d: u8) -> usize {
    let mut quoted = false;
    line.bytes()
        .filter(|&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            b == d && !quoted
        })
        .count()
}

/// The line of a quote that opens a field and is never closed.
fn unclosed_quote(text: &str, d: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    // Most files have no quote at all; memchr finds that many times faster than the walk below.
    memchr::memchr(b'"', bytes)?;
    let (mut line, mut open_line) = (1usize, 0usize);
    let (mut quoted, mut field_start) = (false, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1; // an escaped quote
                } else {
                    quoted = false;
                }
            } else if b == b'\n' {
                line += 1;
            }
        } else if b == b'"' && field_start {
            quoted = true;
            open_line = line;
        } else if b == b'\n' {
            line += 1;
        }
        field_start = !quoted && (b == d || b == b'\n' || (field_start && (b == b' ' || b == b'\r')));
        i += 1;
    }
    quoted.then_some(open_line)
}

fn is_number(cell: &str) -> bool {
    cell.trim().parse::<f64>().is_ok_and(f64::is_finite)
}

/// A first row is a header when it names columns whose values below are numbers, or when all
/// its cells are distinct non-numeric text that does not recur in its column.
fn looks_like_header(first_two: &[Vec<String>], text: &str, d: u8) -> bool {
    let row0 = &first_two[0];
    if row0.iter().any(|c| is_number(c)) {
        return false;
    }
    // Sample the first rows below to see which columns hold numbers.
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(d).from_reader(text.as_bytes());
    let sample: Vec<csv::StringRecord> = reader.records().skip(1).take(50).filter_map(Result::ok).collect();
    let mut votes = 0i32;
    for (c, name) in row0.iter().enumerate() {
        let cells: Vec<&str> =
            sample.iter().filter_map(|r| r.get(c)).map(str::trim).filter(|s| !MISSING.contains(s)).collect();
        if !cells.is_empty() && cells.iter().all(|s| is_number(s)) {
            votes += 1;
        } else if cells.contains(&name.trim()) {
            votes -= 1;
        }
    }
    let mut distinct: Vec<&str> = row0.iter().map(|s| s.trim()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    votes > 0 || (votes == 0 && distinct.len() == row0.len() && row0.iter().all(|s| !s.trim().is_empty()))
}

/// Header cells as column names: empty ones get a position name, duplicates a number.
fn header_names(row: &[String], notices: &mut Vec<String>) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(row.len());
    let mut unnamed = 0;
    let mut renamed = Vec::new();
    for (i, cell) in row.iter().enumerate() {
        let base = cell.trim();
        let base = if base.is_empty() {
            unnamed += 1;
            format!("column {}", i + 1)
        } else {
            base.to_owned()
        };
        let mut name = base.clone();
        let mut k = 2;
        while names.contains(&name) {
            name = format!("{base} ({k})");
            k += 1;
        }
        if name != base {
            renamed.push(format!("“{base}” → “{name}”"));
        }
        names.push(name);
    }
    if unnamed > 0 {
        notices.push(format!(
            "{unnamed} column{} had no name and were named by position.",
            if unnamed == 1 { "" } else { "s" }
        ));
    }
    if !renamed.is_empty() {
        notices.push(format!("Column names must differ; repeated ones were renamed: {}.", renamed.join(", ")));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Result<Parsed, CsvError> {
        read_csv(s.as_bytes(), CsvOptions::default())
    }

    fn numbers(p: &Parsed, c: usize) -> Vec<f64> {
        match &p.table.columns[c].values {
            Values::Numeric(v) => v.clone(),
            other => panic!("column {c} is not numeric: {other:?}"),
        }
    }

    #[test]
    fn text_levels_are_sorted_whatever_order_they_first_appear_in() {
        let p = read("k,t\n1,pear\n2,apple\n3,\n4,pear\n5, fig \n6,NA\n7,apple\n").expect("reads");
        let levels = vec!["apple".to_string(), "fig".into(), "pear".into()];
        let codes = vec![2, 0, MISSING_CODE, 2, 1, MISSING_CODE, 0];
        assert_eq!(p.table.columns[1].values, Values::Text { codes, levels });
    }

    #[test]
    fn reads_a_plain_csv_with_header_and_types() {
        let p = read("a,b,name\n1,2.5,x\n3,-4e2,y\n").expect("reads");
        assert!(p.header);
        assert_eq!(p.table.rows, 2);
        assert_eq!(p.table.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["a", "b", "name"]);
        assert_eq!(numbers(&p, 1), [2.5, -400.0]);
        assert_eq!(p.table.columns[2].values, Values::Text { codes: vec![0, 1], levels: vec!["x".into(), "y".into()] });
        assert!(p.notices.is_empty(), "{:?}", p.notices);
    }

    #[test]
    fn sniffs_tab_and_semicolon_and_handles_quotes() {
        let p = read("x\ty\n1\t2\n3\t4\n").expect("tsv");
        assert_eq!((p.delimiter, numbers(&p, 1)), (b'\t', vec![2.0, 4.0]));
        let p = read("x;label\n1,5;\"a;b\"\n2;\"say \"\"hi\"\"\"\n").expect("semicolon");
        assert_eq!(p.delimiter, b';');
        assert_eq!(p.table.columns[1].text(0).as_deref(), Some("a;b"));
        assert_eq!(p.table.columns[1].text(1).as_deref(), Some("say \"hi\""));
        // "1,5" is not a number here (the decimal comma), so x is text.
        assert!(!p.table.columns[0].is_numeric());
    }

    #[test]
    fn a_numeric_first_row_is_data_not_a_header() {
        let p = read("1,2\n3,4\n").expect("reads");
        assert!(!p.header);
        assert_eq!(p.table.rows, 2);
        assert_eq!(p.table.columns[0].name, "column 1");
    }

    #[test]
    fn missing_cells_become_nan_or_missing_codes() {
        let p = read("v,c\n1,a\nNA,\n,b\n?,NA\n").expect("reads");
        let v = numbers(&p, 0);
        assert_eq!(v[0], 1.0);
        assert!(v[1..].iter().all(|x| x.is_nan()));
        assert_eq!(p.table.columns[1].missing(), 2);
        assert_eq!(p.table.columns[0].missing(), 3);
    }

    #[test]
    fn a_number_column_with_one_text_cell_becomes_text_as_written() {
        let p = read("v\n1.50\n2\nlots\n").expect("reads");
        let Values::Text { levels, codes } = &p.table.columns[0].values else { panic!("text") };
        assert_eq!(levels, &["1.50", "2", "lots"]);
        assert_eq!(codes, &[0, 1, 2]);
    }

    #[test]
    fn empty_and_header_only_files_are_refused_with_a_reason() {
        assert_eq!(read(""), Err(CsvError::Empty));
        assert_eq!(read(" \n\n"), Err(CsvError::Empty));
        assert_eq!(read("a,b,c\n"), Err(CsvError::HeaderOnly));
        assert!(CsvError::HeaderOnly.to_string().contains("no data rows"));
    }

    #[test]
    fn ragged_rows_are_padded_or_cut_with_a_notice() {
        let p = read("a,b,c\n1,2,3\n4,5\n6,7,8,9\n").expect("reads");
        assert_eq!(p.table.rows, 3);
        assert!(numbers(&p, 2)[1].is_nan());
        assert_eq!(numbers(&p, 2)[2], 8.0);
        assert!(p.notices.iter().any(|n| n.contains("2 rows") && n.contains("line 3 has 2")), "{:?}", p.notices);
    }

    #[test]
    fn an_unclosed_quote_is_refused_with_its_line() {
        let err = read("a,b\n1,2\n3,\"oops\n4,5\n").expect_err("unclosed");
        assert_eq!(err, CsvError::UnclosedQuote { line: 3 });
        assert!(err.to_string().contains("line 3"));
        // Quotes inside a field (not at its start) are text, and escaped quotes are fine.
        assert!(read("a,b\n5\" pipe,\"x \"\"y\"\"\"\n").is_ok());
    }

    #[test]
    fn non_utf8_is_read_as_latin1_with_a_notice_and_a_bom_is_skipped() {
        let p = read_csv(b"name,v\ncaf\xe9,1\n", CsvOptions::default()).expect("reads");
        assert_eq!(p.table.columns[0].text(0).as_deref(), Some("café"));
        assert!(p.notices.iter().any(|n| n.contains("not UTF-8") && n.contains("line 2")), "{:?}", p.notices);
        let p = read_csv(b"\xEF\xBB\xBFx,y\n1,2\n", CsvOptions::default()).expect("reads");
        assert_eq!(p.table.columns[0].name, "x");
        assert!(p.notices.iter().any(|n| n.contains("byte-order mark")));
    }

    #[test]
    fn duplicate_and_empty_names_are_renamed_and_markup_is_kept_as_text() {
        let p = read("x,x,,<b>y</b>\nq,2,3,4\nr,5,6,7\n").expect("reads");
        let names: Vec<&str> = p.table.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["x", "x (2)", "column 3", "<b>y</b>"]);
        assert!(p.notices.iter().any(|n| n.contains("renamed")));
    }

    #[test]
    fn all_missing_columns_are_kept_with_a_notice() {
        let p = read("a,b\n1,\n2,NA\n").expect("reads");
        assert_eq!(p.table.columns[1].missing(), 2);
        assert!(p.notices.iter().any(|n| n.contains("“b” has no values")));
    }

    #[test]
    fn too_big_is_refused_before_reading() {
        let big = vec![b'1'; MAX_BYTES + 1];
        let err = read_csv(&big, CsvOptions::default()).expect_err("too big");
        assert!(matches!(err, CsvError::TooBig { .. }));
        assert!(err.to_string().contains("at most 128 MB"), "{err}");
    }

    #[test]
    fn options_override_detection() {
        let p = read_csv(b"a;b\n1;2\n", CsvOptions { delimiter: Some(b','), header: Some(false) }).expect("reads");
        assert_eq!((p.table.columns.len(), p.table.rows), (1, 2));
    }

    #[test]
    fn reading_in_slices_gives_the_same_table_as_reading_at_once() {
        let mut mixed = String::from("height,colour,weight,kind\n");
        for i in 0..300 {
            let colour = ["red", "blue", "", "green"][i % 4];
            let weight = if i % 17 == 0 { "NA".to_string() } else { format!("{}.5", 50 + i % 20) };
            mixed.push_str(&format!(
                "{},{colour},{weight},{}\n",
                150 + i % 13,
                if i % 2 == 0 { "short" } else { "tall" }
            ));
            if i % 50 == 0 {
                mixed.push_str("1,2\n\n"); // a short row and a blank line
            }
        }
        let files: [&[u8]; 4] =
            [mixed.as_bytes(), b"1;2;3\n4;5;6\n7;8;9\n", b"a,b\ncaf\xe9,1\nna\xefve,2\n", b"\xEF\xBB\xBFx\n1\n2\n3\n"];
        for file in files {
            let whole = read_csv(file, CsvOptions::default()).expect("reads");
            for slice in [1, 3, 64] {
                let mut reading = CsvReading::start(file, CsvOptions::default()).expect("starts");
                let mut last = 0.0;
                while !reading.step(slice).expect("reads a slice") {
                    let p = reading.progress();
                    assert!((last..=1.0).contains(&p), "progress went from {last} to {p}");
                    last = p;
                }
                assert_eq!(reading.progress(), 1.0);
                // Compared as text: a missing number is NaN, which is not equal to itself.
                let sliced = reading.finish().expect("finishes");
                assert_eq!(format!("{sliced:?}"), format!("{whole:?}"), "slices of {slice}");
            }
        }
        // A file over the cell limit stops with the same error, slice or not.
        let wide = format!("{}\n", vec!["1"; 1000].join(",")).repeat(MAX_CELLS / 1000 + 2);
        let mut reading = CsvReading::start(wide.as_bytes(), CsvOptions::default()).expect("starts");
        let stopped = loop {
            match reading.step(100) {
                Ok(true) => panic!("read past the cell limit"),
                Ok(false) => {}
                Err(e) => break e,
            }
        };
        assert_eq!(Err(stopped), read_csv(wide.as_bytes(), CsvOptions::default()).map(|_| ()));
    }
}
