package dev.vmm.app.devicemanager;

import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_CREDIT_REQUEST;
import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_CREDIT_UPDATE;
import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_REQUEST;
import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_RESPONSE;
import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_RST;
import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_RW;
import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_SHUTDOWN;
import static dev.vmm.devices.virtio.vsock.VsockPacket.SHUTDOWN_RCV;
import static dev.vmm.devices.virtio.vsock.VsockPacket.SHUTDOWN_SEND;

import dev.vmm.app.devicemanager.VsockConnection.State;
import dev.vmm.core.sys.Epoll;
import dev.vmm.core.sys.EventFd;
import dev.vmm.core.sys.EventOps;
import dev.vmm.core.sys.EventSubscriber;
import dev.vmm.core.sys.Fd;
import dev.vmm.core.sys.ReadyEvent;
import dev.vmm.core.sys.SysException;
import dev.vmm.core.sys.UnixStream;
import dev.vmm.devices.virtio.vsock.VirtioVsock;
import dev.vmm.devices.virtio.vsock.VsockPacket;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * virtio-vsock's host side as Unix sockets, Firecracker's hybrid vsock: a guest connection to host port
 * P becomes a connection to the socket {@code PATH_P}; a host program that connects to {@code PATH}
 * and writes {@code CONNECT P\n} gets a connection to the guest's port P, answered with
 * {@code OK <host port>\n}. Every socket is non-blocking on the device's event loop, and all of this
 * runs on that loop's thread, except {@link #reset}, which only asks the loop to do it.
 */
public final class HybridVsock implements VirtioVsock.Backend, EventSubscriber, AutoCloseable {
    /** Host ports for host-initiated connections start here, as Firecracker's. */
    static final int FIRST_LOCAL_PORT = 1 << 30;
    static final int MAX_CONNECTIONS = 1024;
    /** "CONNECT 4294967295\n" and some slack; a longer line is not a request. */
    static final int MAX_CONNECT_LINE = 32;
    /**
     * Replies waiting for receive buffers beyond which the device stops taking the guest's packets (vhost's
     * vhost_vsock_more_replies): a guest that sends without receiving cannot grow the queue without bound.
     */
    static final int MAX_PENDING_REPLIES = 256;
    private static final Pattern CONNECT = Pattern.compile("CONNECT (\\d{1,10})");
    private static final System.Logger LOG = System.getLogger("vmm.vsock");

    private final String name;
    private final long guestCid;
    private final Path path;
    private final UnixStream listener;
    private final EventFd resetAsked = new EventFd(EventFd.EFD_CLOEXEC | EventFd.EFD_NONBLOCK);
    private final AtomicBoolean resetPending = new AtomicBoolean();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment scratch = arena.allocate(VirtioVsock.MAX_PAYLOAD);
    private Runnable wakeReceive = () -> { };

    // Loop thread only.
    private EventOps ops;
    private final Map<Long, VsockConnection> connections = new HashMap<>();
    private final Map<Fd, VsockConnection> byFd = new HashMap<>();
    /** Host connections whose CONNECT line is not complete yet. */
    private final Map<Fd, HostRequest> requests = new HashMap<>();
    private final Set<Integer> localPorts = new HashSet<>();
    private final ArrayDeque<VsockPacket> control = new ArrayDeque<>();
    private final Set<VsockConnection> readable = new LinkedHashSet<>();
    private int nextLocalPort = FIRST_LOCAL_PORT;
    private boolean listenerPaused;
    private volatile long opened;
    private volatile long refused;

    private static final class HostRequest {
        final UnixStream stream;
        final StringBuilder line = new StringBuilder();

        HostRequest(UnixStream stream) {
            this.stream = stream;
        }
    }

    /** Listens at {@code path}, which must not exist; its directory must. */
    public HybridVsock(String name, long guestCid, Path path) {
        this.name = name;
        this.guestCid = guestCid;
        this.path = path;
        this.listener = UnixStream.listen(path);
    }

    /** How the loop is asked to serve the device's receive queue (its doorbell), once the device is attached. */
    public void wakeReceive(Runnable wake) {
        this.wakeReceive = wake;
    }

    /** Asks for the device's receive queue to be served (its packets may wait from before the driver was ready). */
    public void wake() {
        wakeReceive.run();
    }

    public Path path() {
        return path;
    }

    /** Connections made, either way. */
    public long connectionsOpened() {
        return opened;
    }

    /** Connections refused: no listener at PATH_P, the guest's RST, a bad CONNECT line, too many. */
    public long connectionsRefused() {
        return refused;
    }

    // ---- The loop's side

    @Override
    public void init(EventOps ops) {
        this.ops = ops;
        ops.add(listener.fd(), Epoll.EPOLLIN);
        ops.add(resetAsked.fd(), Epoll.EPOLLIN);
    }

    @Override
    public void process(ReadyEvent event, EventOps ops) {
        applyReset();
        Fd fd = event.fd();
        if (fd == resetAsked.fd()) {
            resetAsked.read();
        } else if (fd == listener.fd()) {
            accept();
        } else if (requests.containsKey(fd)) {
            readConnectLine(requests.get(fd));
        } else {
            VsockConnection c = byFd.get(fd);
            if (c != null) {
                ready(c, event.events());
            }
        }
    }

    private void accept() {
        while (true) {
            UnixStream s;
            try {
                s = listener.accept();
            } catch (SysException e) {
                // Out of fds (EMFILE, ENFILE) or memory: the listener would stay ready and spin the loop.
                // It is watched again when a connection closes.
                LOG.log(System.Logger.Level.WARNING, name + ": accept: " + e.getMessage() + "; new host connections wait");
                ops.modify(listener.fd(), 0);
                listenerPaused = true;
                return;
            }
            if (s == null) {
                return;
            }
            if (connections.size() + requests.size() >= MAX_CONNECTIONS) {
                refused++;
                s.close();
                continue;
            }
            requests.put(s.fd(), new HostRequest(s));
            ops.add(s.fd(), Epoll.EPOLLIN);
        }
    }

    private void resumeListener() {
        if (listenerPaused) {
            listenerPaused = false;
            ops.modify(listener.fd(), Epoll.EPOLLIN);
        }
    }

    /** The host's request, a byte at a time so that nothing after the line is taken from the stream. */
    private void readConnectLine(HostRequest r) {
        MemorySegment one = scratch.asSlice(0, 1);
        while (true) {
            long n;
            try {
                n = r.stream.read(one);
            } catch (SysException e) {
                n = 0;
            }
            if (n < 0) {
                return;
            }
            char ch = n == 0 ? 0 : (char) (one.get(ValueLayout.JAVA_BYTE, 0) & 0xff);
            if (n == 0 || r.line.length() >= MAX_CONNECT_LINE) {
                dropRequest(r);
                return;
            }
            if (ch != '\n') {
                r.line.append(ch);
                continue;
            }
            Matcher m = CONNECT.matcher(r.line);
            long port = m.matches() ? Long.parseLong(m.group(1)) : -1;
            if (port < 0 || port > 0xFFFF_FFFFL) {
                dropRequest(r);
                return;
            }
            requests.remove(r.stream.fd());
            int local = allocateLocalPort((int) port);
            var c = new VsockConnection(guestCid, local, (int) port, r.stream, State.CONNECTING);
            connections.put(c.key(), c);   // the fd stays registered, now as the connection's
            byFd.put(c.stream.fd(), c);
            c.registered = true;
            c.interest = 0;                // nothing read until the guest answers
            ops.modify(c.stream.fd(), 0);
            control.add(c.packet(OP_REQUEST, 0, null));
            wakeReceive.run();
            return;
        }
    }

    private void dropRequest(HostRequest r) {
        refused++;
        requests.remove(r.stream.fd());
        ops.remove(r.stream.fd());
        r.stream.close();
        resumeListener();
    }

    /** A host port no connection to guest port {@code peer} uses (a guest may have connected to it too). */
    private int allocateLocalPort(int peer) {
        while (connections.containsKey(VsockConnection.key(nextLocalPort, peer)) || !localPorts.add(nextLocalPort)) {
            nextLocalPort = nextLocalPort == -1 ? FIRST_LOCAL_PORT : nextLocalPort + 1;
        }
        int p = nextLocalPort;
        nextLocalPort = nextLocalPort == -1 ? FIRST_LOCAL_PORT : nextLocalPort + 1;
        return p;
    }

    private void ready(VsockConnection c, int events) {
        if (c.state == State.LINGERING) {
            try {
                c.flush(scratch);
            } catch (SysException e) {
                closeLingering(c);
                return;
            }
            if (!c.hasOutput() || (events & (Epoll.EPOLLHUP | Epoll.EPOLLERR)) != 0) {
                closeLingering(c);
            }
            return;
        }
        if ((events & (Epoll.EPOLLHUP | Epoll.EPOLLERR)) != 0) {
            // The host closed: epoll reports that on every round whatever is watched, so stop watching; what
            // the socket still holds is read to its end (then SHUTDOWN), as a readable socket's would be.
            ops.remove(c.stream.fd());
            c.registered = false;
            if (c.state == State.CONNECTING) {
                refused++;
                reset(c);
                return;
            }
        } else {
            if ((events & Epoll.EPOLLIN) != 0 && (c.interest & Epoll.EPOLLIN) != 0) {
                markReadable(c);
            }
            if ((events & Epoll.EPOLLOUT) != 0) {
                flush(c);
            }
        }
        watch(c);
    }

    private void markReadable(VsockConnection c) {
        c.readable = true;
        readable.add(c);
        wakeReceive.run();
    }

    /** Watches for what the connection can use: input while the guest may take it, output while some waits. */
    private void watch(VsockConnection c) {
        if (!connections.containsKey(c.key()) || connections.get(c.key()) != c) {
            return;                        // removed meanwhile
        }
        boolean wantsInput = c.state == State.ESTABLISHED && !c.hostShutSend && !c.readable && !c.waitingForCredit;
        if (!c.registered) {
            if (wantsInput) {
                markReadable(c);           // a hung-up socket is always ready: its rest, then its end
            }
            return;
        }
        int want = (wantsInput ? Epoll.EPOLLIN : 0) | (c.hasOutput() ? Epoll.EPOLLOUT : 0);
        if (want != c.interest) {
            ops.modify(c.stream.fd(), want);
            c.interest = want;
        }
    }

    private void add(VsockConnection c, int interest) {
        connections.put(c.key(), c);
        byFd.put(c.stream.fd(), c);
        c.interest = interest;
        c.registered = true;
        ops.add(c.stream.fd(), interest);
    }

    private void remove(VsockConnection c) {
        connections.remove(c.key());
        byFd.remove(c.stream.fd());
        if (c.registered) {
            ops.remove(c.stream.fd());
            c.registered = false;
        }
        readable.remove(c);
        if (c.hostInitiated) {
            localPorts.remove(c.localPort);
        }
        c.stream.close();
        resumeListener();
    }

    /**
     * The guest closed with bytes still on their way to the host program: the connection is gone for the
     * guest (RST sent), but its socket stays until they are written, as a close(2) keeps them.
     */
    private void linger(VsockConnection c) {
        connections.remove(c.key());
        readable.remove(c);
        if (c.hostInitiated) {
            localPorts.remove(c.localPort);
        }
        c.state = State.LINGERING;
        if (c.registered) {
            c.interest = Epoll.EPOLLOUT;
            ops.modify(c.stream.fd(), Epoll.EPOLLOUT);
        } else {
            closeLingering(c);             // the host hung up: nothing more can be written
        }
    }

    private void closeLingering(VsockConnection c) {
        byFd.remove(c.stream.fd());
        if (c.registered) {
            ops.remove(c.stream.fd());
            c.registered = false;
        }
        c.stream.close();
        resumeListener();
    }

    // ---- The device's side (also on the loop thread)

    @Override
    public void send(VsockPacket p) {
        applyReset();
        VsockConnection c = connections.get(VsockConnection.key(p.dstPort(), p.srcPort()));
        if (p.type() != VsockPacket.TYPE_STREAM) {
            reject(p);
            return;
        }
        if (c == null) {
            if (p.op() == OP_REQUEST) {
                connectToHost(p);
            } else {
                reject(p);
            }
            return;
        }
        c.credit(p);
        if (c.waitingForCredit && c.peerFree() > 0) {
            c.waitingForCredit = false;    // credit comes with every packet, not only CREDIT_UPDATE
        }
        switch (p.op()) {
            case OP_RESPONSE -> {
                if (c.state != State.CONNECTING) {
                    reset(c);
                    return;
                }
                c.state = State.ESTABLISHED;
                opened++;
                c.queueLocal(("OK " + Integer.toUnsignedString(c.localPort) + "\n").getBytes(StandardCharsets.US_ASCII));
                flush(c);
            }
            case OP_RW -> {
                if (c.state != State.ESTABLISHED && c.state != State.CLOSING || !c.queue(p.data())) {
                    reset(c);              // data before the connection, or beyond the credit we gave
                    return;
                }
                flush(c);
            }
            case OP_CREDIT_UPDATE -> {
                // its credit is taken above
            }
            case OP_CREDIT_REQUEST -> {
                if (!c.creditUpdateQueued) {   // one answer waits at a time, however often the guest asks
                    c.creditUpdateQueued = true;
                    control.add(c.packet(OP_CREDIT_UPDATE, 0, null));
                }
            }
            case OP_SHUTDOWN -> shutdown(c, p.flags());
            case OP_RST -> {
                if (c.state == State.CONNECTING) {
                    refused++;
                }
                remove(c);
                return;
            }
            default -> {
                reset(c);                  // a second REQUEST, an unknown operation
                return;
            }
        }
        watch(c);
    }

    /** The guest connects to host port P: the socket at PATH_P. */
    private void connectToHost(VsockPacket p) {
        if (connections.size() + requests.size() >= MAX_CONNECTIONS) {
            refused++;
            reject(p);
            return;
        }
        UnixStream s;
        try {
            s = UnixStream.connect(Path.of(path + "_" + Integer.toUnsignedString(p.dstPort())));
        } catch (SysException e) {
            refused++;
            reject(p);
            return;
        }
        var c = new VsockConnection(guestCid, p.dstPort(), p.srcPort(), s, State.ESTABLISHED);
        c.credit(p);
        try {
            add(c, Epoll.EPOLLIN);
        } catch (RuntimeException e) {     // epoll_ctl refused (ENOMEM, ENOSPC): as if nothing listened
            connections.remove(c.key());
            byFd.remove(s.fd());
            s.close();
            refused++;
            reject(p);
            return;
        }
        opened++;
        control.add(c.packet(OP_RESPONSE, 0, null));
    }

    private void shutdown(VsockConnection c, int flags) {
        if ((flags & (SHUTDOWN_RCV | SHUTDOWN_SEND)) == (SHUTDOWN_RCV | SHUTDOWN_SEND)) {
            flush(c);
            if (connections.get(c.key()) != c) {
                return;                    // the flush found the host gone and reset the connection
            }
            control.add(c.packet(OP_RST, 0, null));
            if (c.hasOutput()) {
                linger(c);
            } else {
                remove(c);
            }
            return;
        }
        if ((flags & SHUTDOWN_SEND) != 0) {
            c.peerShutdownSend = true;
            flush(c);
        }
    }

    /** Ends the connection on both sides: RST to the guest, the host socket closed. */
    private void reset(VsockConnection c) {
        control.add(c.packet(OP_RST, 0, null));
        remove(c);
    }

    /** An RST for a packet of no connection (unless it is one: RSTs are never answered). */
    private void reject(VsockPacket p) {
        if (p.op() != OP_RST) {
            control.add(VsockPacket.control(VsockPacket.CID_HOST, guestCid, p.dstPort(), p.srcPort(), OP_RST, 0, 0, 0));
        }
    }

    private void flush(VsockConnection c) {
        try {
            c.flush(scratch);
        } catch (SysException e) {
            reset(c);                      // the host program went away
            return;
        }
        if (!c.hasOutput() && c.peerShutdownSend) {
            try {
                c.stream.shutdownWrite();
            } catch (SysException e) {
                reset(c);
                return;
            }
        }
        if (c.creditUpdateDue() && !c.creditUpdateQueued) {
            c.creditUpdateQueued = true;
            control.add(c.packet(OP_CREDIT_UPDATE, 0, null));
        }
        if (!control.isEmpty()) {
            wakeReceive.run();
        }
    }

    @Override
    public boolean backlogged() {
        return control.size() >= MAX_PENDING_REPLIES;
    }

    @Override
    public boolean pending() {
        applyReset();
        return !control.isEmpty() || !readable.isEmpty();
    }

    @Override
    public VsockPacket poll(int maxData) {
        applyReset();
        VsockPacket p = control.poll();
        if (p != null && p.op() == OP_CREDIT_UPDATE) {
            VsockConnection c = connections.get(VsockConnection.key(p.srcPort(), p.dstPort()));
            if (c != null) {
                c.creditUpdateQueued = false;
            }
        }
        if (p != null || maxData == 0) {
            return p;                      // a buffer with room for a header only takes no data
        }
        while (!readable.isEmpty()) {
            VsockConnection c = readable.iterator().next();
            int free = c.peerFree();
            if (free == 0) {
                readable.remove(c);
                c.readable = false;
                c.waitingForCredit = true;
                watch(c);
                return c.packet(OP_CREDIT_REQUEST, 0, null);
            }
            long n;
            try {
                n = c.stream.read(scratch.asSlice(0, Math.min(Math.min(free, maxData), scratch.byteSize())));
            } catch (SysException e) {
                reset(c);
                return control.poll();
            }
            if (n < 0) {                   // drained: watch it again
                readable.remove(c);
                c.readable = false;
                watch(c);
                continue;
            }
            if (n == 0) {
                readable.remove(c);
                c.readable = false;
                // Not closed (epoll's HUP may not have been seen yet): shutdown(SHUT_WR), the host sends no
                // more but may still read.
                if (c.registered && !c.stream.peerClosed()) {
                    c.hostShutSend = true;
                    watch(c);
                    return c.packet(OP_SHUTDOWN, SHUTDOWN_SEND, null);
                }
                c.state = State.CLOSING;   // hung up (closed): nothing either way
                return c.packet(OP_SHUTDOWN, SHUTDOWN_RCV | SHUTDOWN_SEND, null);
            }
            byte[] data = new byte[(int) n];
            MemorySegment.copy(scratch, ValueLayout.JAVA_BYTE, 0, data, 0, (int) n);
            return c.packet(OP_RW, 0, data);
        }
        return null;
    }

    /** From the vCPU that reset the device: the loop drops every connection before anything else. */
    @Override
    public void reset() {
        resetPending.set(true);
        resetAsked.write(1);
    }

    private void applyReset() {
        if (!resetPending.getAndSet(false) || ops == null) {
            return;
        }
        for (VsockConnection c : byFd.values().toArray(VsockConnection[]::new)) {
            if (c.state == State.LINGERING) {
                closeLingering(c);
            } else {
                remove(c);
            }
        }
        for (HostRequest r : requests.values().toArray(HostRequest[]::new)) {
            dropRequest(r);
            refused--;                     // not refused: the device went away
        }
        control.clear();
    }

    /** After the loop has stopped: closes every socket and removes the listener's path. */
    @Override
    public void close() {
        byFd.values().forEach(c -> c.stream.close());
        requests.values().forEach(r -> r.stream.close());
        listener.close();
        resetAsked.close();
        arena.close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, name + ": remove " + path + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return name + " at " + path;
    }
}
