pub mod diag;
pub mod format;
pub mod input;
pub mod load;
pub mod yaml;
