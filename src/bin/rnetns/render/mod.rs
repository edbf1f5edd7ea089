//! Renderers (the binary's: the library returns records, it never prints): records in,
//! bytes out. Text is iproute2's exact text; JSON is its `-j` shape.

pub mod discover;
pub mod inspect;
mod ipaddr;
pub mod ipnames;
mod iproute;
pub mod json;
mod ss;
pub mod text;
