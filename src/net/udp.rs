//! UDP transport on `socket2`: unicast and multicast over IPv4 and IPv6, an optional bound
//! interface, large receive buffers, receive timestamps and a poll timeout.
//!
//! Receive timestamps: on Unix the socket enables `SO_TIMESTAMP` and every datagram carries the
//! kernel's arrival time ([`TimestampSource::Kernel`]). Where the kernel gives none (other
//! platforms, or a missing control message) the time is read when the datagram is handed to the
//! caller ([`TimestampSource::Receive`]), which is later by however long it sat in the buffer.
//!
//! The socket is non-blocking; [`Transport::recv`] waits with `poll(2)` for at most the timeout
//! it is given.
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use core::time::Duration;
use std::time::SystemTime;

use socket2::{Domain, Protocol, SockAddr, Socket, Type};

use super::Error;
use super::transport::{RecvMeta, Source, TimestampSource, Transport};

/// Default receive buffer request: 4 MiB (the kernel caps it at `net.core.rmem_max`).
pub const DEFAULT_RECV_BUFFER_BYTES: usize = 4 << 20;

/// The network interface to bind to and to use for multicast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interface {
    /// By name (`"lo"`, `"eth0"`): binds the socket to the device on Linux and uses its index
    /// for multicast.
    Name(String),
    /// By index (IPv6 multicast and, on Linux, IPv4 multicast).
    Index(u32),
    /// By one of its IPv4 addresses (IPv4 multicast).
    Ipv4(Ipv4Addr),
}

/// How to open a [`UdpTransport`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdpConfig {
    /// Local address and port to bind. For a multicast receiver, the group address and port.
    pub bind: SocketAddr,
    /// Where [`Transport::send`] sends (a peer or a group and port).
    pub destination: Option<SocketAddr>,
    /// Multicast group to join for receiving.
    pub join_group: Option<IpAddr>,
    /// Interface to bind to and to send / join multicast on.
    pub interface: Option<Interface>,
    /// Receive buffer size to request.
    pub recv_buffer_bytes: usize,
    /// Whether multicast sent from this socket loops back to local receivers.
    pub multicast_loop: bool,
    /// Multicast TTL / hop limit.
    pub multicast_hops: u32,
    /// Let several sockets bind the same address and port (`SO_REUSEADDR`, and `SO_REUSEPORT`
    /// on Unix), as several multicast listeners on one host need.
    pub reuse: bool,
}

impl UdpConfig {
    /// A unicast socket bound to `bind`, sending to `destination` if given.
    pub fn unicast(bind: SocketAddr, destination: Option<SocketAddr>) -> UdpConfig {
        UdpConfig {
            bind,
            destination,
            join_group: None,
            interface: None,
            recv_buffer_bytes: DEFAULT_RECV_BUFFER_BYTES,
            multicast_loop: true,
            multicast_hops: 1,
            reuse: false,
        }
    }

    /// A multicast receiver for `group` on `port`, bound to the group address (so it receives
    /// only that group's traffic on that port) and joined on `interface`.
    pub fn multicast_receiver(group: IpAddr, port: u16, interface: Option<Interface>) -> UdpConfig {
        UdpConfig {
            bind: SocketAddr::new(group, port),
            destination: None,
            join_group: Some(group),
            interface,
            recv_buffer_bytes: DEFAULT_RECV_BUFFER_BYTES,
            multicast_loop: true,
            multicast_hops: 1,
            reuse: true,
        }
    }

    /// A multicast sender to `group` on `port`, bound to an ephemeral port on `local`
    /// (the sending interface's address, e.g. `127.0.0.1` or `::1`).
    pub fn multicast_sender(
        group: IpAddr,
        port: u16,
        local: IpAddr,
        interface: Option<Interface>,
    ) -> UdpConfig {
        UdpConfig {
            bind: SocketAddr::new(local, 0),
            destination: Some(SocketAddr::new(group, port)),
            join_group: None,
            interface,
            recv_buffer_bytes: DEFAULT_RECV_BUFFER_BYTES,
            multicast_loop: true,
            multicast_hops: 1,
            reuse: false,
        }
    }
}

/// A UDP socket implementing [`Transport`].
#[derive(Debug)]
pub struct UdpTransport {
    socket: Socket,
    destination: Option<SockAddr>,
    kernel_timestamps: bool,
    #[cfg(unix)]
    cmsg: Vec<u8>,
}

fn interface_index(iface: &Interface) -> Result<u32, Error> {
    match iface {
        Interface::Index(i) => Ok(*i),
        #[cfg(unix)]
        Interface::Name(name) => {
            nix::net::if_::if_nametoindex(name.as_str()).map_err(|_| Error::NoSuchInterface)
        }
        #[cfg(not(unix))]
        Interface::Name(_) => Err(Error::NoSuchInterface),
        Interface::Ipv4(_) => Ok(0),
    }
}

impl UdpTransport {
    /// Opens and configures the socket.
    pub fn open(config: &UdpConfig) -> Result<UdpTransport, Error> {
        let domain = Domain::for_address(config.bind);
        let socket = Socket::new(domain, Type::DGRAM, Some(Protocol::UDP))?;
        if config.reuse {
            socket.set_reuse_address(true)?;
            #[cfg(all(unix, not(any(target_os = "solaris", target_os = "illumos"))))]
            socket.set_reuse_port(true)?;
        }
        if config.bind.is_ipv6() {
            socket.set_only_v6(true)?;
        }
        // Best effort: the kernel caps the size; `recv_buffer_bytes()` tells what was granted.
        let _ = socket.set_recv_buffer_size(config.recv_buffer_bytes);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        if let Some(Interface::Name(name)) = &config.interface {
            socket.bind_device(Some(name.as_bytes()))?;
        }
        let index = match &config.interface {
            Some(i) => interface_index(i)?,
            None => 0,
        };
        match config.bind {
            SocketAddr::V4(_) => {
                socket.set_multicast_loop_v4(config.multicast_loop)?;
                socket.set_multicast_ttl_v4(config.multicast_hops)?;
                if let Some(Interface::Ipv4(a)) = &config.interface {
                    socket.set_multicast_if_v4(a)?;
                }
            }
            SocketAddr::V6(_) => {
                socket.set_multicast_loop_v6(config.multicast_loop)?;
                socket.set_multicast_hops_v6(config.multicast_hops)?;
                if index != 0 {
                    socket.set_multicast_if_v6(index)?;
                }
            }
        }
        let mut bind = config.bind;
        if let SocketAddr::V6(v6) = &mut bind {
            if v6.ip().is_multicast() && v6.scope_id() == 0 {
                v6.set_scope_id(index);
            }
        }
        socket.bind(&bind.into())?;
        match config.join_group {
            Some(IpAddr::V4(group)) => join_v4(&socket, group, config.interface.as_ref(), index)?,
            Some(IpAddr::V6(group)) => socket.join_multicast_v6(&group, index)?,
            None => {}
        }
        socket.set_nonblocking(true)?;
        let kernel_timestamps = enable_timestamps(&socket);
        let destination = config.destination.map(|mut d| {
            if let SocketAddr::V6(v6) = &mut d {
                if needs_scope(v6.ip()) && v6.scope_id() == 0 {
                    v6.set_scope_id(index);
                }
            }
            SockAddr::from(d)
        });
        Ok(UdpTransport {
            socket,
            destination,
            kernel_timestamps,
            #[cfg(unix)]
            cmsg: nix::cmsg_space!(nix::sys::time::TimeVal),
        })
    }

    /// The bound local address.
    pub fn local_addr(&self) -> Result<SocketAddr, Error> {
        self.socket
            .local_addr()?
            .as_socket()
            .ok_or(Error::Malformed(super::Field::UdpHeader))
    }

    /// The receive buffer size the kernel granted.
    pub fn recv_buffer_bytes(&self) -> Result<usize, Error> {
        Ok(self.socket.recv_buffer_size()?)
    }

    /// Whether received datagrams carry kernel timestamps.
    pub fn kernel_timestamps(&self) -> bool {
        self.kernel_timestamps
    }

    /// Sends one datagram to `destination` instead of the configured one.
    pub fn send_to(&mut self, datagram: &[u8], destination: SocketAddr) -> Result<(), Error> {
        self.socket.send_to(datagram, &destination.into())?;
        Ok(())
    }

    /// The underlying socket, for options not covered here.
    pub fn socket(&self) -> &Socket {
        &self.socket
    }
}

fn needs_scope(ip: &Ipv6Addr) -> bool {
    ip.is_multicast() || ip.segments().first().is_some_and(|s| s & 0xFFC0 == 0xFE80)
}

fn join_v4(
    socket: &Socket,
    group: Ipv4Addr,
    iface: Option<&Interface>,
    index: u32,
) -> Result<(), Error> {
    match iface {
        Some(Interface::Ipv4(addr)) => socket.join_multicast_v4(&group, addr)?,
        #[cfg(any(target_os = "linux", target_os = "android"))]
        Some(_) if index != 0 => {
            socket.join_multicast_v4_n(&group, &socket2::InterfaceIndexOrAddress::Index(index))?
        }
        _ => socket.join_multicast_v4(&group, &Ipv4Addr::UNSPECIFIED)?,
    }
    let _ = index;
    Ok(())
}

#[cfg(unix)]
fn enable_timestamps(socket: &Socket) -> bool {
    nix::sys::socket::setsockopt(socket, nix::sys::socket::sockopt::ReceiveTimestamp, &true).is_ok()
}

#[cfg(not(unix))]
fn enable_timestamps(_socket: &Socket) -> bool {
    false
}

impl Transport for UdpTransport {
    fn send(&mut self, datagram: &[u8]) -> Result<(), Error> {
        let dest = self.destination.as_ref().ok_or(Error::NoDestination)?;
        loop {
            match self.socket.send_to(datagram, dest) {
                Ok(_) => return Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    wait_writable(&self.socket)?;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn recv(
        &mut self,
        buf: &mut [u8],
        timeout: Option<Duration>,
    ) -> Result<Option<RecvMeta>, Error> {
        self.recv_impl(buf, timeout)
    }
}

#[cfg(unix)]
fn wait_writable(socket: &Socket) -> Result<(), Error> {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use std::os::fd::AsFd;
    let mut fds = [PollFd::new(socket.as_fd(), PollFlags::POLLOUT)];
    poll(&mut fds, PollTimeout::from(100u16)).map_err(std::io::Error::from)?;
    Ok(())
}

#[cfg(not(unix))]
fn wait_writable(_socket: &Socket) -> Result<(), Error> {
    std::thread::sleep(Duration::from_millis(1));
    Ok(())
}

#[cfg(unix)]
impl UdpTransport {
    fn recv_impl(
        &mut self,
        buf: &mut [u8],
        timeout: Option<Duration>,
    ) -> Result<Option<RecvMeta>, Error> {
        use nix::errno::Errno;
        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
        use std::os::fd::AsFd;

        let deadline = timeout.map(|t| std::time::Instant::now() + t);
        loop {
            match self.try_recv(buf) {
                Ok(meta) => return Ok(Some(meta)),
                Err(Errno::EAGAIN) => {}
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(std::io::Error::from(e).into()),
            }
            let wait = match deadline {
                None => PollTimeout::NONE,
                Some(d) => {
                    let left = d.saturating_duration_since(std::time::Instant::now());
                    if left.is_zero() {
                        return Ok(None);
                    }
                    // Round up so a sub-millisecond remainder still waits.
                    let ms = left.as_millis().saturating_add(1).min(i32::MAX as u128);
                    PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX)
                }
            };
            let mut fds = [PollFd::new(self.socket.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, wait) {
                Ok(_) | Err(Errno::EINTR) => {}
                Err(e) => return Err(std::io::Error::from(e).into()),
            }
        }
    }

    fn try_recv(&mut self, buf: &mut [u8]) -> Result<RecvMeta, nix::errno::Errno> {
        use nix::sys::socket::{ControlMessageOwned, MsgFlags, SockaddrStorage, recvmsg};
        use std::io::IoSliceMut;
        use std::os::fd::AsRawFd;

        let fd = self.socket.as_raw_fd();
        let mut iov = [IoSliceMut::new(buf)];
        let msg = recvmsg::<SockaddrStorage>(
            fd,
            &mut iov,
            Some(self.cmsg.as_mut_slice()),
            MsgFlags::MSG_DONTWAIT,
        )?;
        let mut time = None;
        if let Ok(cmsgs) = msg.cmsgs() {
            for c in cmsgs {
                if let ControlMessageOwned::ScmTimestamp(tv) = c {
                    let secs = u64::try_from(tv.tv_sec()).unwrap_or(0);
                    let micros = u32::try_from(tv.tv_usec()).unwrap_or(0);
                    time = SystemTime::UNIX_EPOCH
                        .checked_add(Duration::new(secs, micros.saturating_mul(1000)));
                }
            }
        }
        let source = msg
            .address
            .as_ref()
            .and_then(|a| {
                if let Some(v4) = a.as_sockaddr_in() {
                    Some(SocketAddr::V4((*v4).into()))
                } else {
                    a.as_sockaddr_in6().map(|v6| SocketAddr::V6((*v6).into()))
                }
            })
            .map_or(Source::Unknown, Source::Udp);
        let (time, time_source) = match time {
            Some(t) => (t, TimestampSource::Kernel),
            None => (SystemTime::now(), TimestampSource::Receive),
        };
        Ok(RecvMeta {
            len: msg.bytes,
            truncated: msg.flags.contains(MsgFlags::MSG_TRUNC),
            source,
            time,
            time_source,
        })
    }
}

#[cfg(not(unix))]
impl UdpTransport {
    fn recv_impl(
        &mut self,
        buf: &mut [u8],
        timeout: Option<Duration>,
    ) -> Result<Option<RecvMeta>, Error> {
        use std::io::ErrorKind;
        let socket: std::net::UdpSocket = self.socket.try_clone()?.into();
        socket.set_nonblocking(false)?;
        socket.set_read_timeout(timeout.map(|t| t.max(Duration::from_millis(1))))?;
        let result = socket.recv_from(buf);
        socket.set_nonblocking(true)?;
        match result {
            Ok((n, addr)) => Ok(Some(RecvMeta {
                len: n,
                truncated: false,
                source: Source::Udp(addr),
                time: SystemTime::now(),
                time_source: TimestampSource::Receive,
            })),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
