package dev.vmm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.sys.Errno;
import dev.vmm.core.sys.SysException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The slot against the real /dev/kvm: KVM itself tells whether it is there. */
class RomdSlotTest {
    private static final long FLASH_BASE = 0xffe0_0000L;

    private final Arena arena = Arena.ofConfined();
    private final Kvm kvm = Kvm.open();
    private final VmFd vm = kvm.createVm(Kvm.VM_TYPE_DEFAULT);
    private final MemorySegment flash = arena.allocate(0x20000, 4096);
    private final MemorySegment other = arena.allocate(0x1000, 4096);

    @AfterEach
    void close() {
        vm.close();
        kvm.close();
        arena.close();
    }

    @Test
    void mapsAndUnmapsAsTheDeviceSays() {
        int ram = vm.allocateMemorySlot();
        RomdSlot slot = new RomdSlot(vm, FLASH_BASE, flash);
        assertThat(slot.slot()).as("the VM's next free number").isEqualTo(ram + 1);
        assertThat(slot.isMapped()).isFalse();
        assertThat(occupied()).isFalse();
        slot.map(true);
        slot.map(true); // no second ioctl (it would fail with EEXIST)
        assertThat(slot.isMapped()).isTrue();
        assertThat(occupied()).isTrue();
        slot.map(false);
        slot.map(false);
        assertThat(occupied()).isFalse();
        slot.map(true);
        assertThat(occupied()).isTrue();
        assertThat(slot).hasToString("romd slot 1 [0xffe00000-0xffe20000) mapped");
        slot.close();
        assertThat(occupied()).as("closed: unmapped").isFalse();
        slot.map(true);
        assertThat(occupied()).as("and stays so").isFalse();
        slot.close();
        assertThat(vm.allocateMemorySlot()).as("its number is free again").isEqualTo(1);
    }

    @Test
    void refusesUnalignedRanges() {
        assertThatThrownBy(() -> new RomdSlot(vm, FLASH_BASE + 0x800, flash))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page aligned");
        assertThatThrownBy(() -> new RomdSlot(vm, FLASH_BASE, flash.asSlice(0, 0x1800)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RomdSlot(vm, FLASH_BASE, flash.asSlice(0x800, 0x1000)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(vm.allocateMemorySlot()).as("refused slots hold no number").isZero();
    }

    /** Whether KVM refuses another slot over the flash's first page, i.e. the romd slot is there. */
    private boolean occupied() {
        try {
            vm.setUserMemoryRegion(100, 0, FLASH_BASE, other);
        } catch (SysException e) {
            assertThat(e.errno()).isEqualTo(Errno.EEXIST);
            return true;
        }
        vm.deleteUserMemoryRegion(100);
        return false;
    }
}
