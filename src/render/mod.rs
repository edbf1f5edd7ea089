//! Renderers: records in, bytes out. Text is iproute2's exact text; JSON is its `-j` shape.

pub mod discover;
pub mod inspect;
pub mod ipnames;
pub mod json;
pub mod text;

pub use json::Json;
