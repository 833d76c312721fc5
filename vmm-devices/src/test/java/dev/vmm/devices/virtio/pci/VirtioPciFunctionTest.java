package dev.vmm.devices.virtio.pci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.pci.PciConfigSpace;
import dev.vmm.devices.virtio.DeviceStatus;
import dev.vmm.devices.virtio.RingWriter;
import dev.vmm.devices.virtio.VirtioFeatures;
import dev.vmm.devices.virtio.queue.Vring;
import dev.vmm.devices.virtio.rng.VirtioRng;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.RegionKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The modern PCI transport as a driver sees it, with virtio-rng as the device behind it. */
class VirtioPciFunctionTest {
    private final GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, 0x10_0000, RegionKind.RAM).build();
    private final TestDriver driver = new TestDriver(new VirtioRng("virtio-rng0"), memory, false);
    private final VirtioPciFunction f = driver.function;

    @AfterEach
    void close() {
        f.close();
        memory.close();
    }

    @Test
    void theIdsAreTheModernOnesOvmfAndLinuxBind() {
        assertThat(f.readConfig(PciConfigSpace.VENDOR_ID, 2)).isEqualTo(0x1af4);
        assertThat(f.readConfig(PciConfigSpace.DEVICE_ID, 2)).isEqualTo(0x1044);
        assertThat(f.readConfig(PciConfigSpace.REVISION_ID, 1)).isEqualTo(1);
        assertThat(f.readConfig(PciConfigSpace.SUBSYSTEM_ID, 2)).isGreaterThanOrEqualTo(0x40);
        assertThat(f.readConfig(PciConfigSpace.STATUS, 2) & VirtioPciLayouts.STATUS_CAP_LIST).isNotZero();
    }

    @Test
    void theCapabilitiesPointIntoTheBar() {
        int[][] expected = {
                {VirtioPciLayouts.CAP_COMMON_CFG, (int) VirtioPciFunction.COMMON_OFFSET, 56},
                {VirtioPciLayouts.CAP_NOTIFY_CFG, (int) VirtioPciFunction.NOTIFY_OFFSET, 4},
                {VirtioPciLayouts.CAP_ISR_CFG, (int) VirtioPciFunction.ISR_OFFSET, 1},
                {VirtioPciLayouts.CAP_PCI_CFG, 0, 0}};
        for (int[] e : expected) {
            int cap = driver.capability(VirtioPciLayouts.CAP_ID_VNDR, e[0]);
            assertThat(cap).as("cfg_type %d", e[0]).isPositive();
            assertThat(f.readConfig(cap + 4, 1)).as("bar").isZero();
            assertThat(f.readConfig(cap + 8, 4)).as("offset").isEqualTo(e[1]);
            assertThat(f.readConfig(cap + 12, 4)).as("length").isEqualTo(e[2]);
        }
        int notify = driver.capability(VirtioPciLayouts.CAP_ID_VNDR, VirtioPciLayouts.CAP_NOTIFY_CFG);
        assertThat(f.readConfig(notify + 16, 4)).as("notify_off_multiplier").isEqualTo(4);
        assertThat(driver.capability(VirtioPciLayouts.CAP_ID_VNDR, VirtioPciLayouts.CAP_DEVICE_CFG)).as("rng has no config").isEqualTo(-1);
        int msix = driver.capability(VirtioPciLayouts.CAP_ID_MSIX, -1);
        assertThat(f.readConfig(msix + 2, 2) & 0x7ff).as("table size - 1: one queue and config").isEqualTo(1);
        assertThat(f.readConfig(msix + 4, 4)).isEqualTo((int) VirtioPciFunction.MSIX_TABLE_OFFSET);
    }

    @Test
    void theBarSizesAsA64BitMemoryBar() {
        f.writeConfig(0x10, 4, -1);
        f.writeConfig(0x14, 4, -1);
        long sized = Integer.toUnsignedLong(f.readConfig(0x10, 4)) | (long) f.readConfig(0x14, 4) << 32;
        assertThat(sized & 0xf).as("64-bit memory").isEqualTo(0x4);
        assertThat(-(sized & ~0xfL)).isEqualTo(VirtioPciFunction.BAR_SIZE);
    }

    @Test
    void featuresTheDeviceDidNotOfferOrNoVersion1AreRefused() {
        assertThat(driver.deviceFeatures()).isEqualTo(TestDriver.standard(0));
        assertThat(driver.negotiate(TestDriver.standard(0) | VirtioFeatures.bit(VirtioFeatures.ACCESS_PLATFORM))).isFalse();
        assertThat(driver.negotiate(VirtioFeatures.bit(VirtioFeatures.RING_EVENT_IDX))).as("no VERSION_1").isFalse();
        assertThat(driver.negotiate(VirtioFeatures.bit(VirtioFeatures.VERSION_1))).isTrue();
    }

    @Test
    void aConfidentialGuestIsOfferedAccessPlatform() {
        GuestMemory m = new GuestMemoryBuilder().add("ram", 0, 0x1000, RegionKind.RAM).build();
        TestDriver d = new TestDriver(new VirtioRng("rng"), m, true);
        assertThat(VirtioFeatures.has(d.deviceFeatures(), VirtioFeatures.ACCESS_PLATFORM)).isTrue();
        m.close();
    }

    @Test
    void aQueueServedThroughMsixFiresItsVector() {
        driver.enableMsix();
        assertThat(driver.negotiate(TestDriver.standard(0))).isTrue();
        RingWriter r = driver.queue(memory, 0, 16, 0x1000, 1);
        driver.driverOk();
        r.descriptor(0, 0x8000, 32, Vring.DESC_F_WRITE, 0).offer(0);
        driver.kick(0);
        assertThat(r.usedIdx()).isEqualTo(1);
        assertThat(r.usedElem(0)).containsExactly(0, 32);
        assertThat(memory.read(GuestAddress.of(0x8000), 32)).isNotEqualTo(new byte[32]);
        assertThat(driver.fired).containsExactly("fee00000:31");
        assertThat(driver.intx).isEmpty();
    }

    @Test
    void aMaskedVectorIsPendingUntilUnmasked() {
        driver.enableMsix();
        driver.write(VirtioPciFunction.MSIX_TABLE_OFFSET + 16 + 12, 4, 1);        // mask vector 1
        driver.negotiate(TestDriver.standard(0));
        RingWriter r = driver.queue(memory, 0, 16, 0x1000, 1);
        driver.driverOk();
        r.descriptor(0, 0x8000, 8, Vring.DESC_F_WRITE, 0).offer(0);
        driver.kick(0);
        assertThat(driver.fired).isEmpty();
        assertThat(driver.read(VirtioPciFunction.MSIX_PBA_OFFSET, 8)).isEqualTo(0b10);
        driver.write(VirtioPciFunction.MSIX_TABLE_OFFSET + 16 + 12, 4, 0);
        assertThat(driver.fired).containsExactly("fee00000:31");
        assertThat(driver.read(VirtioPciFunction.MSIX_PBA_OFFSET, 8)).isZero();
    }

    @Test
    void withoutMsixTheIsrAndIntxSayWhy() {
        driver.negotiate(TestDriver.standard(0));
        RingWriter r = driver.queue(memory, 0, 16, 0x1000, VirtioPciLayouts.NO_VECTOR);
        driver.driverOk();
        r.descriptor(0, 0x8000, 8, Vring.DESC_F_WRITE, 0).offer(0);
        driver.kick(0);
        assertThat(driver.intx).containsExactly(true);
        assertThat(driver.read(VirtioPciFunction.ISR_OFFSET, 1)).isEqualTo(VirtioPciLayouts.ISR_QUEUE);
        assertThat(driver.intx).containsExactly(true, false);
        assertThat(driver.read(VirtioPciFunction.ISR_OFFSET, 1)).as("read clears").isZero();
    }

    @Test
    void aVectorBeyondTheTableReadsBackAsNoVector() {
        driver.negotiate(TestDriver.standard(0));
        driver.common(VirtioPciLayouts.QUEUE_SELECT, 2, 0);
        driver.common(VirtioPciLayouts.QUEUE_MSIX_VECTOR, 2, 7);
        assertThat(driver.common(VirtioPciLayouts.QUEUE_MSIX_VECTOR, 2)).isEqualTo(VirtioPciLayouts.NO_VECTOR);
        driver.common(VirtioPciLayouts.MSIX_CONFIG, 2, 0x1234);
        assertThat(driver.common(VirtioPciLayouts.MSIX_CONFIG, 2)).isEqualTo(VirtioPciLayouts.NO_VECTOR);
    }

    @Test
    void aQueueThatDoesNotExistReadsSizeZero() {
        driver.common(VirtioPciLayouts.QUEUE_SELECT, 2, 5);
        assertThat(driver.common(VirtioPciLayouts.QUEUE_SIZE, 2)).isZero();
        driver.common(VirtioPciLayouts.QUEUE_SELECT, 2, 0);
        assertThat(driver.common(VirtioPciLayouts.QUEUE_SIZE, 2)).isEqualTo(VirtioRng.QUEUE_SIZE);
        assertThat(driver.common(VirtioPciLayouts.NUM_QUEUES, 2)).isEqualTo(1);
    }

    @Test
    void aViolationAsksForAResetWhichClearsIt() {
        driver.enableMsix();
        driver.negotiate(TestDriver.standard(0));
        driver.common(VirtioPciLayouts.MSIX_CONFIG, 2, 0);
        RingWriter r = driver.queue(memory, 0, 16, 0x1000, 1);
        driver.driverOk();
        r.descriptor(0, 0x20_0000, 8, Vring.DESC_F_WRITE, 0).offer(0);          // outside RAM
        driver.kick(0);
        assertThat(driver.status() & DeviceStatus.NEEDS_RESET).isNotZero();
        assertThat(f.violations()).isEqualTo(1);
        assertThat(f.lastViolation()).contains("outside guest RAM");
        assertThat(driver.fired).as("the config vector").containsExactly("fee00000:30");
        assertThat(driver.common(VirtioPciLayouts.CONFIG_GENERATION, 1)).isEqualTo(1);
        r.descriptor(1, 0x8000, 8, Vring.DESC_F_WRITE, 0).offer(1);
        driver.kick(0);
        assertThat(r.usedIdx()).as("a broken device serves nothing").isZero();
        // The driver resets and starts over: the device works again.
        assertThat(driver.negotiate(TestDriver.standard(0))).isTrue();
        assertThat(driver.status() & DeviceStatus.NEEDS_RESET).isZero();
        RingWriter again = driver.queue(memory, 0, 16, 0x3000, 1);
        driver.driverOk();
        again.descriptor(0, 0x8000, 8, Vring.DESC_F_WRITE, 0).offer(0);
        driver.kick(0);
        assertThat(again.usedIdx()).isEqualTo(1);
    }

    @Test
    void ringsOutsideRamAtDriverOkAreAViolationNotACrash() {
        driver.negotiate(TestDriver.standard(0));
        driver.queue(memory, 0, 16, 0x10_0000 - 0x80, VirtioPciLayouts.NO_VECTOR);
        driver.driverOk();
        assertThat(driver.status() & DeviceStatus.NEEDS_RESET).isNotZero();
        assertThat(f.lastViolation()).contains("queue_desc");
    }

    @Test
    void aQueueLargerThanTheDevicesIsRefused() {
        driver.negotiate(TestDriver.standard(0));
        driver.queue(memory, 0, 1024, 0x1000, VirtioPciLayouts.NO_VECTOR);
        driver.driverOk();
        assertThat(f.lastViolation()).contains("larger than the device's 256");
    }

    @Test
    void theQueueSetupIsFixedOnceTheDeviceRuns() {
        driver.negotiate(TestDriver.standard(0));
        RingWriter r = driver.queue(memory, 0, 16, 0x1000, VirtioPciLayouts.NO_VECTOR);
        driver.driverOk();
        driver.common(VirtioPciLayouts.QUEUE_DESC_LO, 4, 0x9000);
        assertThat(driver.common(VirtioPciLayouts.QUEUE_DESC_LO, 4)).isEqualTo(r.desc);
    }

    @Test
    void theBarIsReachableThroughThePciCfgWindow() {
        int cap = driver.capability(VirtioPciLayouts.CAP_ID_VNDR, VirtioPciLayouts.CAP_PCI_CFG);
        f.writeConfig(cap + 4, 1, 0);
        f.writeConfig(cap + 8, 4, (int) VirtioPciFunction.COMMON_OFFSET + VirtioPciLayouts.NUM_QUEUES);
        f.writeConfig(cap + 12, 4, 2);
        assertThat(f.readConfig(cap + 16, 4)).isEqualTo(1);
        f.writeConfig(cap + 12, 4, 3);         // not 1, 2 or 4: nothing
        assertThat(f.readConfig(cap + 16, 4)).isZero();
    }

    @Test
    void unknownBarOffsetsReadZeroAndIgnoreWrites() {
        driver.write(0x7ff0, 4, 0xdeadbeefL);
        assertThat(driver.read(0x7ff0, 4)).isZero();
        driver.write(VirtioPciFunction.notifyOffset(9), 2, 9);     // no such queue
        assertThat(f.violations()).isZero();
    }
}
