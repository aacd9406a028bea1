//! Where the rows of a workbook's sheets wait until the workbook is
//! written: a sheet's XML starts with its size and column widths, known
//! only once every row is in, and styles.xml, which comes before the
//! sheets, once every sheet is. The rows stay in memory up to [`IN_MEMORY`]
//! bytes (most of a province's workbooks), then go on in a temporary file (the
//! national workbooks: hundreds of megabytes of XML).

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

/// Bytes kept in memory before the spool moves them to a temporary file:
/// 15 MiB, so that the buffer stays within 16 MiB of capacity (a row adds
/// far less than the margin).
const IN_MEMORY: usize = 15 << 20;

/// A temporary file, removed when dropped (at once where the system lets
/// an open file be removed).
struct TempFile {
    file: File,
    path: Option<PathBuf>,
}

impl TempFile {
    fn new() -> io::Result<TempFile> {
        let dir = std::env::temp_dir();
        let pid = std::process::id();
        for n in 0u32.. {
            let path = dir.join(format!("minhbach-xlsx-{pid}-{n}.tmp"));
            match OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => {
                    let path = std::fs::remove_file(&path).err().map(|_| path);
                    return Ok(TempFile { file, path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(io::Error::new(
                        e.kind(),
                        format!(
                            "no temporary file for the workbook in {}: {e}",
                            dir.display()
                        ),
                    ))
                }
            }
        }
        Err(io::Error::other("no free temporary file name"))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            // Nothing more to do when it is gone already.
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Bytes written once, read back in ranges, in order.
#[derive(Default)]
pub struct Spool {
    /// The bytes past those of the file.
    pub buf: Vec<u8>,
    file: Option<TempFile>,
    /// Bytes in the file.
    in_file: u64,
}

impl Spool {
    /// Bytes written so far.
    pub fn len(&self) -> u64 {
        self.in_file + self.buf.len() as u64
    }

    /// Moves the bytes in memory to the file when they are too many.
    pub fn settle(&mut self) -> io::Result<()> {
        if self.buf.len() < IN_MEMORY {
            return Ok(());
        }
        if self.file.is_none() {
            self.file = Some(TempFile::new()?);
        }
        if let Some(t) = &mut self.file {
            t.file.seek(SeekFrom::End(0))?;
            t.file.write_all(&self.buf)?;
        }
        self.in_file += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Copies bytes `from..to` to `out`.
    pub fn copy(&mut self, from: u64, to: u64, out: &mut dyn Write) -> io::Result<()> {
        let mut at = from;
        if at < self.in_file.min(to) {
            if let Some(t) = &mut self.file {
                t.file.seek(SeekFrom::Start(at))?;
                let mut chunk = vec![0; 64 << 10];
                while at < self.in_file.min(to) {
                    let want = (self.in_file.min(to) - at).min(chunk.len() as u64) as usize;
                    t.file.read_exact(&mut chunk[..want])?;
                    out.write_all(&chunk[..want])?;
                    at += want as u64;
                }
            }
        }
        if at < to {
            let start = usize::try_from(at - self.in_file).map_err(io::Error::other)?;
            let end = usize::try_from(to - self.in_file).map_err(io::Error::other)?;
            let bytes = self
                .buf
                .get(start..end)
                .ok_or_else(|| io::Error::other("spool range out of bounds"))?;
            out.write_all(bytes)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_come_back_from_memory_and_from_the_file() {
        let mut s = Spool::default();
        let data: Vec<u8> = (0..(IN_MEMORY + 1000)).map(|i| (i % 251) as u8).collect();
        s.buf.extend_from_slice(&data[..IN_MEMORY + 10]);
        s.settle().expect("settles");
        assert!(s.buf.is_empty());
        s.buf.extend_from_slice(&data[IN_MEMORY + 10..]);
        assert_eq!(s.len(), data.len() as u64);
        for (from, to) in [(0, 5), (5, IN_MEMORY + 500), (IN_MEMORY + 20, data.len())] {
            let mut out = Vec::new();
            s.copy(from as u64, to as u64, &mut out).expect("copies");
            assert_eq!(out, data[from..to], "{from}..{to}");
        }
    }
}
