//! sock_diag for `inspect`: the TCP and UDP sockets of a namespace, as `ss -tuapn` lists
//! them, over a NETLINK_SOCK_DIAG socket created inside it. Messages are built and parsed
//! with netlink-packet-sock-diag; the reads are plain blocking ones (no runtime).

use std::net::{IpAddr, SocketAddr};

use crate::error::Errno;
use netlink_packet_core::{NLM_F_DUMP, NLM_F_REQUEST, NetlinkBuffer, NetlinkHeader, NetlinkMessage, NetlinkPayload};
use netlink_packet_sock_diag::SockDiagMessage;
use netlink_packet_sock_diag::constants::{AF_INET, AF_INET6, IPPROTO_TCP, IPPROTO_UDP};
use netlink_packet_sock_diag::inet::{ExtensionFlags, InetRequest, InetResponse, SocketId, StateFlags, nlas::Nla};
use netlink_sys::Socket;

use super::NetlinkError;
use crate::model;

/// The TCP and UDP sockets of the namespace `sock` lives in: UDP then TCP, each IPv4 then
/// IPv6 (the order of `ss`): the listening ones (LISTEN, UNCONN) as `ss -tulpn` lists
/// them, or with `all` every one (`ss -tuapn`).
/// `users` is left empty (see [`crate::netns::procfs::fill_socket_owners`]). Needs no privilege
/// beyond owning `sock`.
pub fn dump(sock: &Socket, all: bool) -> Result<Vec<model::Socket>, NetlinkError> {
    let states = |protocol| {
        if all {
            StateFlags::all()
        } else if protocol == IPPROTO_TCP {
            // A TCP socket in CLOSE is in no table the dump walks; asking for LISTEN alone
            // spares the walk of the established table, which every namespace shares
            // (ss -tulpn asks for CLOSE too and pays it: about 1.5 ms per family here).
            StateFlags::LISTEN
        } else {
            StateFlags::LISTEN | StateFlags::CLOSE
        }
    };
    let mut out = Vec::new();
    let mut seq = 0;
    let mut rx = Vec::with_capacity(64 * 1024);
    for protocol in [IPPROTO_UDP, IPPROTO_TCP] {
        for family in [AF_INET, AF_INET6] {
            seq += 1;
            let req = InetRequest {
                family,
                protocol,
                extensions: ExtensionFlags::empty(),
                states: states(protocol),
                socket_id: if family == AF_INET {
                    SocketId::new_v4()
                } else {
                    SocketId::new_v6()
                },
            };
            let mut hdr = NetlinkHeader::default();
            hdr.flags = NLM_F_REQUEST | NLM_F_DUMP;
            hdr.sequence_number = seq;
            let mut msg = NetlinkMessage::new(hdr, SockDiagMessage::InetRequest(req).into());
            msg.finalize();
            let mut tx = vec![0u8; msg.buffer_len()];
            msg.serialize(&mut tx);
            sock.send(&tx, 0).map_err(|e| NetlinkError {
                unsent: Some("Cannot send dump request"),
                ..super::io_errno(&e)
            })?;
            match receive(sock, seq, protocol, &mut rx, &mut out) {
                Ok(()) => {}
                // A protocol without sock_diag support (module absent): nothing to list.
                Err(e) if e.errno.raw() == libc::ENOENT => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(out)
}

/// Read the answers to dump `seq` up to its NLMSG_DONE.
fn receive(
    sock: &Socket,
    seq: u32,
    protocol: u8,
    rx: &mut Vec<u8>,
    out: &mut Vec<model::Socket>,
) -> Result<(), NetlinkError> {
    loop {
        rx.clear();
        sock.recv(rx, 0).map_err(|e| super::io_errno(&e))?;
        let mut buf = &rx[..];
        while let Ok(nb) = NetlinkBuffer::new_checked(buf) {
            let len = (nb.length() as usize).clamp(16, buf.len());
            if let Ok(msg) = NetlinkMessage::<SockDiagMessage>::deserialize(&buf[..len])
                && msg.header.sequence_number == seq
            {
                match msg.payload {
                    NetlinkPayload::InnerMessage(SockDiagMessage::InetResponse(r)) => {
                        out.push(socket_of(&r, protocol));
                    }
                    NetlinkPayload::Done(d) if d.code < 0 => {
                        return Err(NetlinkError::from_errno(Errno::from_raw(-d.code)));
                    }
                    NetlinkPayload::Done(_) => return Ok(()),
                    NetlinkPayload::Error(e) => {
                        let code = e.code.map_or(0, |c| -c.get());
                        return Err(NetlinkError::from_errno(Errno::from_raw(code)));
                    }
                    _ => {}
                }
            }
            let step = (len + 3) & !3;
            if step >= buf.len() {
                break;
            }
            buf = &buf[step..];
        }
    }
}

fn socket_of(r: &InetResponse, protocol: u8) -> model::Socket {
    let h = &r.header;
    let id = &h.socket_id;
    let v6only = r.nlas.iter().find_map(|n| match n {
        Nla::SkV6Only(b) => Some(*b),
        _ => None,
    });
    let addr = |ip: IpAddr, port: u16| SocketAddr::new(ip, port);
    model::Socket {
        protocol,
        state: h.state,
        recv_q: h.recv_queue,
        send_q: h.send_queue,
        local: addr(id.source_address, id.source_port),
        peer: addr(id.destination_address, id.destination_port),
        ifindex: id.interface_id,
        v6only: if h.family == AF_INET6 { v6only } else { None },
        uid: h.uid,
        inode: h.inode,
        users: Vec::new(),
    }
}
