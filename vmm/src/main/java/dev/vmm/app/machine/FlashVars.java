package dev.vmm.app.machine;

import dev.vmm.core.kvm.VmFd;
import dev.vmm.devices.bus.Bus;
import dev.vmm.devices.flash.Pflash;
import dev.vmm.memory.RomdSlot;
import java.nio.file.Path;

/**
 * {@code --firmware-vars}: the UEFI variable store as a CFI01 flash right below the firmware code, as
 * QEMU's second pflash unit. In read-array mode the file's mapping is a read-only slot (reads at
 * memory speed, writes exit to the device); in any other mode the slot is gone so reads exit too.
 */
final class FlashVars {
    private FlashVars() {}

    static void attach(Path file, long gpa, VmFd vm, Bus mmio, Closer closer) {
        Pflash flash = closer.add(Pflash.open(file, false));
        if (flash.size() > gpa) {
            throw new IllegalArgumentException(file + " is too large to fit below the firmware");
        }
        RomdSlot romd = closer.add(new RomdSlot(vm, gpa - flash.size(), flash.arrayMemory())); // closed before the flash
        mmio.insert(gpa - flash.size(), flash.size(), "pflash-vars", flash);
        flash.setRomdListener(romd::map);
    }
}
