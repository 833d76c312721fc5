package dev.vmm.sev.psp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.vmm.core.sys.Errno;
import dev.vmm.sev.kvm.SevCmdId;
import dev.vmm.sev.kvm.SevLayouts;
import dev.vmm.sev.kvm.SevStruct;
import dev.vmm.sev.measure.PageType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * KVM_SEV_SNP_LAUNCH_UPDATE over one range, repeated until KVM has imported every page. KVM may
 * return success having done only part of the range (it stops at the end of a memslot, on a pending
 * signal, or at an error after the first page) and then writes back the advanced {@code gfn_start},
 * {@code uaddr} and {@code len}; the next call carries on from there, as QEMU's loop does. An error
 * on the first page of a call fails the call with EIO whatever its cause.
 *
 * <p>A CPUID page the firmware refuses (INVALID_PARAM) comes back in the source buffer as the
 * firmware would have it. When that page was not the first of the call, KVM reports only the partial
 * progress, and the next call would import the firmware's corrected page without a word; so the
 * source of a CPUID range is compared with what was sent after every call.
 */
final class SnpLaunchUpdate {
    static final int PAGE_SIZE = 4096;
    /** QEMU retries EAGAIN without limit; a bound keeps a kernel that always says EAGAIN from hanging the launch. */
    static final int EAGAIN_RETRIES = 1000;
    private static final String CMD = SevCmdId.SNP_LAUNCH_UPDATE.cName();

    private SnpLaunchUpdate() {}

    static void run(SevOp op, long gpa, MemorySegment source, long length, PageType type) {
        check(gpa, source, length, type);
        byte[] sent = type == PageType.CPUID ? source.asSlice(0, length).toArray(JAVA_BYTE) : null;
        try (Arena arena = Arena.ofConfined()) {
            SevStruct update = SevStruct.allocate(arena, SevLayouts.KVM_SEV_SNP_LAUNCH_UPDATE)
                    .put("gfn_start", gpa / PAGE_SIZE)
                    .put("uaddr", type == PageType.ZERO ? 0 : source.address())
                    .put("len", length)
                    .put("type", type.code());
            int busy = 0;
            while (update.get("len") != 0) {
                long left = update.get("len");
                SevOp.Outcome o = op.call(SevCmdId.SNP_LAUNCH_UPDATE, update);
                if (o.errno() == Errno.EAGAIN && ++busy < EAGAIN_RETRIES) {
                    continue;
                }
                long at = update.get("gfn_start") * PAGE_SIZE;
                if (o.failed()) {
                    if (sent != null && o.errno() == Errno.EIO
                            && o.firmwareError() == FirmwareError.INVALID_PARAM.code()) {
                        throw new CpuidRejectedException(CMD, o.errno(), firmwarePage(source, sent, length - left));
                    }
                    throw o.exception(String.format(
                            "%s pages at gpa 0x%x: failed at gpa 0x%x, %d of %d pages imported%s",
                            type.label(), gpa, at, (length - left) / PAGE_SIZE, length / PAGE_SIZE,
                            busy >= EAGAIN_RETRIES ? ", still EAGAIN after " + busy + " tries" : ""));
                }
                busy = 0;
                if (update.get("len") >= left) {
                    throw new IllegalStateException(String.format("%s returned 0 without importing gpa 0x%x", CMD, at));
                }
                if (sent != null) {
                    int rewritten = firstRewrittenPage(source, sent, length - update.get("len"));
                    if (rewritten >= 0) {
                        // The partial-progress case of the class comment: reported as the EIO KVM gives
                        // when the refused page is the first of a call.
                        throw new CpuidRejectedException(CMD, Errno.EIO,
                                source.asSlice(rewritten, PAGE_SIZE).toArray(JAVA_BYTE));
                    }
                }
            }
            if (update.get("gfn_start") != (gpa + length) / PAGE_SIZE) {
                throw new IllegalStateException(String.format("%s ended at gfn 0x%x, expected 0x%x", CMD,
                        update.get("gfn_start"), (gpa + length) / PAGE_SIZE));
            }
        }
    }

    /** KVM's up-front checks (all EINVAL), made here so that the message says which argument. */
    private static void check(long gpa, MemorySegment source, long length, PageType type) {
        String problem = null;
        if (type == PageType.VMSA) {
            problem = "VMSA pages are added by KVM in SNP_LAUNCH_FINISH, never by userspace";
        } else if (length <= 0 || length % PAGE_SIZE != 0 || gpa % PAGE_SIZE != 0) {
            problem = String.format("gpa 0x%x length 0x%x: whole pages only", gpa, length);
        } else if (type != PageType.ZERO && (source == null || source.byteSize() < length)) {
            problem = "no source of 0x" + Long.toHexString(length) + " bytes for " + type.label() + " pages";
        } else if (type != PageType.ZERO && source.address() % PAGE_SIZE != 0) {
            problem = String.format("source 0x%x is not page aligned", source.address());
        }
        if (problem != null) {
            throw new PspException(CMD, Errno.EINVAL, 0, problem);
        }
    }

    /** The page KVM copied back: the first one from {@code from} that differs from what was sent. */
    private static byte[] firmwarePage(MemorySegment source, byte[] sent, long from) {
        int page = firstRewrittenPage(source, sent, from);
        return source.asSlice(page >= 0 ? page : from, PAGE_SIZE).toArray(JAVA_BYTE);
    }

    private static int firstRewrittenPage(MemorySegment source, byte[] sent, long from) {
        for (int off = (int) from; off < sent.length; off += PAGE_SIZE) {
            byte[] now = source.asSlice(off, PAGE_SIZE).toArray(JAVA_BYTE);
            if (!Arrays.equals(now, 0, PAGE_SIZE, sent, off, off + PAGE_SIZE)) {
                return off;
            }
        }
        return -1;
    }
}
