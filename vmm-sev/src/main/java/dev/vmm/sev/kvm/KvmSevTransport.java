package dev.vmm.sev.kvm;

import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.sys.Fd;
import java.lang.foreign.MemorySegment;

/** The real transport: the VM fd's KVM_MEMORY_ENCRYPT_OP and an open {@code /dev/sev}. */
public final class KvmSevTransport implements SevTransport {
    private final VmFd vm;
    private final Fd sev;

    public KvmSevTransport(VmFd vm, Fd sev) {
        this.vm = vm;
        this.sev = sev;
    }

    @Override
    public int encryptOp(MemorySegment kvmSevCmd) {
        return vm.memoryEncryptOp(kvmSevCmd);
    }

    @Override
    public int sevFd() {
        return sev.raw();
    }
}
