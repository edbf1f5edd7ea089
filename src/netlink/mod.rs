//! rtnetlink, spoken only by the subcommands that need it: a current-thread tokio runtime
//! built on the calling thread, with one NETLINK_ROUTE socket that stays in the network
//! namespace it was created in. Messages are built with netlink-packet-route.

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

/// A route-netlink socket on a current-thread runtime owned by the calling thread. Messages
/// are built and parsed with netlink-packet-route; the request/answer loop is ours, so a
/// query costs one send and one receive.
///
/// The socket belongs for life to the network namespace of the thread that opened it: to
/// speak netlink inside another namespace, open it on a thread that has entered that
/// namespace ([`crate::netns::thread::run_in_netns`]). Needs no privilege to read; changes
/// (`set_nsid`) need CAP_NET_ADMIN in the namespace.
pub struct Rtnl {
    rt: tokio::runtime::Runtime,
    /// The socket, registered with the runtime: one send and one receive per query, and
    /// one descriptor in all.
    query: std::cell::OnceCell<netlink_sys::TokioSocket>,
    seq: std::cell::Cell<u32>,
}

impl Rtnl {
    /// A runtime and a NETLINK_ROUTE socket in the calling thread's network namespace (like
    /// iproute2's `rtnl_open`), with extended acks on so the kernel's explanations reach
    /// the user, and strict checking (the kernel honours a dump's target-nsid only then).
    pub fn open() -> std::io::Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
        let r = Rtnl {
            rt,
            query: std::cell::OnceCell::new(),
            seq: 0.into(),
        };
        r.query_socket().map_err(|e| std::io::Error::from(e.errno))?;
        Ok(r)
    }

    /// The query socket (registered with this runtime's reactor).
    fn query_socket(&self) -> Result<&netlink_sys::TokioSocket, NetlinkError> {
        if let Some(s) = self.query.get() {
            return Ok(s);
        }
        use netlink_sys::AsyncSocket;
        let _in_runtime = self.rt.enter();
        let mut sock =
            netlink_sys::TokioSocket::new(netlink_sys::protocols::NETLINK_ROUTE).map_err(|e| io_errno(&e))?;
        sock.socket_mut().set_ext_ack(true).map_err(|e| io_errno(&e))?;
        // The kernel honours a dump's target-nsid only in strict mode.
        sock.socket_mut()
            .set_netlink_get_strict_chk(true)
            .map_err(|e| io_errno(&e))?;
        Ok(self.query.get_or_init(|| sock))
    }

    /// The next sequence number of the query socket.
    fn next_seq(&self) -> u32 {
        let s = self.seq.get().wrapping_add(1);
        self.seq.set(s);
        s
    }

    /// Send `req` on the query socket and collect its answer: every inner message up to the
    /// closing NLMSG_DONE for a dump, the one reply (or ack) otherwise.
    async fn query_exchange(
        &self,
        mut req: NetlinkMessage<RouteNetlinkMessage>,
    ) -> Result<Vec<RouteNetlinkMessage>, NetlinkError> {
        use netlink_packet_core::{NLM_F_DUMP, NetlinkBuffer};
        use netlink_sys::AsyncSocketExt;
        let sock = self.query_socket()?;
        let seq = self.next_seq();
        let dump = req.header.flags & NLM_F_DUMP == NLM_F_DUMP;
        req.header.sequence_number = seq;
        req.finalize();
        let mut tx = vec![0u8; req.buffer_len()];
        req.serialize(&mut tx);
        sock.send(&tx).await.map_err(|e| NetlinkError {
            unsent: Some(if dump {
                "Cannot send dump request"
            } else {
                "Cannot talk to rtnetlink"
            }),
            ..io_errno(&e)
        })?;
        let mut out = Vec::new();
        loop {
            // Each datagram read whole at its own size (peek, then read), as iproute2 reads
            // them: the kernel sizes a dump's batches after the largest read so far, and on
            // kernels whose nsid dump stops after its first batch that size decides what
            // `list-id` shows. This keeps it ip's.
            let (rx, _) = sock.recv_from_full().await.map_err(|e| io_errno(&e))?;
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

    fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
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
