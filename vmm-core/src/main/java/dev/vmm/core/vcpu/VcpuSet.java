package dev.vmm.core.vcpu;

import dev.vmm.core.kvm.VcpuFd;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The vCPUs of one VM: starts their threads, stops all of them on the first stop request, and owns
 * (closes) their fds once every thread has ended.
 */
public final class VcpuSet implements StopRequester, AutoCloseable {
    private static final long JOIN_TIMEOUT_SECONDS = 10;
    private final ExitHandler handler;
    private final dev.vmm.core.assist.EmulationAssist assist;
    private final List<VcpuFd> vcpus = new ArrayList<>();
    private final List<VcpuRunner> runners = new ArrayList<>();
    private final CompletableFuture<StopReason> stop = new CompletableFuture<>();
    private boolean closed;

    public VcpuSet(ExitHandler handler) {
        this(handler, null);
    }

    /** @param assist completes instructions KVM could not emulate, or null */
    public VcpuSet(ExitHandler handler, dev.vmm.core.assist.EmulationAssist assist) {
        this.handler = handler;
        this.assist = assist;
    }

    /** Adds a vCPU before {@link #start()}; the set owns (closes) it from now on. */
    public synchronized void add(VcpuFd vcpu) {
        if (closed) {
            vcpu.close();
            throw new IllegalStateException("vCPU set is closed");
        }
        vcpus.add(vcpu);
        runners.add(new VcpuRunner(vcpu, handler, this, assist));
    }

    public List<VcpuRunner> runners() {
        return runners;
    }

    /** Exits of every vCPU by reason number. */
    public long[] exitCounts() {
        long[] total = new long[64];
        for (VcpuRunner r : runners) {
            long[] c = r.exitCounts();
            for (int i = 0; i < total.length; i++) {
                total[i] += c[i];
            }
        }
        return total;
    }

    public synchronized void start() {
        for (VcpuRunner r : runners) {
            r.start();
        }
    }

    /** The first reason wins; every vCPU is told to finish. */
    @Override
    public void requestStop(StopReason reason) {
        if (stop.complete(reason)) {
            runners.forEach(VcpuRunner::finish);
        }
    }

    /** Blocks until a stop was requested and every vCPU thread has ended; returns the reason. */
    public StopReason awaitStop() throws InterruptedException {
        StopReason reason;
        try {
            reason = stop.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        }
        joinAll();
        return reason;
    }

    public boolean isStopRequested() {
        return stop.isDone();
    }

    private void joinAll() throws InterruptedException {
        for (VcpuRunner r : runners) {
            r.finish();
        }
        for (VcpuRunner r : runners) {
            while (!r.join(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                // A vCPU that ignores kicks would leave its fd and mapping alive: keep kicking, loudly.
                System.getLogger("vmm").log(System.Logger.Level.WARNING,
                        "vcpu" + r.id() + " has not left KVM_RUN after " + JOIN_TIMEOUT_SECONDS + " s; kicking again");
                r.kick();
            }
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        requestStop(new StopReason.HostRequest("VM closed"));
        joinAll();
        RuntimeException failure = null;
        for (VcpuFd v : vcpus) {
            try {
                v.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
