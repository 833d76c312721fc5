package dev.vmm.sev.psp;

import dev.vmm.core.abi.CName;
import dev.vmm.sev.kvm.SevCmdId;
import dev.vmm.sev.kvm.SevLayouts;
import dev.vmm.sev.kvm.SevStruct;
import dev.vmm.sev.kvm.SevTransport;
import java.lang.foreign.Arena;

/**
 * One KVM_MEMORY_ENCRYPT_OP: a fresh {@code kvm_sev_cmd} around a sub-command struct, and what came
 * back. The envelope is zeroed for every call because KVM leaves {@code error} untouched when it
 * fails before reaching the firmware; {@code sev_fd} goes into every call because some commands
 * (SNP_LAUNCH_UPDATE, the VMSA step of SNP_LAUNCH_FINISH) use the fd of the call, not the one KVM kept.
 */
final class SevOp {
    /** What the PSP driver may put in {@code error} when it did not reach the firmware; reported as 0. */
    @CName("SEV_RET_NO_FW_CALL") static final int NO_FW_CALL = -1;

    private final SevTransport transport;

    SevOp(SevTransport transport) {
        this.transport = transport;
    }

    /** Issues the command without judging the result. */
    Outcome call(SevCmdId id, SevStruct data) {
        try (Arena arena = Arena.ofConfined()) {
            SevStruct cmd = SevStruct.allocate(arena, SevLayouts.KVM_SEV_CMD)
                    .put("id", id.id())
                    .put("data", data == null ? 0 : data.address())
                    .put("sev_fd", transport.sevFd());
            int result = transport.encryptOp(cmd.segment());
            int error = (int) cmd.get("error");
            return new Outcome(id, result, error == NO_FW_CALL ? 0 : error);
        }
    }

    /** Issues the command; a failure becomes a {@link PspException} with {@code detail}. */
    int run(SevCmdId id, SevStruct data, String detail) {
        Outcome o = call(id, data);
        if (o.failed()) {
            throw o.exception(detail);
        }
        return o.result();
    }

    /**
     * @param result the ioctl's result, or {@code -errno}
     * @param firmwareError {@code kvm_sev_cmd.error}: the firmware status, 0 when it was not called
     */
    record Outcome(SevCmdId command, int result, int firmwareError) {
        boolean failed() {
            return result < 0;
        }

        int errno() {
            return failed() ? -result : 0;
        }

        PspException exception(String detail) {
            return new PspException(command.cName(), errno(), firmwareError, detail);
        }
    }
}
