package dev.vmm.devices.virtio.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.virtio.RingWriter;
import dev.vmm.devices.virtio.VirtioFeatures;
import dev.vmm.devices.virtio.pci.TestDriver;
import dev.vmm.devices.virtio.pci.VirtioPciFunction;
import dev.vmm.devices.virtio.queue.Vring;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.RegionKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** virtio-console's one port: output, input before and after the driver is ready, the emergency write. */
class VirtioConsoleTest {
    private final GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, 0x10_0000, RegionKind.RAM).build();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AtomicReference<VirtioPciFunction> function = new AtomicReference<>();
    private final VirtioConsole console = new VirtioConsole("virtio-console0", out, () -> {
        if (function.get() != null) {
            function.get().wake(0);
        }
    });
    private final TestDriver driver = new TestDriver(console, memory, false);
    private RingWriter receive;
    private RingWriter transmit;

    @AfterEach
    void close() {
        driver.function.close();
        memory.close();
    }

    private void start() {
        function.set(driver.function);
        assertThat(driver.negotiate(TestDriver.standard(console.features()))).isTrue();
        receive = driver.queue(memory, 0, 16, 0x1000, 0xffff);
        transmit = driver.queue(memory, 1, 16, 0x3000, 0xffff);
        driver.driverOk();
    }

    @Test
    void whatTheDriverTransmitsReachesTheHost() {
        start();
        memory.write(GuestAddress.of(0x8000), "hello, host\n".getBytes(StandardCharsets.US_ASCII));
        transmit.descriptor(0, 0x8000, 12, 0, 0).offer(0);
        driver.kick(1);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("hello, host\n");
        assertThat(transmit.usedIdx()).isEqualTo(1);
    }

    @Test
    void inputWaitsForReceiveBuffersAndFillsThemInOrder() {
        console.input("typed early ".getBytes(StandardCharsets.US_ASCII), 12);
        start();
        console.input("and later".getBytes(StandardCharsets.US_ASCII), 9);
        receive.descriptor(0, 0x8000, 8, Vring.DESC_F_WRITE, 0).offer(0);
        receive.descriptor(1, 0x9000, 64, Vring.DESC_F_WRITE, 0).offer(1);
        driver.kick(0);
        assertThat(receive.usedElem(0)).containsExactly(0, 8);
        assertThat(receive.usedElem(1)).containsExactly(1, 13);
        assertThat(new String(memory.read(GuestAddress.of(0x8000), 8), StandardCharsets.US_ASCII)).isEqualTo("typed ea");
        assertThat(new String(memory.read(GuestAddress.of(0x9000), 13), StandardCharsets.US_ASCII)).isEqualTo("rly and later");
        receive.descriptor(2, 0xa000, 64, Vring.DESC_F_WRITE, 0).offer(2);
        driver.kick(0);
        assertThat(receive.usedIdx()).as("a buffer waits for input").isEqualTo(2);
    }

    @Test
    void inputBeyondTheLimitIsDroppedAndCounted() {
        console.input(new byte[VirtioConsole.INPUT_LIMIT + 10], VirtioConsole.INPUT_LIMIT + 10);
        assertThat(console.droppedInput()).isEqualTo(10);
    }

    @Test
    void theEmergencyWriteRegisterPrintsOneByte() {
        assertThat(VirtioFeatures.has(driver.deviceFeatures(), VirtioConsole.F_EMERG_WRITE)).isTrue();
        driver.write(VirtioPciFunction.DEVICE_OFFSET + 8, 4, 'A');
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("A");
        assertThat(driver.read(VirtioPciFunction.DEVICE_OFFSET + 4, 4)).as("max_nr_ports").isEqualTo(1);
    }
}
