//! Renderers: records in, bytes out. Text is iproute2's exact text; JSON is its `-j` shape.

pub mod discover;
pub mod inspect;
mod ipaddr;
pub mod ipnames;
mod iproute;
pub mod json;
mod ss;
pub mod text;

pub use json::Json;
