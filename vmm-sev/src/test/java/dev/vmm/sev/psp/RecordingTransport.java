package dev.vmm.sev.psp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.vmm.core.sys.Errno;
import dev.vmm.sev.kvm.SevTransport;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for KVM: records every KVM_MEMORY_ENCRYPT_OP (the envelope, the sub-command struct read
 * through its pointer, and the buffers that struct points to) and answers as scripted. The struct
 * sizes and offsets here are written out from the 6.12 header, independently of {@code SevLayouts}.
 */
final class RecordingTransport implements SevTransport {
    static final int SEV_FD = 7;
    static final int PAGE = 4096;
    static final int SNP_PAGE_TYPE_ZERO = 3;

    /** {@code sizeof} of the struct each sub-command id points to (asm/kvm.h, x86-64). */
    private static final Map<Integer, Integer> STRUCT_SIZE = Map.of(
            22, 48,     // kvm_sev_init
            2, 40,      // kvm_sev_launch_start
            3, 16,      // kvm_sev_launch_update_data
            5, 48,      // kvm_sev_launch_secret
            6, 16,      // kvm_sev_launch_measure
            16, 12,     // kvm_sev_guest_status
            100, 64,    // kvm_sev_snp_launch_start
            101, 64,    // kvm_sev_snp_launch_update
            102, 88);   // kvm_sev_snp_launch_finish

    /** One call as KVM received it. {@code blobs} holds the buffers the struct points to, by C field name. */
    record Call(int id, byte[] cmd, byte[] data, Map<String, byte[]> blobs) {
        long cmdData() {
            return le(cmd).getLong(8);
        }

        ByteBuffer struct() {
            return le(data);
        }
    }

    /** What KVM does with a call: it may write into the envelope and the struct; returns the result or -errno. */
    interface Answer {
        int answer(MemorySegment cmd, MemorySegment data);
    }

    final List<Call> calls = new ArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();
    private Answer otherwise = (cmd, data) -> 0;

    RecordingTransport then(Answer answer) {
        script.add(answer);
        return this;
    }

    /** The answer once the script is used up (success by default). */
    RecordingTransport otherwise(Answer answer) {
        otherwise = answer;
        return this;
    }

    List<Integer> ids() {
        return calls.stream().map(Call::id).toList();
    }

    @Override
    public int encryptOp(MemorySegment kvmSevCmd) {
        MemorySegment cmd = kvmSevCmd.reinterpret(24);
        int id = cmd.get(JAVA_INT, 0);
        long pointer = cmd.get(JAVA_LONG, 8);
        Integer size = STRUCT_SIZE.get(id);
        MemorySegment data = pointer == 0 || size == null ? MemorySegment.NULL
                : MemorySegment.ofAddress(pointer).reinterpret(size);
        calls.add(new Call(id, cmd.toArray(JAVA_BYTE), data.toArray(JAVA_BYTE), blobs(id, data)));
        Answer a = script.isEmpty() ? otherwise : script.poll();
        return a.answer(cmd, data);
    }

    @Override
    public int sevFd() {
        return SEV_FD;
    }

    /** The buffers KVM would copy in, read while they are alive (they live for the call only). */
    private static Map<String, byte[]> blobs(int id, MemorySegment s) {
        Map<String, byte[]> b = new LinkedHashMap<>();
        switch (id) {
            case 2 -> {
                blob(b, "dh", s.get(JAVA_LONG, 8), s.get(JAVA_INT, 16));
                blob(b, "session", s.get(JAVA_LONG, 24), s.get(JAVA_INT, 32));
            }
            case 5 -> {
                blob(b, "hdr", s.get(JAVA_LONG, 0), s.get(JAVA_INT, 8));
                blob(b, "trans", s.get(JAVA_LONG, 32), s.get(JAVA_INT, 40));
            }
            case 102 -> {
                blob(b, "id_block", s.get(JAVA_LONG, 0), 96);
                blob(b, "id_auth", s.get(JAVA_LONG, 8), 4096);
            }
            default -> { }
        }
        return b;
    }

    private static void blob(Map<String, byte[]> into, String name, long address, int length) {
        if (address != 0) {
            into.put(name, MemorySegment.ofAddress(address).reinterpret(length).toArray(JAVA_BYTE));
        }
    }

    static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    // Answers, each doing what KVM does in that case.

    static Answer fail(int errno, int firmwareError) {
        return (cmd, data) -> {
            cmd.set(JAVA_INT, 16, firmwareError);
            return -errno;
        };
    }

    /** KVM_SEV_LAUNCH_START: the firmware's new handle is written back. */
    static Answer handle(int handle) {
        return (cmd, data) -> {
            data.set(JAVA_INT, 0, handle);
            return 0;
        };
    }

    static Answer guestStatus(int handle, int policy, int state) {
        return (cmd, data) -> {
            data.set(JAVA_INT, 0, handle);
            data.set(JAVA_INT, 4, policy);
            data.set(JAVA_INT, 8, state);
            return 0;
        };
    }

    /** KVM_SEV_LAUNCH_MEASURE with len 0: the firmware says INVALID_LEN, KVM still writes the length back. */
    static Answer measureLength(int length) {
        return (cmd, data) -> {
            data.set(JAVA_INT, 8, length);
            cmd.set(JAVA_INT, 16, FirmwareError.INVALID_LEN.code());
            return -Errno.EIO;
        };
    }

    static Answer measureBlob(byte[] blob) {
        return (cmd, data) -> {
            MemorySegment.copy(blob, 0, MemorySegment.ofAddress(data.get(JAVA_LONG, 0)).reinterpret(blob.length),
                    JAVA_BYTE, 0, blob.length);
            data.set(JAVA_INT, 8, blob.length);
            return 0;
        };
    }

    /** KVM_SEV_SNP_LAUNCH_UPDATE returning 0 after {@code pages} pages, with KVM's write-back. */
    static Answer progress(int pages) {
        return (cmd, data) -> {
            data.set(JAVA_LONG, 0, data.get(JAVA_LONG, 0) + pages);
            if (data.get(JAVA_BYTE, 24) != SNP_PAGE_TYPE_ZERO) {
                data.set(JAVA_LONG, 8, data.get(JAVA_LONG, 8) + (long) pages * PAGE);
            }
            data.set(JAVA_LONG, 16, data.get(JAVA_LONG, 16) - (long) pages * PAGE);
            return 0;
        };
    }

    /** KVM_SEV_SNP_LAUNCH_UPDATE importing everything it was given. */
    static Answer allPages() {
        return (cmd, data) -> progress((int) (data.get(JAVA_LONG, 16) / PAGE)).answer(cmd, data);
    }

    /**
     * A CPUID page refused on page {@code index} of the call: KVM copies the firmware's page over the
     * source there; on the first page the call fails (EIO, INVALID_PARAM), later it returns the progress.
     */
    static Answer cpuidRefused(int index, byte[] firmwarePage) {
        return (cmd, data) -> {
            long page = data.get(JAVA_LONG, 8) + (long) index * PAGE;
            MemorySegment source = MemorySegment.ofAddress(page).reinterpret(PAGE);
            MemorySegment.copy(firmwarePage, 0, source, JAVA_BYTE, 0, PAGE);
            if (index > 0) {
                return progress(index).answer(cmd, data);
            }
            return fail(Errno.EIO, FirmwareError.INVALID_PARAM.code()).answer(cmd, data);
        };
    }
}
