package dev.vmm.devices.flash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.core.kvm.DescriptorTable;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.Segment;
import dev.vmm.core.kvm.Sregs;
import dev.vmm.core.kvm.VcpuFd;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.sys.Mmap;
import dev.vmm.core.vcpu.ExitHandler;
import dev.vmm.core.vcpu.StopReason;
import dev.vmm.core.vcpu.VcpuSet;
import dev.vmm.devices.MachineRequest;
import dev.vmm.devices.bus.Bus;
import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.IoData;
import dev.vmm.devices.legacy.DebugExit;
import dev.vmm.memory.RomdSlot;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The romd design on the real /dev/kvm: the flash mapped through a {@link RomdSlot} that follows the
 * device's {@link RomdListener}, and a real-mode guest running OVMF's detection probe against it.
 * Reads in array mode must come from the slot (no exit), writes must exit as MMIO, and the status
 * read after 0x70 must reach the device.
 */
class PflashOnKvmTest {
    private static final long FLASH_GPA = 0x20000;
    private static final long CODE = 0x1000;

    @TempDir
    Path dir;

    @Test
    void ovmfProbeRunsOnKvmWithTheSlotFollowingTheDevice() throws Exception {
        byte[] image = new byte[128 * 1024];
        image[0x10] = (byte) 0x8d;
        Path file = dir.resolve("vars.fd");
        Files.write(file, image);

        List<String> outs = new CopyOnWriteArrayList<>();
        List<Boolean> romd = new CopyOnWriteArrayList<>();
        AtomicInteger mmioReads = new AtomicInteger();
        try (Kvm kvm = Kvm.open(); VmFd vm = kvm.createVm(Kvm.VM_TYPE_DEFAULT);
             Mmap ram = Mmap.anonymous(0x10000, Mmap.PROT_READ | Mmap.PROT_WRITE, 0, "test RAM");
             Pflash flash = Pflash.open(file, false)) {
            vm.setTssAddr(0xfffbd000L);
            vm.createIrqchip();
            vm.setUserMemoryRegion(vm.allocateMemorySlot(), 0, 0, ram.segment());
            RomdSlot slot = new RomdSlot(vm, FLASH_GPA, flash.arrayMemory());
            flash.setRomdListener(array -> {
                romd.add(array);
                slot.map(array);
            });

            Bus pio = new Bus("pio");
            Bus mmio = new Bus("mmio");
            mmio.insert(FLASH_GPA, flash.size(), "flash", new BusDevice() {
                @Override
                public void read(long offset, MemorySegment data) {
                    mmioReads.incrementAndGet();
                    flash.read(offset, data);
                }

                @Override
                public void write(long offset, MemorySegment data) {
                    flash.write(offset, data);
                }
            });
            pio.insert(0x80, 4, "probe results", new BusDevice() {
                @Override
                public void read(long offset, MemorySegment data) {
                    data.fill((byte) 0xff);
                }

                @Override
                public void write(long offset, MemorySegment data) {
                    outs.add(String.format("%x=%02x", 0x80 + offset, IoData.get(data)));
                }
            });
            VcpuSet vcpus = new VcpuSet(new ExitHandler() {
                @Override
                public void pioRead(int port, MemorySegment data) {
                    pio.read(port, data);
                }

                @Override
                public void pioWrite(int port, MemorySegment data) {
                    pio.write(port, data);
                }

                @Override
                public void mmioRead(long address, MemorySegment data) {
                    mmio.read(address, data);
                }

                @Override
                public void mmioWrite(long address, MemorySegment data) {
                    mmio.write(address, data);
                }
            });
            pio.insert(DebugExit.DEFAULT_PORT, DebugExit.SIZE, "debug exit", new DebugExit(
                    r -> vcpus.requestStop(new StopReason.GuestExit(((MachineRequest.GuestExit) r).status()))));
            vcpus.add(vcpuAt(vm, ram, ""
                    + "b8 00 20" // mov ax, 0x2000
                    + "8e d8" // mov ds, ax: the flash
                    + "a0 10 00 e6 80" // OriginalUint8 = *Ptr
                    + "c6 06 10 00 50" // *Ptr = CLEAR_STATUS_CMD
                    + "a0 10 00 e6 81" // ProbeUint8 = *Ptr
                    + "c6 06 10 00 70" // *Ptr = READ_STATUS_CMD
                    + "a0 10 00 e6 82" // ProbeUint8 = *Ptr: 0 means FLASH
                    + "c6 06 10 00 ff" // *Ptr = READ_ARRAY_CMD
                    + "a0 10 00 e6 83"
                    + "b0 00 ba 01 05 ee" // exit 0 through port 0x501
                    + "f4 eb fd"));
            vcpus.start();
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(10_000);
                    vcpus.requestStop(new StopReason.HostRequest("the guest hung"));
                } catch (InterruptedException done) {
                    // the guest finished
                }
            });
            StopReason reason = vcpus.awaitStop();
            watchdog.interrupt();
            vcpus.close();

            assertThat(reason).isEqualTo(new StopReason.GuestExit(0));
            assertThat(outs).containsExactly("80=8d", "81=8d", "82=00", "83=8d");
            assertThat(romd).containsExactly(true, false, true);
            assertThat(mmioReads).as("only the status read exits").hasValue(1);
            assertThat(slot.isMapped()).isTrue();
            slot.map(false); // before the flash unmaps its file
        }
    }

    /** A vCPU in real mode with CS base 0, about to run {@code hex} at {@link #CODE}. */
    private static VcpuFd vcpuAt(VmFd vm, Mmap ram, String hex) {
        byte[] code = HexFormat.of().parseHex(hex.replace(" ", ""));
        MemorySegment.copy(code, 0, ram.segment(), ValueLayout.JAVA_BYTE, CODE, code.length);
        VcpuFd vcpu = vm.createVcpu(0);
        Sregs s = vcpu.sregs();
        Segment cs = new Segment(0, 0xffff, 0, 0xb, true, 0, false, true, false, false, false, false);
        vcpu.setSregs(new Sregs(cs, s.ds(), s.es(), s.fs(), s.gs(), s.ss(), s.tr(), s.ldt(), s.gdt(),
                new DescriptorTable(0, 0x3ff), s.cr0(), s.cr2(), s.cr3(), s.cr4(), s.cr8(), s.efer(), s.apicBase(),
                s.interruptBitmap()));
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        return vcpu;
    }
}
