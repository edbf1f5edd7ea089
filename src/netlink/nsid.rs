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
    /// The id this namespace has for the namespace behind `fd` (None when unassigned or
    /// when it is our own), as `get_netnsid_from_name` asks it.
    pub fn nsid_of_fd(&self, fd: BorrowedFd<'_>) -> Result<Option<i32>, NetlinkError> {
        self.nsids_of_fds(&[fd]).pop().expect("one answer per fd")
    }

    /// The ids of several namespaces at once: the requests are pipelined on the one socket,
    /// the answers come back in the order of `fds`.
    pub fn nsids_of_fds(&self, fds: &[BorrowedFd<'_>]) -> Vec<Result<Option<i32>, NetlinkError>> {
        let futs = fds.iter().map(|fd| {
            let req = request(vec![NsidAttribute::Fd(fd.as_raw_fd() as u32)], NLM_F_REQUEST);
            let h = self.handle.clone();
            async move {
                let msgs = Self::exchange(h, req).await?;
                Ok(msgs.iter().filter_map(reply).find_map(|r| r.nsid).filter(|&n| n >= 0))
            }
        });
        self.block_on(futures_util::future::join_all(futs))
    }

    /// RTM_GETNSID dump, optionally from the view of the namespace with id `target`.
    pub fn dump_nsids(&self, target: Option<i32>) -> Result<Vec<NsidReply>, NetlinkError> {
        let attrs = target.map(NsidAttribute::TargetNsid).into_iter().collect();
        let req = request(attrs, NLM_F_REQUEST | NLM_F_DUMP);
        let msgs = self.block_on(Self::exchange(self.handle.clone(), req))?;
        Ok(msgs.iter().filter_map(reply).collect())
    }

    /// RTM_GETNSID for one id (`list-id nsid N [target-nsid M]`).
    pub fn get_nsid(&self, nsid: i32, target: Option<i32>) -> Result<NsidReply, NetlinkError> {
        let mut attrs = vec![NsidAttribute::Id(nsid)];
        attrs.extend(target.map(NsidAttribute::TargetNsid));
        let req = request(attrs, NLM_F_REQUEST);
        let msgs = self.block_on(Self::exchange(self.handle.clone(), req))?;
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
        self.block_on(Self::exchange(self.handle.clone(), req)).map(drop)
    }
}
