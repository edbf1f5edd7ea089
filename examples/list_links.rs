//! List the network interfaces of a named namespace, like `ip -n NAME link show` (names and
//! indexes only): a netlink socket belongs for life to the namespace it was created in, so
//! it is created on a thread that has entered the namespace, with a current-thread tokio
//! runtime on that same thread.
//!
//! Needs root (CAP_SYS_ADMIN to enter): `sudo cargo run --example list_links NAME`.

use futures_util::TryStreamExt;
use netlink_packet_route::link::{LinkAttribute, LinkMessage};
use rnetns::netns::thread::run_in_netns;
use rnetns::{Netns, RunDir};
use std::os::fd::AsFd;

/// Dump the links of the calling thread's network namespace over rtnetlink.
fn links_here() -> Result<Vec<LinkMessage>, Box<dyn std::error::Error + Send + Sync>> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
    rt.block_on(async {
        let (conn, handle, _) = rtnetlink::new_connection()?;
        tokio::spawn(conn);
        let links: Vec<LinkMessage> = handle.link().get().execute().try_collect().await?;
        Ok(links)
    })
}

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let name = std::env::args_os().nth(1).ok_or("usage: list_links NAME")?;
    let ns = Netns::open(&RunDir::default().entry(&name))?.into_fd();

    let links = run_in_netns(ns.as_fd(), links_here)??;
    for link in links {
        let ifname = link.attributes.iter().find_map(|a| match a {
            LinkAttribute::IfName(n) => Some(n.as_str()),
            _ => None,
        });
        println!("{}: {}", link.header.index, ifname.unwrap_or("?"));
    }
    Ok(())
}
