//! rtnetlink, spoken only by the subcommands that need it: a current-thread tokio runtime
//! built on the calling thread, with one NETLINK_ROUTE socket that stays in the network
//! namespace it was created in. Messages are built with netlink-packet-route.

pub mod inspect;
mod nsid;

use std::fmt;

use futures_util::StreamExt;
use netlink_packet_core::{NLM_F_ACK_TLVS, NLM_F_CAPPED, NetlinkMessage, NetlinkPayload, NlasIterator};
use netlink_packet_route::RouteNetlinkMessage;
use nix::errno::Errno;

pub use nsid::NsidReply;

/// A refusal from the kernel: errno plus the extended-ack text when the kernel sent one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct NetlinkError {
    /// The negated error code of NLMSG_ERROR (or of a failed dump's NLMSG_DONE).
    pub errno: Errno,
    /// NLMSGERR_ATTR_MSG, the kernel's explanation, when it sent one.
    pub ext_msg: Option<String>,
}

impl fmt::Display for NetlinkError {
    /// iproute2's wording: `Error: MSG.` when the kernel explained, else
    /// `RTNETLINK answers: strerror`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.ext_msg {
            Some(m) if !m.is_empty() => {
                let dot = if m.ends_with('.') { "" } else { "." };
                write!(f, "Error: {m}{dot}")
            }
            _ => write!(f, "RTNETLINK answers: {}", crate::error::strerror(self.errno)),
        }
    }
}

impl NetlinkError {
    fn from_errno(errno: Errno) -> Self {
        NetlinkError { errno, ext_msg: None }
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
            })
        }
        _ => None,
    }
}

/// A route-netlink connection on a current-thread runtime owned by the calling thread.
///
/// The socket belongs for life to the network namespace of the thread that opened it: to
/// speak netlink inside another namespace, open it on a thread that has entered that
/// namespace ([`crate::netns::thread::run_in_netns`]). Needs no privilege to read; changes
/// (`set_nsid`) need CAP_NET_ADMIN in the namespace.
pub struct Rtnl {
    rt: tokio::runtime::Runtime,
    handle: rtnetlink::Handle,
    /// A second socket for bulk one-answer queries, opened on first use.
    query: std::cell::OnceCell<netlink_sys::TokioSocket>,
}

impl Rtnl {
    /// Open a socket in the calling thread's network namespace (like iproute2's
    /// `rtnl_open`), with extended acks on so the kernel's explanations reach the user.
    pub fn open() -> std::io::Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
        let handle = rt.block_on(async {
            let (mut conn, handle, _) = rtnetlink::new_connection()?;
            {
                use netlink_sys::AsyncSocket;
                conn.socket_mut().socket_mut().set_ext_ack(true)?;
                // The kernel honours a dump's target-nsid only in strict mode.
                conn.socket_mut().socket_mut().set_netlink_get_strict_chk(true)?;
            }
            // A failed dump ends with an NLMSG_DONE that carries the error: hand it to us.
            conn.set_forward_done(true);
            // Acks too: a request that ends without one was never delivered.
            conn.set_forward_ack(true);
            tokio::spawn(conn);
            Ok::<_, std::io::Error>(handle)
        })?;
        Ok(Rtnl {
            rt,
            handle,
            query: std::cell::OnceCell::new(),
        })
    }

    /// Send one request and collect every inner message of the reply; an NLMSG_ERROR with
    /// a code becomes the error.
    async fn exchange(
        mut handle: rtnetlink::Handle,
        req: NetlinkMessage<RouteNetlinkMessage>,
    ) -> Result<Vec<RouteNetlinkMessage>, NetlinkError> {
        let mut stream = handle.request(req).map_err(|_| NetlinkError::from_errno(Errno::EIO))?;
        let mut out = Vec::new();
        let mut answered = false;
        while let Some(msg) = stream.next().await {
            if let Some(e) = decode_error(&msg) {
                return Err(e);
            }
            answered = true;
            if let NetlinkPayload::InnerMessage(inner) = msg.payload {
                out.push(inner);
            }
        }
        // Every request ends with an answer (a reply, an ack or a dump's NLMSG_DONE); none
        // at all means it was never delivered (the connection drops a message whose send
        // fails): a failure, not an empty success.
        if !answered {
            return Err(NetlinkError::from_errno(Errno::EIO));
        }
        Ok(out)
    }

    /// The bulk-query socket (inside the runtime: tokio registers it with the reactor).
    fn query_socket(&self) -> std::io::Result<&netlink_sys::TokioSocket> {
        if let Some(s) = self.query.get() {
            return Ok(s);
        }
        use netlink_sys::AsyncSocket;
        let mut sock = netlink_sys::TokioSocket::new(netlink_sys::protocols::NETLINK_ROUTE as isize)?;
        sock.socket_mut().set_ext_ack(true)?;
        Ok(self.query.get_or_init(|| sock))
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
            errno: Errno::EINVAL,
            ext_msg: Some("Peer netns reference is invalid".into()),
        };
        assert_eq!(e.to_string(), "Error: Peer netns reference is invalid.");
        let e = NetlinkError {
            errno: Errno::EEXIST,
            ext_msg: Some("ends with dot.".into()),
        };
        assert_eq!(e.to_string(), "Error: ends with dot.");
        let e = NetlinkError {
            errno: Errno::EPERM,
            ext_msg: None,
        };
        assert_eq!(e.to_string(), "RTNETLINK answers: Operation not permitted");
    }
}
