//! `minhbach-data.zip`: the data files in one download, under a folder
//! `minhbach-data/`, with a `SHA256SUMS` of its own. Deterministic: entries
//! sorted by name, every time stamp the date of the data, fixed permissions.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::model::Model;

use super::DataFile;

pub const FOLDER: &str = "minhbach-data";

/// The zip of `files` (every data file but the zip itself, the catalogue
/// and the data page, which describe the zip).
pub fn zip(model: &Model, files: &[DataFile]) -> Result<Vec<u8>, String> {
    write(model, files).map_err(|e| format!("cannot write {}: {e}", super::ZIP_NAME))
}

fn write(model: &Model, files: &[DataFile]) -> zip::result::ZipResult<Vec<u8>> {
    let stamp = super::data_date(model)
        .and_then(|d| {
            let year = u16::try_from(d.year).ok()?.clamp(1980, 2107);
            DateTime::from_date_and_time(year, d.month, d.day, 0, 0, 0).ok()
        })
        .unwrap_or_default();
    let mut entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|f| (f.name.as_str(), f.bytes.as_slice()))
        .collect();
    let sums = super::checksums(entries.iter().copied());
    entries.push((sums.name.as_str(), sums.bytes.as_slice()));
    entries.sort_by(|a, b| a.0.cmp(b.0));

    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        // Workbooks are zips already: store them as they are.
        let method = if name.ends_with(".xlsx") {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(stamp)
            .unix_permissions(0o644);
        w.start_file(format!("{FOLDER}/{name}"), options)?;
        w.write_all(bytes)?;
    }
    Ok(w.finish()?.into_inner())
}
