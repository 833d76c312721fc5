package dev.vmm.core.vcpu;

import dev.vmm.core.assist.EmulationAssist;
import dev.vmm.core.kvm.KvmRun;
import dev.vmm.core.kvm.VcpuFd;
import dev.vmm.core.sys.Errno;
import dev.vmm.core.sys.KickSignal;
import dev.vmm.core.sys.SysException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One vCPU on its own platform thread, as a small state machine: RUNNING (in and out of KVM_RUN),
 * PAUSED (waiting for a command), FINISHED. Other threads never touch the vCPU; they post a command
 * and {@linkplain #kick() kick} it out of KVM_RUN with {@code immediate_exit} plus {@link KickSignal}.
 */
public final class VcpuRunner {
    public enum State { CREATED, RUNNING, PAUSED, FINISHED }

    /** SNAPSHOT only wakes the thread: requests wait in {@link #snapshots}, served at the loop's top. */
    private enum Command { PAUSE, RESUME, FINISH, SNAPSHOT }

    private final VcpuFd vcpu;
    private final KvmRun run;
    private final ExitHandler handler;
    private final StopRequester stopper;
    private final EmulationAssist assist;
    /** Exits by {@code kvm_run.exit_reason}; written by the vCPU thread only. */
    private final long[] exitCounts = new long[64];
    private final LinkedBlockingQueue<Command> mailbox = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<CompletableFuture<VcpuState>> snapshots = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile State state = State.CREATED;
    private volatile long exits;
    /** Registers when the thread finished (or at the guest fault that finished it), for reports; written only by the vCPU thread. */
    private volatile VcpuState finalState;
    /** The thread to signal; 0 once it can no longer be signalled. Guarded by {@code this}. */
    private long pthread;
    private Thread thread;

    /** @param assist completes instructions KVM could not emulate; null to stop the VM on them instead */
    public VcpuRunner(VcpuFd vcpu, ExitHandler handler, StopRequester stopper, EmulationAssist assist) {
        this.vcpu = vcpu;
        this.run = vcpu.run();
        this.handler = handler;
        this.stopper = stopper;
        this.assist = assist;
    }

    public int id() {
        return vcpu.id();
    }

    public State state() {
        return state;
    }

    /** Exits handled so far (a diagnostic, updated by the vCPU thread only). */
    public long exits() {
        return exits;
    }

    /** The registers when the vCPU thread finished (null while running, or if KVM would not give them). */
    public VcpuState finalState() {
        return finalState;
    }

    /** A copy of the exit counts by reason number (racy while running; exact once finished). */
    public long[] exitCounts() {
        return exitCounts.clone();
    }

    /** Starts the thread and waits until it can be kicked. */
    public void start() {
        thread = Thread.ofPlatform().name("vcpu" + vcpu.id()).start(this::loop);
        started.join();
    }

    public void pause() {
        post(Command.PAUSE);
    }

    public void resume() {
        post(Command.RESUME);
    }

    public void finish() {
        post(Command.FINISH);
    }

    /**
     * The registers as the vCPU thread reads them at its next exit (it is kicked for this); the
     * final registers once it has finished. For diagnostics such as "where is a slow boot now".
     */
    public CompletableFuture<VcpuState> snapshot() {
        CompletableFuture<VcpuState> f = new CompletableFuture<>();
        snapshots.add(f);
        post(Command.SNAPSHOT);
        if (state == State.FINISHED) {
            serveSnapshots(finalState);
        }
        return f;
    }

    private void serveSnapshots(VcpuState st) {
        for (CompletableFuture<VcpuState> f; (f = snapshots.poll()) != null; ) {
            f.complete(st);
        }
    }

    /** Waits for the thread to end; false if it did not within the timeout. */
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        if (thread == null) {
            return true;
        }
        return thread.join(java.time.Duration.ofNanos(unit.toNanos(timeout)));
    }

    private void post(Command command) {
        mailbox.add(command);
        kick();
    }

    /** Makes the vCPU leave KVM_RUN soon: at once if inside, before entering if about to enter. */
    public synchronized void kick() {
        if (pthread != 0) {
            run.setImmediateExit(true);
            KickSignal.send(pthread);
        }
    }

    private void loop() {
        try {
            long mask = KickSignal.blockInCurrentThread();
            vcpu.setSignalMask(mask);
            synchronized (this) {
                pthread = KickSignal.currentThread();
            }
            state = State.RUNNING;
            started.complete(null);
            while (state != State.FINISHED) {
                Command command = state == State.PAUSED ? mailbox.take() : mailbox.poll();
                if (command != null) {
                    apply(command);
                } else {
                    runOnce();
                }
            }
        } catch (Throwable t) {
            stopper.requestStop(new StopReason.VmmFailure("vcpu" + vcpu.id(), t));
        } finally {
            if (finalState == null) {
                finalState = captureState();
            }
            synchronized (this) {
                pthread = 0;
            }
            // No kick can be sent from here on; consume any still pending, because the JVM restores the
            // thread's original signal mask when it exits and would deliver it (default action: exit).
            KickSignal.drain();
            state = State.FINISHED;
            serveSnapshots(finalState);
            started.complete(null);
            finished.complete(null);
        }
    }

    private void apply(Command command) {
        switch (command) {
            case PAUSE -> state = State.PAUSED;
            case RESUME -> state = State.RUNNING;
            case FINISH -> state = State.FINISHED;
            case SNAPSHOT -> serveSnapshots(captureState());
        }
    }

    private void runOnce() {
        int rc = vcpu.enter();
        VcpuExit exit;
        if (rc == -Errno.EINTR) {
            exit = ExitDecoder.interrupted();
        } else if (rc == -Errno.EAGAIN) {
            return;
        } else if (rc < 0) {
            throw new SysException("KVM_RUN", -rc, "vcpu" + vcpu.id());
        } else {
            exit = ExitDecoder.decode(run);
            int reason = run.exitReason();
            exitCounts[reason >= 0 && reason < exitCounts.length ? reason : 0]++;
        }
        exits++;
        if (exit instanceof VcpuExit.Interrupted) {
            // Clear the kick before looking at the mailbox, so a kick posted after this point is seen.
            run.setImmediateExit(false);
            KickSignal.drain();
            return;
        }
        String assistRefusal = null;
        if (assist != null && exit instanceof VcpuExit.InternalError(int sub, long[] data, byte[] insn)
                && sub == InternalErrors.EMULATION && insn != null && insn.length > 0) {
            switch (assist.emulate(vcpu, insn)) {
                case EmulationAssist.Outcome.Emulated e -> {
                    return;
                }
                case EmulationAssist.Outcome.Refused(String reason) -> assistRefusal = reason;
            }
        }
        switch (ExitDispatcher.dispatch(exit, handler)) {
            case ExitAction.Continue c -> { }
            case ExitAction.HypercallReturn(long value) -> run.setHypercallReturn(value);
            case ExitAction.Stop(StopReason reason) -> {
                stopper.requestStop(reason);
                state = State.FINISHED;
            }
            case ExitAction.Fault(String event, String detail) -> {
                String why = assistRefusal == null ? detail : detail + "\nemulation assist: " + assistRefusal;
                finalState = captureState();      // read once: the fault report and finalState() share it
                if (exit instanceof VcpuExit.Shutdown && finalState != null && finalState.isResetState()) {
                    why = SHUTDOWN_REINIT + (why.isEmpty() ? "" : "\n" + why);
                }
                stopper.requestStop(new StopReason.GuestFault(vcpu.id(), event, why, finalState));
                state = State.FINISHED;
            }
        }
    }

    /**
     * AMD's KVM INITs the vCPU at a SHUTDOWN intercept, because the VMCB is undefined after one
     * (svm.c shutdown_interception); Intel's keeps the guest's registers.
     */
    public static final String SHUTDOWN_REINIT = "KVM re-initialised the vCPU at the shutdown (SVM does: the VMCB is "
            + "undefined after a SHUTDOWN intercept), so the registers below are its INIT state, not the guest's";

    private VcpuState captureState() {
        try {
            return new VcpuState(vcpu.regs(), vcpu.sregs());
        } catch (SysException e) {
            return null;
        }
    }
}
