package dev.vmm.devices.virtio.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.virtio.DeviceStatus;
import dev.vmm.devices.virtio.RingWriter;
import dev.vmm.devices.virtio.VirtioFeatures;
import dev.vmm.devices.virtio.pci.TestDriver;
import dev.vmm.devices.virtio.pci.VirtioPciFunction;
import dev.vmm.devices.virtio.queue.Vring;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.RegionKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** virtio-blk against a real image file, driven through the PCI transport. */
class VirtioBlockTest {
    static final long HEADER = 0x8000;
    static final long DATA = 0x9000;
    static final long STATUS = 0x20000;
    static final int SECTORS = 2048;

    @TempDir Path dir;
    private final GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, 0x10_0000, RegionKind.RAM).build();
    private VirtioBlock disk;
    private TestDriver driver;
    private RingWriter ring;
    private Path image;

    @AfterEach
    void close() throws Exception {
        driver.function.close();
        disk.close();
        memory.close();
    }

    private void start(boolean readonly) throws Exception {
        image = dir.resolve("disk.img");
        byte[] content = new byte[SECTORS * 512];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i / 512);
        }
        Files.write(image, content);
        disk = new VirtioBlock("virtio-blk0", image, readonly);
        driver = new TestDriver(disk, memory, false);
        assertThat(driver.negotiate(TestDriver.standard(disk.features()))).isTrue();
        ring = driver.queue(memory, 0, 16, 0x1000, 0xffff);
        driver.driverOk();
    }

    private int request(int type, long sector, int dataLength, boolean deviceWrites) {
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0, type).putLong(8, sector);
        memory.write(GuestAddress.of(HEADER), h.array());
        memory.writeByte(GuestAddress.of(STATUS), (byte) 0x7f);
        if (dataLength > 0) {
            ring.descriptor(0, HEADER, 16, Vring.DESC_F_NEXT, 1)
                    .descriptor(1, DATA, dataLength, Vring.DESC_F_NEXT | (deviceWrites ? Vring.DESC_F_WRITE : 0), 2);
        } else {
            ring.descriptor(0, HEADER, 16, Vring.DESC_F_NEXT, 2);
        }
        ring.descriptor(2, STATUS, 1, Vring.DESC_F_WRITE, 0).offer(0);
        driver.kick(0);
        return memory.readByte(GuestAddress.of(STATUS));
    }

    @Test
    void theConfigurationSaysTheCapacityAndLimits() throws Exception {
        start(false);
        assertThat(driver.read(VirtioPciFunction.DEVICE_OFFSET, 8)).isEqualTo(SECTORS);
        assertThat(driver.read(VirtioPciFunction.DEVICE_OFFSET + BlockLayouts.BLK_SIZE, 4)).isEqualTo(512);
        assertThat(VirtioFeatures.has(driver.deviceFeatures(), BlockLayouts.F_FLUSH)).isTrue();
        assertThat(VirtioFeatures.has(driver.deviceFeatures(), BlockLayouts.F_RO)).isFalse();
    }

    @Test
    void aReadReturnsTheImagesSectors() throws Exception {
        start(false);
        assertThat(request(BlockLayouts.T_IN, 5, 1024, true)).isEqualTo(BlockLayouts.S_OK);
        byte[] got = memory.read(GuestAddress.of(DATA), 1024);
        assertThat(got[0]).isEqualTo((byte) 5);
        assertThat(got[1023]).isEqualTo((byte) 6);
        assertThat(ring.usedElem(0)[1]).as("used len: data and status").isEqualTo(1025);
    }

    @Test
    void aWriteThenFlushIsInTheFile() throws Exception {
        start(false);
        byte[] data = new byte[512];
        Arrays.fill(data, (byte) 0xab);
        memory.write(GuestAddress.of(DATA), data);
        assertThat(request(BlockLayouts.T_OUT, 7, 512, false)).isEqualTo(BlockLayouts.S_OK);
        assertThat(request(BlockLayouts.T_FLUSH, 0, 0, false)).isEqualTo(BlockLayouts.S_OK);
        byte[] file = Files.readAllBytes(image);
        assertThat(Arrays.copyOfRange(file, 7 * 512, 8 * 512)).isEqualTo(data);
        assertThat(file[8 * 512]).isEqualTo((byte) 8);
    }

    @Test
    void getIdNamesTheImage() throws Exception {
        start(false);
        assertThat(request(BlockLayouts.T_GET_ID, 0, 20, true)).isEqualTo(BlockLayouts.S_OK);
        assertThat(new String(memory.read(GuestAddress.of(DATA), 8))).isEqualTo("disk.img");
    }

    @Test
    void writeZeroesClearsTheRangeAndDiscardKeepsIt() throws Exception {
        start(false);
        ByteBuffer seg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 10).putInt(8, 3);
        memory.write(GuestAddress.of(DATA), seg.array());
        assertThat(request(BlockLayouts.T_WRITE_ZEROES, 0, 16, false)).isEqualTo(BlockLayouts.S_OK);
        assertThat(request(BlockLayouts.T_DISCARD, 0, 16, false)).isEqualTo(BlockLayouts.S_OK);
        byte[] file = Files.readAllBytes(image);
        assertThat(Arrays.copyOfRange(file, 10 * 512, 13 * 512)).isEqualTo(new byte[3 * 512]);
        assertThat(file[13 * 512]).isEqualTo((byte) 13);
        assertThat(file[9 * 512 + 511]).isEqualTo((byte) 9);
    }

    @Test
    void aReadOnlyDiskRefusesWritesAndSaysSo() throws Exception {
        start(true);
        assertThat(VirtioFeatures.has(driver.deviceFeatures(), BlockLayouts.F_RO)).isTrue();
        memory.write(GuestAddress.of(DATA), new byte[512]);
        assertThat(request(BlockLayouts.T_OUT, 0, 512, false)).isEqualTo(BlockLayouts.S_IOERR);
        assertThat(Files.readAllBytes(image)[0]).isZero();
        assertThat(Files.readAllBytes(image)[512]).isEqualTo((byte) 1);
        assertThat(request(BlockLayouts.T_IN, 1, 512, true)).isEqualTo(BlockLayouts.S_OK);
    }

    @Test
    void requestsBeyondTheDiskOrOfPartSectorsAreIoErrors() throws Exception {
        start(false);
        long size = Files.size(image);
        assertThat(request(BlockLayouts.T_IN, SECTORS - 1, 1024, true)).isEqualTo(BlockLayouts.S_IOERR);
        assertThat(request(BlockLayouts.T_IN, Long.MAX_VALUE / 256, 512, true)).isEqualTo(BlockLayouts.S_IOERR);
        assertThat(request(BlockLayouts.T_IN, -1, 512, true)).isEqualTo(BlockLayouts.S_IOERR);
        assertThat(request(BlockLayouts.T_OUT, SECTORS, 512, false)).isEqualTo(BlockLayouts.S_IOERR);
        assertThat(request(BlockLayouts.T_IN, 0, 100, true)).isEqualTo(BlockLayouts.S_IOERR);
        ByteBuffer seg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0, SECTORS - 1).putInt(8, 2);
        memory.write(GuestAddress.of(DATA), seg.array());
        assertThat(request(BlockLayouts.T_WRITE_ZEROES, 0, 16, false)).isEqualTo(BlockLayouts.S_UNSUPP);
        assertThat(request(99, 0, 0, false)).isEqualTo(BlockLayouts.S_UNSUPP);
        assertThat(Files.size(image)).as("the file never grows").isEqualTo(size);
        assertThat(disk.errors()).isEqualTo(7);
        assertThat(driver.status() & DeviceStatus.NEEDS_RESET).as("bad requests are not ring violations").isZero();
    }

    @Test
    void aRequestWithoutRoomForTheStatusIsAViolation() throws Exception {
        start(false);
        ring.descriptor(0, HEADER, 16, 0, 0).offer(0);
        driver.kick(0);
        assertThat(driver.status() & DeviceStatus.NEEDS_RESET).isNotZero();
        assertThat(driver.function.lastViolation()).contains("status byte");
    }
}
