//! rtnetlink, spoken only by the subcommands that need it: one blocking NETLINK_ROUTE socket
//! that stays in the network namespace it was created in, spoken to in request/answer turns
//! as iproute2 does. Messages are built with netlink-packet-route.

pub mod inspect;
pub(crate) mod names;
mod neigh;
mod nsid;
mod route;
pub mod sockets;
pub mod survey;

use crate::error::Errno;
use netlink_packet_core::{NLM_F_ACK_TLVS, NLM_F_CAPPED, NetlinkMessage, NetlinkPayload, NlasIterator};
use netlink_packet_route::RouteNetlinkMessage;

pub use crate::error::NetlinkError;
pub use nsid::NsidReply;

/// An I/O failure of the socket itself, worded as iproute2 words a failed request.
pub(crate) fn io_errno(e: &std::io::Error) -> NetlinkError {
    NetlinkError {
        errno: Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)),
        ext_msg: None,
        unsent: None,
    }
}

/// The NLMSGERR_ATTR_MSG text among extended-ack attributes.
fn ext_ack_text(tlvs: &[u8]) -> Option<String> {
    NlasIterator::new(tlvs)
        .flatten()
        .find(|nla| nla.kind() == 1)
        .map(|nla| {
            let v = nla.value();
            let end = v.iter().position(|&b| b == 0).unwrap_or(v.len());
            String::from_utf8_lossy(&v[..end]).into_owned()
        })
}

/// Pull the errno and the kernel's explanation out of an NLMSG_ERROR, or out of the
/// NLMSG_DONE that ends a failed dump.
fn decode_error(msg: &NetlinkMessage<RouteNetlinkMessage>) -> Option<NetlinkError> {
    let tlvs_present = msg.header.flags & NLM_F_ACK_TLVS != 0;
    match &msg.payload {
        NetlinkPayload::Error(err) => {
            let code = err.code?;
            let raw = &err.header;
            let skip = if msg.header.flags & NLM_F_CAPPED != 0 || raw.len() < 4 {
                16
            } else {
                let orig = u32::from_ne_bytes([raw[0], raw[1], raw[2], raw[3]]) as usize;
                (orig + 3) & !3
            };
            let ext_msg = if tlvs_present && skip <= raw.len() {
                ext_ack_text(&raw[skip..])
            } else {
                None
            };
            Some(NetlinkError {
                errno: Errno::from_raw(-code.get()),
                ext_msg,
                unsent: None,
            })
        }
        NetlinkPayload::Done(done) if done.code < 0 => {
            let ext_msg = if tlvs_present {
                ext_ack_text(&done.extended_ack)
            } else {
                None
            };
            Some(NetlinkError {
                errno: Errno::from_raw(-done.code),
                ext_msg,
                unsent: None,
            })
        }
        _ => None,
    }
}

/// A route-netlink socket of the calling thread's network namespace, spoken to in blocking
/// request/answer turns as iproute2 speaks to it: one descriptor in all (no epoll, no
/// eventfd), a receive interrupted or found empty (`EINTR`, `EAGAIN`) is simply done again,
/// a failed send is reported in ip's words. Messages are built and parsed with
/// netlink-packet-route.
///
/// The socket belongs for life to the network namespace of the thread that opened it: to
/// speak netlink inside another namespace, open it on a thread that has entered that
/// namespace ([`crate::netns::thread::run_in_netns`]). Needs no privilege to read; changes
/// (`set_nsid`) need CAP_NET_ADMIN in the namespace.
pub struct Rtnl {
    sock: netlink_sys::Socket,
    seq: std::cell::Cell<u32>,
}

/// Whether a failed socket call is worth doing again (ip's receive loop retries these).
fn transient(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EINTR | libc::EAGAIN))
}

impl Rtnl {
    /// A NETLINK_ROUTE socket in the calling thread's network namespace (like iproute2's
    /// `rtnl_open`), with extended acks on so the kernel's explanations reach the user,
    /// and strict checking (the kernel honours a dump's target-nsid only then). A socket
    /// that cannot be made is `Cannot open netlink socket: strerror`, as ip says it.
    pub fn open() -> Result<Self, NetlinkError> {
        let sock = netlink_sys::Socket::new(netlink_sys::protocols::NETLINK_ROUTE).map_err(|e| NetlinkError {
            unsent: Some("Cannot open netlink socket"),
            ..io_errno(&e)
        })?;
        sock.set_ext_ack(true).map_err(|e| io_errno(&e))?;
        // The kernel honours a dump's target-nsid only in strict mode.
        sock.set_netlink_get_strict_chk(true).map_err(|e| io_errno(&e))?;
        Ok(Rtnl { sock, seq: 0.into() })
    }

    /// The next sequence number of the query socket.
    fn next_seq(&self) -> u32 {
        let s = self.seq.get().wrapping_add(1);
        self.seq.set(s);
        s
    }

    /// Send one request; a failure is not retried (ip reports it: `Cannot talk to
    /// rtnetlink`, or `Cannot send dump request` for a dump).
    fn send(&self, tx: &[u8], dump: bool) -> Result<(), NetlinkError> {
        self.sock.send(tx, 0).map(drop).map_err(|e| NetlinkError {
            unsent: Some(if dump {
                "Cannot send dump request"
            } else {
                "Cannot talk to rtnetlink"
            }),
            ..io_errno(&e)
        })
    }

    /// Receive into `buf` (cleared first; its capacity is the read size), again after
    /// EINTR or EAGAIN.
    fn recv_into(&self, buf: &mut Vec<u8>) -> Result<(), NetlinkError> {
        loop {
            buf.clear();
            match self.sock.recv(buf, 0) {
                Ok(_) => return Ok(()),
                Err(e) if transient(&e) => continue,
                Err(e) => return Err(io_errno(&e)),
            }
        }
    }

    /// One datagram read whole at its own size (peek, then read), as iproute2 reads them:
    /// the kernel sizes a dump's batches after the largest read so far, and on kernels
    /// whose nsid dump stops after its first batch that size decides what `list-id` shows.
    fn recv_full(&self, buf: &mut Vec<u8>) -> Result<(), NetlinkError> {
        let len = loop {
            buf.clear();
            buf.reserve(16);
            match self.sock.recv(buf, libc::MSG_PEEK | libc::MSG_TRUNC) {
                Ok(n) => break n,
                Err(e) if transient(&e) => continue,
                Err(e) => return Err(io_errno(&e)),
            }
        };
        buf.clear();
        buf.reserve(len.max(16));
        self.recv_into(buf)
    }

    /// Send `req` on the query socket and collect its answer: every inner message up to the
    /// closing NLMSG_DONE for a dump, the one reply (or ack) otherwise.
    fn query_exchange(
        &self,
        mut req: NetlinkMessage<RouteNetlinkMessage>,
    ) -> Result<Vec<RouteNetlinkMessage>, NetlinkError> {
        use netlink_packet_core::{NLM_F_DUMP, NetlinkBuffer};
        let seq = self.next_seq();
        let dump = req.header.flags & NLM_F_DUMP == NLM_F_DUMP;
        req.header.sequence_number = seq;
        req.finalize();
        let mut tx = vec![0u8; req.buffer_len()];
        req.serialize(&mut tx);
        self.send(&tx, dump)?;
        let mut out = Vec::new();
        let mut rx = Vec::new();
        loop {
            self.recv_full(&mut rx)?;
            let mut buf = &rx[..];
            while let Ok(nb) = NetlinkBuffer::new_checked(buf) {
                let len = (nb.length() as usize).clamp(16, buf.len());
                if let Ok(msg) = NetlinkMessage::<RouteNetlinkMessage>::deserialize(&buf[..len])
                    && msg.header.sequence_number == seq
                {
                    if let Some(e) = decode_error(&msg) {
                        return Err(e);
                    }
                    match msg.payload {
                        NetlinkPayload::InnerMessage(inner) => {
                            out.push(inner);
                            if !dump {
                                return Ok(out);
                            }
                        }
                        // NLMSG_DONE, or an ack (NLMSG_ERROR with code 0).
                        _ => return Ok(out),
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_wording() {
        let e = NetlinkError {
            errno: Errno::from_raw(libc::EINVAL),
            ext_msg: Some("Peer netns reference is invalid".into()),
            unsent: None,
        };
        assert_eq!(e.to_string(), "Error: Peer netns reference is invalid.");
        let e = NetlinkError {
            errno: Errno::from_raw(libc::EEXIST),
            ext_msg: Some("ends with dot.".into()),
            unsent: None,
        };
        assert_eq!(e.to_string(), "Error: ends with dot.");
        let e = NetlinkError {
            errno: Errno::from_raw(libc::EPERM),
            ext_msg: None,
            unsent: None,
        };
        assert_eq!(e.to_string(), "RTNETLINK answers: Operation not permitted");
    }
}
