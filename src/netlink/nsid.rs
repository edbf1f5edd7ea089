//! Network namespace ids: RTM_GETNSID by fd, by id, and as a dump; RTM_NEWNSID.

use std::os::fd::{AsRawFd, BorrowedFd};

use netlink_packet_core::{NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, NetlinkMessage};
use netlink_packet_route::{
    AddressFamily, RouteNetlinkMessage,
    nsid::{NsidAttribute, NsidMessage},
};

use super::{NetlinkError, Rtnl};

/// One RTM_NEWNSID reply: the attributes as the kernel sent them (negative = unassigned).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NsidReply {
    /// NETNSA_NSID.
    pub nsid: Option<i32>,
    /// NETNSA_CURRENT_NSID (sent when the request named a target).
    pub current_nsid: Option<i32>,
}

fn request(attrs: Vec<NsidAttribute>, flags: u16) -> NetlinkMessage<RouteNetlinkMessage> {
    let mut msg = NsidMessage::default();
    msg.header.family = AddressFamily::Unspec;
    msg.attributes = attrs;
    let mut req = NetlinkMessage::from(RouteNetlinkMessage::GetNsId(msg));
    req.header.flags = flags;
    req
}

fn reply(msg: &RouteNetlinkMessage) -> Option<NsidReply> {
    let RouteNetlinkMessage::NewNsId(m) = msg else {
        return None;
    };
    let mut r = NsidReply::default();
    for a in &m.attributes {
        match a {
            NsidAttribute::Id(v) => r.nsid = Some(*v),
            NsidAttribute::CurrentNsid(v) => r.current_nsid = Some(*v),
            _ => {}
        }
    }
    Some(r)
}

impl Rtnl {
    /// The ids of several namespaces at once, answers in the order of `fds`.
    ///
    /// Request and answer in turn: the kernel answers RTM_GETNSID while the request is
    /// being sent, so each query costs exactly one send and one receive (no poll).
    pub fn nsids_of_fds(&self, fds: &[BorrowedFd<'_>]) -> Vec<Result<Option<i32>, NetlinkError>> {
        let mut out = Vec::with_capacity(fds.len());
        let mut tx = Vec::with_capacity(64);
        // Small reads: an answer (or refusal with its explanation) is about 100 bytes,
        // and a large read would make the kernel size later dumps larger than ip's.
        let mut rx: Vec<u8> = Vec::with_capacity(2048);
        for fd in fds {
            let seq = self.next_seq();
            let mut req = request(vec![NsidAttribute::Fd(fd.as_raw_fd() as u32)], NLM_F_REQUEST);
            req.header.sequence_number = seq;
            req.finalize();
            tx.resize(req.buffer_len(), 0);
            req.serialize(&mut tx);
            if let Err(e) = self.send(&tx, false) {
                out.push(Err(e));
                continue;
            }
            out.push(loop {
                if let Err(e) = self.recv_into(&mut rx) {
                    break Err(e);
                }
                if let Some(answer) = answer_for(&rx, seq) {
                    break answer;
                }
            });
        }
        out
    }

    /// RTM_GETNSID dump, optionally from the view of the namespace with id `target`.
    pub fn dump_nsids(&self, target: Option<i32>) -> Result<Vec<NsidReply>, NetlinkError> {
        let attrs = target.map(NsidAttribute::TargetNsid).into_iter().collect();
        let req = request(attrs, NLM_F_REQUEST | NLM_F_DUMP);
        let msgs = self.query_exchange(req)?;
        Ok(msgs.iter().filter_map(reply).collect())
    }

    /// RTM_GETNSID for one id (`list-id nsid N [target-nsid M]`).
    pub fn get_nsid(&self, nsid: i32, target: Option<i32>) -> Result<NsidReply, NetlinkError> {
        let mut attrs = vec![NsidAttribute::Id(nsid)];
        attrs.extend(target.map(NsidAttribute::TargetNsid));
        let req = request(attrs, NLM_F_REQUEST);
        let msgs = self.query_exchange(req)?;
        Ok(msgs.iter().filter_map(reply).next().unwrap_or_default())
    }

    /// RTM_NEWNSID with an ack: give the namespace behind `fd` the id `nsid` (-1 = auto),
    /// as `ip netns set` does. Needs CAP_NET_ADMIN in the caller's namespace.
    pub fn set_nsid(&self, fd: BorrowedFd<'_>, nsid: i32) -> Result<(), NetlinkError> {
        let mut msg = NsidMessage::default();
        msg.header.family = AddressFamily::Unspec;
        msg.attributes = vec![NsidAttribute::Fd(fd.as_raw_fd() as u32), NsidAttribute::Id(nsid)];
        let mut req = NetlinkMessage::from(RouteNetlinkMessage::NewNsId(msg));
        req.header.flags = NLM_F_REQUEST | NLM_F_ACK;
        self.query_exchange(req).map(drop)
    }
}

/// The answer to request `seq` among the messages of one datagram, if it is there.
fn answer_for(mut buf: &[u8], seq: u32) -> Option<Result<Option<i32>, NetlinkError>> {
    use netlink_packet_core::NetlinkBuffer;
    while let Ok(nb) = NetlinkBuffer::new_checked(buf) {
        let len = (nb.length() as usize).max(16);
        let this = &buf[..len.min(buf.len())];
        if let Ok(msg) = NetlinkMessage::<RouteNetlinkMessage>::deserialize(this)
            && msg.header.sequence_number == seq
        {
            if let Some(e) = super::decode_error(&msg) {
                return Some(Err(e));
            }
            if let netlink_packet_core::NetlinkPayload::InnerMessage(inner) = &msg.payload {
                return Some(Ok(reply(inner).and_then(|r| r.nsid).filter(|&n| n >= 0)));
            }
        }
        let step = (len + 3) & !3;
        if step >= buf.len() {
            break;
        }
        buf = &buf[step..];
    }
    None
}
