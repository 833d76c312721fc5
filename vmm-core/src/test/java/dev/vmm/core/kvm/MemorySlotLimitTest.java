package dev.vmm.core.kvm;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.core.sys.Mmap;
import dev.vmm.core.sys.SysException;
import org.junit.jupiter.api.Test;

/**
 * KVM_MEM_MAX_NR_PAGES is no UAPI constant, so the ABI check cannot compile against it: the running
 * kernel answers instead. An 8 TiB mapping (MAP_NORESERVE: nothing is touched) of one page more than a
 * slot holds is refused, where a smaller slice of it at the same address is taken. (A slot of exactly
 * the limit is not tried: a shadow-paging KVM allocates its rmaps at once, 16 GiB and a minute.)
 */
class MemorySlotLimitTest {
    @Test
    void aSlotHoldsAtMostMaxSlotPages() {
        long pages = VmFd.MAX_SLOT_PAGES + 1;
        try (Kvm kvm = Kvm.open(); VmFd vm = kvm.createVm(Kvm.VM_TYPE_DEFAULT);
             Mmap ram = Mmap.anonymous(pages * 4096, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_NORESERVE, "8 TiB")) {
            int slot = vm.allocateMemorySlot();
            assertThatThrownBy(() -> vm.setUserMemoryRegion(slot, 0, 1L << 32, ram.segment()))
                    .isInstanceOf(SysException.class).hasMessageStartingWith("KVM_SET_USER_MEMORY_REGION: EINVAL");
            assertThatCode(() -> vm.setUserMemoryRegion(slot, 0, 1L << 32, ram.segment().asSlice(0, 1L << 30)))
                    .doesNotThrowAnyException();
        }
    }
}
