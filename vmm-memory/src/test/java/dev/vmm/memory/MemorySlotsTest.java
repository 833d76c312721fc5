package dev.vmm.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.VmFd;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** Slot numbers on the real /dev/kvm: regions and romd slots share the VM's one number space. */
class MemorySlotsTest {
    @Test
    void regionsAndARomdSlotTakeDistinctNumbersFromTheVm() {
        try (Kvm kvm = Kvm.open(); VmFd vm = kvm.createVm(Kvm.VM_TYPE_DEFAULT);
             GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, 0x10000, RegionKind.RAM)
                     .add("rom", 0xffff0000L, 0x10000, RegionKind.ROM).build();
             Arena arena = Arena.ofConfined()) {
            int taken = vm.allocateMemorySlot();      // someone else's slot, say a device's
            assertThat(MemorySlots.register(vm, memory)).containsExactly(taken + 1, taken + 2);
            // Before slot numbers came from the VM, a flash's romd slot was handed regions().size(): 2, taken above.
            try (RomdSlot romd = new RomdSlot(vm, 0xfffe0000L, arena.allocate(0x10000, 4096))) {
                assertThat(romd.slot()).isEqualTo(taken + 3);
                romd.map(true);
                assertThat(romd.isMapped()).isTrue();
            }
            assertThat(vm.allocateMemorySlot()).isEqualTo(taken + 3);
        }
    }
}
