package dev.vmm.core.assist;

import dev.vmm.core.kvm.VcpuFd;
import dev.vmm.core.x86.DecodeException;
import dev.vmm.core.x86.Decoder;
import dev.vmm.core.x86.Instruction;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Completes, in userspace, instructions the host's KVM instruction emulator gives up on
 * (KVM_INTERNAL_ERROR_EMULATION with the instruction bytes): decodes them, emulates the few that
 * firmware needs ({@link X87Sse}, {@link X87Data}) and the bit counts and SMAP toggles kernels use
 * ({@link BitCounts}, {@link SmapOps}) with
 * their exact architectural effect, delivers the
 * exceptions INT3 and UD2 raise ({@link ExceptionDelivery}), and refuses everything else
 * so the VM stops with a clear report. Counts what it did, by mnemonic.
 */
public final class EmulationAssist {
    /** What happened to one failed instruction. */
    public sealed interface Outcome {
        record Emulated(String mnemonic) implements Outcome {}

        record Refused(String reason) implements Outcome {}
    }

    private final PhysicalMemory memory;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    public EmulationAssist(PhysicalMemory memory) {
        this.memory = memory;
    }

    /** Emulates the instruction at the vCPU's RIP whose bytes KVM reported; on success RIP is past it. */
    public Outcome emulate(VcpuFd vcpu, byte[] bytes) {
        CpuContext cpu = new CpuContext(vcpu, memory);
        String exception = exceptionOf(bytes);
        if (exception != null) {
            try {
                // INT3 is a trap (saved RIP after it), UD2 a fault (saved RIP at it).
                boolean bp = exception.equals("int3");
                ExceptionDelivery.deliver(cpu, bp ? ExceptionDelivery.BP : ExceptionDelivery.UD,
                        bp ? cpu.rip() + 1 : cpu.rip());
                cpu.commit();
                counts.computeIfAbsent(exception, k -> new LongAdder()).increment();
                return new Outcome.Emulated(exception);
            } catch (AssistException e) {
                return new Outcome.Refused(exception + ": " + e.getMessage());
            }
        }
        Instruction insn;
        try {
            insn = Decoder.decode(bytes, cpu.mode());
        } catch (DecodeException e) {
            return new Outcome.Refused(e.getMessage());
        }
        try {
            String mnemonic = BitCounts.execute(cpu, insn);
            mnemonic = mnemonic != null ? mnemonic : SmapOps.execute(cpu, insn);
            mnemonic = mnemonic != null ? mnemonic : X87Sse.execute(cpu, insn);
            cpu.advance(insn.length());
            cpu.commit();
            counts.computeIfAbsent(mnemonic, k -> new LongAdder()).increment();
            return new Outcome.Emulated(mnemonic);
        } catch (AssistException e) {
            return new Outcome.Refused(e.getMessage() + " [" + insn.bytes() + "]");
        }
    }

    /** "int3" or "ud2" for an instruction whose only effect is an exception, else null. */
    private static String exceptionOf(byte[] b) {
        if (b.length >= 1 && b[0] == (byte) 0xcc) {
            return "int3";
        }
        if (b.length >= 2 && b[0] == 0x0f && b[1] == 0x0b) {
            return "ud2";
        }
        return null;
    }

    /** Instructions emulated so far, by mnemonic. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
